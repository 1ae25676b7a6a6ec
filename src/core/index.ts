/**
 * Tessera's framework-free core: the {@link Session}, the session manager and
 * the store contract. Imports no framework, no driver and no `node:` module.
 * @module tessera-session
 */

export {
  checkOptionKeys,
  type OptionKeysContext,
  optionKeys,
} from './check-option-keys.js';
export { decodeValue, encodeValue, MAX_VALUE_DEPTH } from './codec.js';
export { checkCookieOptions, createSessionCookieCodec, type SessionCookieCodec } from './cookie.js';
export {
  type CookieSessionPayload,
  type CookieSessionStore,
  isCookieSessionStore,
  type OpenedCookieSession,
} from './cookie-store.js';
export {
  CSRF_FAILURE,
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfRequestInfo,
  checkCsrf,
  isSafeMethod,
  readCsrfField,
} from './csrf.js';
export {
  DEFAULT_SESSION_DEBUG_OPTIONS,
  type SessionDebugOptions,
} from './debug-output.js';
export {
  type CsrfRejectedEvent,
  type CsrfRejectionReason,
  SESSION_DIAGNOSTICS_CHANNELS,
  type SessionCommitEvent,
  type SessionCommitPlanName,
  type SessionLoadEvent,
  type StoreOperationEvent,
  type TracedOperationEvent,
} from './diagnostics.js';
export {
  isSessionError,
  SessionConfigError,
  SessionDataError,
  SessionError,
  SessionInterruptedError,
  SessionStoreError,
} from './errors.js';
export {
  checkFetchMetadata,
  DEFAULT_FETCH_METADATA_OPTIONS,
  FETCH_METADATA_FAILURE,
  FETCH_SITE_HEADER,
  type FetchMetadataOptions,
  type FetchMetadataRequest,
  type HeadersLike,
  isCrossSiteRequest,
  type ResolvedFetchMetadataOptions,
  readFetchMetadata,
  resolveFetchMetadataOptions,
  varyOnFetchSite,
} from './fetch-metadata.js';
export {
  addCookieToVary,
  describeSessionFailure,
  isForwardedHttps,
  type SessionFailureResponse,
} from './http.js';
export {
  createSessionManager,
  type SessionCommitResult,
  type SessionManager,
  type SessionPlatform,
  type SessionRequestInfo,
} from './manager.js';
export {
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_SESSION_OPTIONS,
  isSessionStore,
  type ResolvedCookieOptions,
  type ResolvedSessionOptions,
  type SessionCookieOptions,
  type SessionErrorContext,
  type SessionOptions,
  type StoreOutageMode,
} from './options.js';
export {
  type OptionHintScope,
  PEER_OPTION_HINTS,
  type PeerOptionHint,
} from './peer-option-hints.js';
export {
  type AnySession,
  type FlashOptions,
  type Key,
  Session,
  type SessionData,
  type SessionKey,
  type SessionValue,
} from './session.js';
export {
  digestSessionIdWebCrypto,
  generateSessionId,
  isValidSessionId,
  type SessionIdDigester,
} from './session-id.js';
export {
  type AsyncSessionStore,
  type AsyncSessionStoreWith,
  type Awaitable,
  applyDelta,
  type ClearExpiredOptions,
  type CountSessionsOptions,
  type DescribeSessionsOptions,
  type JsonValue,
  type ListSessionsOptions,
  type OptionalSessionStoreMethod,
  type PageSessionsOptions,
  SESSION_SIZE_BUCKETS,
  type SessionDelta,
  type SessionHourCount,
  type SessionListOrder,
  type SessionOverview,
  type SessionPage,
  type SessionRecord,
  type SessionSizeBucket,
  type SessionStore,
  type SessionSummary,
  type StoredData,
  type StoreMigrationResult,
  type StoreStats,
  type UserSessionInfo,
} from './store.js';
export type {
  DestroyUserSessionsOptions,
  ListUserSessionsOptions,
  UserSessionSummary,
} from './user-sessions.js';
