/**
 * How a Tessera record is written as an express-session record and read back.
 *
 * An express-session record is the session's data keys plus `cookie`
 * (`{ originalMaxAge, expires, httpOnly, path, … }`, `expires` an ISO string
 * or `null`). Tessera's own fields live under {@link EXPRESS_SESSION_META_KEY}:
 *
 * ```json
 * { "views": 3, "cookie": { "originalMaxAge": 86400000, "expires": "2026-01-02T00:00:00.000Z",
 *   "httpOnly": true, "path": "/" }, "__tessera": { "createdAt": 1767225600000, "userId": "ann" } }
 * ```
 *
 * `cookie.expires` carries the expiry, because connect-redis (TTL) and
 * connect-pg-simple (`expire` column) derive theirs from it, so the legacy store
 * expires the record when Tessera would.
 *
 * @module
 */

import type { JsonValue, SessionRecord, StoredData } from '../../core/index.js';

/**
 * The top-level key of an express-session record that holds Tessera's own
 * fields: `{ createdAt, userId }` (and the session's own `cookie` or
 * `__tessera` keys, under `keys`, when it has any). Never part of the
 * session's data. An application rolled back to express-session sees it as
 * `req.session.__tessera`, which is harmless.
 */
export const EXPRESS_SESSION_META_KEY = '__tessera';

/** The top-level keys of an express-session record that are not session data. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['cookie', EXPRESS_SESSION_META_KEY]);

/** An express-session record as a store answers it, checked to be an object. */
export type ExpressRecord = Record<string, unknown>;

/** A live record read from an express-session store, with the cookie it was stored with. */
export interface DecodedRecord {
  readonly record: SessionRecord;
  /** The stored `cookie` object (its fields are kept on the next write), if any. */
  readonly cookie: Readonly<Record<string, unknown>> | undefined;
}

/** What decoding needs: the time and the expiry of a record without `cookie.expires`. */
export interface DecodeContext {
  readonly now: number;
  /** Milliseconds a record without `cookie.expires` is taken to live from `now`. */
  readonly defaultTtlMs: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own enumerable property, never invoking the `__proto__` setter. */
function setOwnValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A deep copy of JSON data; JSON.parse keeps `"__proto__"` as an own data property. */
function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The expiry `cookie.expires` names (an ISO string, or a Date in stores that keep objects), if valid. */
function readExpires(cookie: Record<string, unknown> | undefined): number | undefined {
  const expires = cookie?.expires;
  let time: number | undefined;
  if (typeof expires === 'string') time = Date.parse(expires);
  else if (expires instanceof Date) time = expires.getTime();
  else if (typeof expires === 'number') time = expires;
  return time !== undefined && Number.isFinite(time) ? time : undefined;
}

/**
 * The live Tessera record an express-session record holds, or `null` when it
 * is missing, not an object (bad data is "no session", never a crash) or,
 * written by the bridge, past its expiry (some stores return expired records
 * between their sweeps). A record express-session wrote is live while the
 * store answers it, as express-session takes it: express-session's `touch`
 * moves the store's own expiry (connect-redis's TTL, connect-pg-simple's
 * `expire` column) and leaves `cookie.expires` behind, so with `rolling` a
 * session in use can be past it; it is then taken to live `originalMaxAge`
 * (else `defaultTtl`) from now.
 */
export function decodeExpressRecord(raw: unknown, context: DecodeContext): DecodedRecord | null {
  if (!isPlainObject(raw)) return null;
  const cookie = isPlainObject(raw.cookie) ? raw.cookie : undefined;
  const writtenByBridge = isPlainObject(raw[EXPRESS_SESSION_META_KEY]);
  let expiresAt = readExpires(cookie) ?? context.now + context.defaultTtlMs;
  if (expiresAt <= context.now) {
    if (writtenByBridge) return null;
    const maxAge = cookie?.originalMaxAge;
    expiresAt =
      context.now +
      (typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0
        ? maxAge
        : context.defaultTtlMs);
  }
  const meta = writtenByBridge ? (raw[EXPRESS_SESSION_META_KEY] as Record<string, unknown>) : {};
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!RESERVED_KEYS.has(key)) setOwnValue(data, key, raw[key]);
  }
  // The session's own keys named like a reserved one, kept aside by encodeExpressRecord.
  if (isPlainObject(meta.keys)) {
    for (const key of Object.keys(meta.keys)) {
      if (RESERVED_KEYS.has(key)) setOwnValue(data, key, meta.keys[key]);
    }
  }
  const createdAt =
    typeof meta.createdAt === 'number' && Number.isFinite(meta.createdAt)
      ? meta.createdAt
      : context.now;
  const userId = typeof meta.userId === 'string' ? meta.userId : null;
  return {
    // A copy: stores that keep objects (not JSON text) must not share them with the caller.
    record: { data: copyJson(data) as StoredData, expiresAt, createdAt, userId },
    cookie,
  };
}

/**
 * The express-session record to store for `record`: its data, a `cookie`
 * keeping the fields of `previousCookie` (path, httpOnly, originalMaxAge, …)
 * with `expires` set from `record.expiresAt`, and the meta key. The cookie
 * also has a non-enumerable `maxAge` getter (milliseconds left, as
 * express-session's `Cookie` has), which stores such as memorystore read for
 * their TTL; it is not serialised.
 */
export function encodeExpressRecord(
  record: SessionRecord,
  previousCookie: Readonly<Record<string, unknown>> | undefined,
  now: () => number,
): ExpressRecord {
  const result: ExpressRecord = {};
  const shadowed: Record<string, JsonValue> = {};
  const data = copyJson(record.data);
  for (const key of Object.keys(data)) {
    if (RESERVED_KEYS.has(key)) setOwnValue(shadowed, key, data[key]);
    else setOwnValue(result, key, data[key]);
  }
  const { expiresAt } = record;
  const cookie: Record<string, unknown> = previousCookie
    ? { ...copyJson(previousCookie) }
    : { originalMaxAge: Math.max(0, expiresAt - now()), httpOnly: true, path: '/' };
  delete cookie.maxAge;
  cookie.expires = new Date(expiresAt).toISOString();
  Object.defineProperty(cookie, 'maxAge', {
    get: () => expiresAt - now(),
    enumerable: false,
    configurable: true,
  });
  result.cookie = cookie;
  result[EXPRESS_SESSION_META_KEY] = {
    createdAt: record.createdAt,
    userId: record.userId,
    ...(Object.keys(shadowed).length > 0 ? { keys: shadowed } : {}),
  };
  return result;
}
