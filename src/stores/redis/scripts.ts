/**
 * The Lua scripts that make each session write atomic. Every script but
 * {@link ROTATE_SCRIPT} touches one key only (a session hash, or one user's
 * index set), so it runs on one node of a cluster; `ROTATE_SCRIPT` touches two
 * session hashes and is used on a single server only (see `rotate()` in
 * `index.ts`). The application's clock is passed in as `now`: it decides
 * expiry everywhere (reads compare with it too), Redis's TTL only collects.
 *
 * Scripts run with EVALSHA, falling back to EVAL when the server does not
 * know the script yet (NOSCRIPT: after a restart, a failover, on a new node),
 * which works the same on a client the store was given and on a cluster.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.js';
import { CREATED_AT_FIELD, DATA_FIELD_PREFIX, EXPIRES_AT_FIELD, USER_ID_FIELD } from './keys.js';

/** A script and its SHA-1, as EVALSHA names it. */
export interface RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

function defineScript(name: string, source: string): RedisScript {
  return Object.freeze({ name, source, sha1: createHash('sha1').update(source).digest('hex') });
}

// Field names are spliced in once, here; the rest comes in as KEYS/ARGV.
const LIVE_EXPIRY = `
local function liveExpiry(key, now)
  local expiresAt = tonumber(redis.call('HGET', key, '${EXPIRES_AT_FIELD}'))
  if expiresAt and expiresAt > now then return expiresAt end
  return nil
end
-- HSET/HDEL the arguments first..last (field or field/value lists) in bounded steps:
-- Lua's unpack has a stack limit of a few thousand values.
local function inSteps(command, key, first, last)
  local step = 200
  for i = first, last, step do
    redis.call(command, key, unpack(ARGV, i, math.min(i + step - 1, last)))
  end
end
`;

// Writes a whole record under `key`, replacing anything there. ARGV as for
// CREATE_SCRIPT and ROTATE_SCRIPT: now, expiresAt, ttlAt, createdAt, hasUser
// ('1'/'0'), userId, then field/value pairs.
const WRITE_RECORD = `
local function writeRecord(key)
  redis.call('DEL', key)
  redis.call('HSET', key, '${CREATED_AT_FIELD}', ARGV[4], '${EXPIRES_AT_FIELD}', ARGV[2])
  if ARGV[5] == '1' then redis.call('HSET', key, '${USER_ID_FIELD}', ARGV[6]) end
  inSteps('HSET', key, 7, #ARGV)
  redis.call('PEXPIREAT', key, ARGV[3])
end
`;

/**
 * Creates a record unless a live one holds the key; an expired leftover is
 * replaced whole. KEYS[1] session hash. ARGV: now, expiresAt, ttlAt,
 * createdAt, hasUser ('1'/'0'), userId, then field/value pairs.
 * Answers 1 when created, 0 when a live record exists.
 */
export const CREATE_SCRIPT = defineScript(
  'create',
  `${LIVE_EXPIRY}${WRITE_RECORD}
local key = KEYS[1]
if liveExpiry(key, tonumber(ARGV[1])) then return 0 end
writeRecord(key)
return 1
`,
);

/**
 * Moves a live session to a new key in one step (issue 10: `cycleKey()` and
 * `login()` after a concurrent logout must not bring the session back).
 * KEYS[1] old session hash, KEYS[2] new session hash: two slots in a cluster,
 * so this script runs on a single server only. ARGV as {@link CREATE_SCRIPT}.
 * Answers {0} when the old record is missing or expired (nothing written),
 * {2} when a live record holds the new key (nothing written), else {1} or
 * {1, previous owner}.
 */
export const ROTATE_SCRIPT = defineScript(
  'rotate',
  `${LIVE_EXPIRY}${WRITE_RECORD}
local old, new = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
if not liveExpiry(old, now) then return {0} end
if liveExpiry(new, now) then return {2} end
local previous = redis.call('HGET', old, '${USER_ID_FIELD}')
redis.call('DEL', old)
writeRecord(new)
if previous then return {1, previous} end
return {1}
`,
);

