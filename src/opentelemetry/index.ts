/**
 * OpenTelemetry for Tessera: spans and metrics of every session load, commit
 * and store operation, from the events the core publishes on
 * `node:diagnostics_channel`. Needs `@opentelemetry/api` (an optional peer
 * dependency) and an SDK of your choice; see `docs/opentelemetry.md`.
 *
 * ```ts
 * import { instrumentSessions } from 'tessera-session/opentelemetry';
 *
 * const instrumentation = instrumentSessions(); // the global tracer and meter providers
 * // … on shutdown:
 * instrumentation.disable();
 * ```
 * @module tessera-session/opentelemetry
 */

export { OTHER_ERROR_TYPE } from './error-type.js';
export { instrumentSessions, type SessionInstrumentation } from './instrument-sessions.js';
export {
  DEFAULT_INSTRUMENT_SESSIONS_OPTIONS,
  type InstrumentSessionsOptions,
  type ResolvedInstrumentSessionsOptions,
} from './options.js';
export { DB_CLIENT_DURATION_BUCKETS, SESSION_METRIC_NAMES } from './session-metrics.js';
export { COMMIT_SPAN_NAME, CSRF_REJECTED_SPAN_EVENT, LOAD_SPAN_NAME } from './session-spans.js';
export { DB_SYSTEM_NAMES } from './store-attributes.js';
