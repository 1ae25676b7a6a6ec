/**
 * Per-user listing ("log out of my other devices", asked of connect-redis in
 * tj/connect-redis#288): one set per user, `<prefix>u:{<user>}`,
 * of store keys. The set lives in its own slot, so it is never written in the
 * same transaction as a session: a session write is one script on the
 * session's slot, the set update a separate single-slot command.
 *
 * The rule that keeps this safe without a cross-slot transaction: **the set
 * may hold too much, never too little.**
 * - A store key is added *before* a write that gives the session an owner, and
 *   added again *after* every write of an owned session (which also extends
 *   the set's TTL to cover the session). So a session an owner can use is
 *   listed even if a concurrent pruning removed the key between the two steps.
 * - Readers never trust a member: listing and destroying check each session's
 *   owner and expiry in the session itself, and prune the members that are
 *   stale (session gone, expired, or now owned by someone else).
 *
 * @module
 */

import type { UserSessionInfo } from '../../core/store.js';
import type { RedisConnection } from './connection.js';
import { EXPIRES_AT_FIELD, type RedisKeyLayout, USER_ID_FIELD } from './keys.js';
import { decodeRecord, encodeTime } from './record-codec.js';
import { DESTROY_OWNED_SCRIPT, INDEX_ADD_SCRIPT, runScript } from './scripts.js';

/** The per-user index of one store. */
export interface UserIndex {
  /** Lists `storeKey` for `userId` and keeps the list alive until at least `ttlAt`. */
  add(userId: string, storeKey: string, ttlAt: number): Promise<void>;
  /** Unlists `storeKey` for `userId`. */
  remove(userId: string, storeKey: string): Promise<void>;
  /** The user's live sessions, oldest first; prunes stale members. */
  list(userId: string, now: number): Promise<UserSessionInfo[]>;
  /** How many live sessions the user has (each member checked in its session). */
  count(userId: string, now: number): Promise<number>;
  /** Destroys the user's sessions but `exceptKey`; answers how many live ones were destroyed. */
  destroy(userId: string, exceptKey: string | undefined, now: number): Promise<number>;
  /** Removes stale members from every index of the store. */
  pruneAll(now: number): Promise<void>;
}

export function createUserIndex(connection: RedisConnection, keys: RedisKeyLayout): UserIndex {
  async function members(indexKey: string): Promise<string[]> {
    const reply = await connection.send(indexKey, ['SMEMBERS', indexKey]);
    return Array.isArray(reply) ? reply.map(String) : [];
  }

  async function unlist(indexKey: string, storeKeys: readonly string[]): Promise<void> {
    if (storeKeys.length > 0) await connection.send(indexKey, ['SREM', indexKey, ...storeKeys]);
  }

  /** Members of `indexKey` whose session is gone, expired, or not `userId`'s. */
  async function staleMembers(
    indexKey: string,
    userId: string,
    now: number,
    storeKeys?: readonly string[],
  ): Promise<string[]> {
    const listed = storeKeys ?? (await members(indexKey));
    const owners = await Promise.all(
      listed.map((storeKey) => {
        const sessionKey = keys.session(storeKey);
        return connection.send(sessionKey, ['HMGET', sessionKey, USER_ID_FIELD, EXPIRES_AT_FIELD]);
      }),
    );
    return listed.filter((_, index) => {
      const [owner, expiresAt] = (owners[index] as [unknown, unknown] | undefined) ?? [];
      return owner !== userId || !(Number(expiresAt) > now);
    });
  }

  return {
    async add(userId, storeKey, ttlAt) {
      await runScript(connection, INDEX_ADD_SCRIPT, keys.userIndex(userId), [
        storeKey,
        encodeTime(Math.ceil(ttlAt)),
      ]);
    },

    async remove(userId, storeKey) {
      await unlist(keys.userIndex(userId), [storeKey]);
    },

    async list(userId, now) {
      const indexKey = keys.userIndex(userId);
      const storeKeys = await members(indexKey);
      const replies = await Promise.all(
        storeKeys.map((storeKey) => {
          const sessionKey = keys.session(storeKey);
          return connection.send(sessionKey, ['HGETALL', sessionKey]);
        }),
      );
      const sessions: UserSessionInfo[] = [];
      const stale: string[] = [];
      storeKeys.forEach((storeKey, index) => {
        const record = decodeRecord(replies[index], now);
        if (record === null || record.userId !== userId) {
          stale.push(storeKey);
        } else {
          const { createdAt, expiresAt, data } = record;
          sessions.push({ key: storeKey, createdAt, expiresAt, data });
        }
      });
      await unlist(indexKey, stale);
      return sessions.sort((a, b) => a.createdAt - b.createdAt);
    },

    async count(userId, now) {
      const indexKey = keys.userIndex(userId);
      const storeKeys = await members(indexKey);
      const stale = await staleMembers(indexKey, userId, now, storeKeys);
      return storeKeys.length - stale.length;
    },

    async destroy(userId, exceptKey, now) {
      const indexKey = keys.userIndex(userId);
      const targets = (await members(indexKey)).filter((storeKey) => storeKey !== exceptKey);
      // Each session is checked and deleted on its own slot: only if it is still this user's.
      const outcomes = await Promise.all(
        targets.map((storeKey) =>
          runScript(connection, DESTROY_OWNED_SCRIPT, keys.session(storeKey), [
            encodeTime(now),
            userId,
          ]),
        ),
      );
      await unlist(indexKey, targets);
      // Expired sessions are removed too, but only live ones are counted as destroyed.
      return outcomes.filter((outcome) => Number(outcome) === 2).length;
    },

    async pruneAll(now) {
      for await (const indexKeys of connection.scan(keys.userIndexPattern, 'set')) {
        for (const indexKey of indexKeys) {
          const userId = keys.userIdOf(indexKey);
          if (userId === undefined) continue;
          await unlist(indexKey, await staleMembers(indexKey, userId, now));
        }
      }
    },
  };
}