/**
 * Deletes a record if it is live: the step of a rotation on a cluster that
 * decides it (see `rotate()` in `index.ts`). KEYS[1] session hash. ARGV: now.
 * Answers {0} when missing or expired (nothing deleted), else {1} or {1, owner}.
 */
export const CLAIM_SCRIPT = defineScript(
  'claim',
  `${LIVE_EXPIRY}
local key = KEYS[1]
if not liveExpiry(key, tonumber(ARGV[1])) then return {0} end
local owner = redis.call('HGET', key, '${USER_ID_FIELD}')
redis.call('DEL', key)
if owner then return {1, owner} end
return {1}
`,
);

/**
 * Applies a delta to a live record, writing nothing when it is missing or
 * expired (no resurrection, connect-redis #328). KEYS[1] session hash. ARGV:
 * now, expiresAt, ttlAt, userAction ('keep'/'set'/'clear'), userId,
 * removeCount, the fields to remove, then field/value pairs to set.
 * Answers {0} when refused, else {1} or {1, previous owner}.
 */
export const UPDATE_SCRIPT = defineScript(
  'update',
  `${LIVE_EXPIRY}
local key = KEYS[1]
if not liveExpiry(key, tonumber(ARGV[1])) then return {0} end
local previous = redis.call('HGET', key, '${USER_ID_FIELD}')
local firstRemoved = 7
local lastRemoved = 6 + tonumber(ARGV[6])
inSteps('HDEL', key, firstRemoved, lastRemoved)
inSteps('HSET', key, lastRemoved + 1, #ARGV)
redis.call('HSET', key, '${EXPIRES_AT_FIELD}', ARGV[2])
if ARGV[4] == 'set' then
  redis.call('HSET', key, '${USER_ID_FIELD}', ARGV[5])
elseif ARGV[4] == 'clear' then
  redis.call('HDEL', key, '${USER_ID_FIELD}')
end
redis.call('PEXPIREAT', key, ARGV[3])
if previous then return {1, previous} end
return {1}
`,
);

/**
 * Moves the expiry of a live record. KEYS[1] session hash. ARGV: now,
 * expiresAt, ttlAt. Answers {0} when missing or expired, else {1} or {1, owner}.
 */
export const TOUCH_SCRIPT = defineScript(
  'touch',
  `${LIVE_EXPIRY}
local key = KEYS[1]
if not liveExpiry(key, tonumber(ARGV[1])) then return {0} end
redis.call('HSET', key, '${EXPIRES_AT_FIELD}', ARGV[2])
redis.call('PEXPIREAT', key, ARGV[3])
local owner = redis.call('HGET', key, '${USER_ID_FIELD}')
if owner then return {1, owner} end
return {1}
`,
);

/** Deletes a record. KEYS[1] session hash. Answers {deleted} or {deleted, owner}. */
export const DESTROY_SCRIPT = defineScript(
  'destroy',
  `
local owner = redis.call('HGET', KEYS[1], '${USER_ID_FIELD}')
local deleted = redis.call('DEL', KEYS[1])
if owner then return {deleted, owner} end
return {deleted}
`,
);

/**
 * Deletes a record if `userId` owns it. KEYS[1] session hash. ARGV: now, userId.
 * Answers 0 when not deleted (missing, or another owner), 1 when an expired
 * record was deleted, 2 when a live one was.
 */
export const DESTROY_OWNED_SCRIPT = defineScript(
  'destroyOwned',
  `${LIVE_EXPIRY}
local key = KEYS[1]
if redis.call('HGET', key, '${USER_ID_FIELD}') ~= ARGV[2] then return 0 end
local live = liveExpiry(key, tonumber(ARGV[1]))
redis.call('DEL', key)
if live then return 2 end
return 1
`,
);

