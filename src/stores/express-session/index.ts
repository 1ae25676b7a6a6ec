/**
 * Any express-session store as a Tessera store: the 40+ stores written for
 * express-session (connect-redis, connect-pg-simple, memorystore,
 * connect-mongo, DynamoDB, Firestore, Memcached, …) with every Tessera adapter,
 * and the records an express-session deployment already holds read as
 * Tessera sessions (live migration).
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * import { fromExpressSessionStore } from 'tessera-session/stores/express-session';
 *
 * const store = fromExpressSessionStore(new RedisStore({ client, prefix: 'sess:' }));
 * app.use(createSessionMiddleware({ store }));
 * ```
 *
 * Record layout: the session's data keys, express-session's `cookie` (its
 * `expires` is the record's expiry, from which connect-redis and
 * connect-pg-simple derive their TTL) and `__tessera` ({@link
 * EXPRESS_SESSION_META_KEY}: `createdAt`, `userId`). What the bridge keeps and
 * loses against Tessera's own stores: `docs/store-express-session.md`.
 *
 * @module tessera-session/stores/express-session
 */

export { type ListedExpressRecord, listAllRecords } from './all-records.js';
export { callStore } from './call-store.js';
export {
  type ExpressSessionBridgeStore,
  fromExpressSessionStore,
} from './from-express-session-store.js';
export {
  DEFAULT_EXPRESS_SESSION_BRIDGE_OPTIONS,
  type ExpressSessionBridgeOptions,
  type ResolvedExpressSessionBridgeOptions,
} from './options.js';
export {
  type DecodeContext,
  type DecodedRecord,
  decodeExpressRecord,
  EXPRESS_SESSION_META_KEY,
  type ExpressRecord,
  encodeExpressRecord,
} from './record-mapping.js';
export {
  type ExpressSessionCallback,
  type ExpressSessionStoreLike,
  isExpressSessionStore,
} from './store-like.js';
