/**
 * Where things live in Redis.
 *
 * - A session is one hash, `<prefix>s:{<store key>}`. Each session key is a
 *   field `d:<name>` holding its value as JSON; the record's meta fields
 *   (`createdAt`, `expiresAt`, `userId`) carry no `d:`, so no session key can
 *   ever collide with them.
 * - A user's sessions are listed in a set, `<prefix>u:{<user id, base64url>}`,
 *   of store keys. Encoding the user id keeps its `{`/`}` from changing the
 *   key's hash tag.
 *
 * The part in braces is the hash tag: Redis Cluster hashes only it, so every
 * key of one session (or of one user's index) stays in one slot and a script
 * touching it runs on one node.
 *
 * @module
 */

/** Hash field of the record's creation time (ms since the epoch). */
export const CREATED_AT_FIELD = 'createdAt';
/** Hash field of the record's expiry (ms since the epoch). */
export const EXPIRES_AT_FIELD = 'expiresAt';
/** Hash field of the owner's id; absent for an anonymous session. */
export const USER_ID_FIELD = 'userId';
/** What every data field starts with. */
export const DATA_FIELD_PREFIX = 'd:';

/** The Redis keys of one store (one prefix). */
export interface RedisKeyLayout {
  readonly prefix: string;
  /** The hash holding the session with this store key. */
  session(storeKey: string): string;
  /** The set listing this user's store keys. */
  userIndex(userId: string): string;
  /** The store key inside a session hash's name, or `undefined` for a key that is not one. */
  storeKeyOf(sessionKey: string): string | undefined;
  /** The user id inside a user index's name, or `undefined` for a key that is not one. */
  userIdOf(indexKey: string): string | undefined;
  /** SCAN patterns matching every session hash and every user index of this prefix. */
  readonly sessionPattern: string;
  readonly userIndexPattern: string;
}

/** The key layout under `prefix`. */
export function createKeyLayout(prefix: string): RedisKeyLayout {
  const sessionStart = `${prefix}s:{`;
  const indexStart = `${prefix}u:{`;
  const escaped = escapeGlob(prefix);
  return Object.freeze({
    prefix,
    session: (storeKey: string) => `${sessionStart}${storeKey}}`,
    userIndex: (userId: string) =>
      `${indexStart}${Buffer.from(userId, 'utf8').toString('base64url')}}`,
    storeKeyOf: (sessionKey: string) => between(sessionKey, sessionStart, '}'),
    userIdOf(indexKey: string): string | undefined {
      const encoded = between(indexKey, indexStart, '}');
      return encoded === undefined ? undefined : Buffer.from(encoded, 'base64url').toString('utf8');
    },
    sessionPattern: `${escaped}s:\\{*}`,
    userIndexPattern: `${escaped}u:\\{*}`,
  });
}

/** The data field holding session key `name`. */
export function dataField(name: string): string {
  return DATA_FIELD_PREFIX + name;
}

/** The text between `start` and `end` that `text` begins and ends with, or `undefined`. */
function between(text: string, start: string, end: string): string | undefined {
  if (text.length < start.length + end.length) return undefined;
  if (!text.startsWith(start) || !text.endsWith(end)) return undefined;
  return text.slice(start.length, text.length - end.length);
}

/** Escapes the characters SCAN's MATCH treats specially, so a prefix matches only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (character) => `\\${character}`);
}