/**
 * Deletes a record if it has expired. KEYS[1] session hash. ARGV: now.
 * Answers {0} when kept (live, missing, or not a session), else {1} or {1, owner}.
 */
export const DELETE_EXPIRED_SCRIPT = defineScript(
  'deleteExpired',
  `
local key = KEYS[1]
local expiresAt = tonumber(redis.call('HGET', key, '${EXPIRES_AT_FIELD}'))
if not expiresAt or expiresAt > tonumber(ARGV[1]) then return {0} end
local owner = redis.call('HGET', key, '${USER_ID_FIELD}')
redis.call('DEL', key)
if owner then return {1, owner} end
return {1}
`,
);

/**
 * Adds a store key to a user's index and makes the index live at least until
 * `ttlAt` (never shortening it: the longest session decides). KEYS[1] index
 * set. ARGV: store key, ttlAt. Redis's own clock (TIME) is compared with the
 * set's TTL, so both sides of the comparison use one clock.
 * Answers 1 when added or kept, 0 when `ttlAt` has passed (nothing written).
 */
export const INDEX_ADD_SCRIPT = defineScript(
  'indexAdd',
  `
local key = KEYS[1]
local ttlAt = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ttlAt <= now then return 0 end
redis.call('SADD', key, ARGV[1])
local ttl = redis.call('PTTL', key)
if ttl < 0 or now + ttl < ttlAt then redis.call('PEXPIREAT', key, ARGV[2]) end
return 1
`,
);

/**
 * What `describeSessions()` needs of one session, read on the server so the
 * data never crosses the network. KEYS[1] session hash. Answers {} for a hash
 * without both times (not a session), else {createdAt, expiresAt, owner or
 * nil, bytes}: the UTF-8 bytes of the data as one JSON object,
 * `{"name":value,…}` (exact unless a key name needs JSON escapes), which is
 * what the other stores measure.
 */
export const SESSION_FACTS_SCRIPT = defineScript(
  'sessionFacts',
  `
local fields = redis.call('HGETALL', KEYS[1])
local createdAt, expiresAt, owner
local bytes, count = 2, 0
for i = 1, #fields, 2 do
  local field, value = fields[i], fields[i + 1]
  if string.sub(field, 1, ${DATA_FIELD_PREFIX.length}) == '${DATA_FIELD_PREFIX}' then
    bytes = bytes + (#field - ${DATA_FIELD_PREFIX.length}) + 3 + #value
    count = count + 1
  elseif field == '${CREATED_AT_FIELD}' then createdAt = value
  elseif field == '${EXPIRES_AT_FIELD}' then expiresAt = value
  elseif field == '${USER_ID_FIELD}' then owner = value
  end
end
if not createdAt or not expiresAt then return {} end
if count > 1 then bytes = bytes + count - 1 end
return {createdAt, expiresAt, owner or false, bytes}
`,
);

/** A no-op that reads `KEYS[1]`, for `ready()`: checks routing and that scripts may run. */
export const PROBE_SCRIPT = defineScript('probe', `return redis.call('EXISTS', KEYS[1])`);

/** Runs `script` on the node holding `key`: EVALSHA, then EVAL if the server lacks it. */
export function runScript(
  connection: RedisConnection,
  script: RedisScript,
  key: string,
  args: readonly string[],
): Promise<unknown> {
  return runScriptOnKeys(connection, script, [key], args);
}

/**
 * Runs `script` on `keys`, sent to the node holding the first one: on a
 * cluster they must share its slot (Redis answers CROSSSLOT otherwise).
 */
export async function runScriptOnKeys(
  connection: RedisConnection,
  script: RedisScript,
  keys: readonly [string, ...string[]],
  args: readonly string[],
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  try {
    return await connection.send(keys[0], ['EVALSHA', script.sha1, ...tail]);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return connection.send(keys[0], ['EVAL', script.source, ...tail]);
  }
}

function isNoScript(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && cause.message.startsWith('NOSCRIPT');
}
