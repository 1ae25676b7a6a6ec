/**
 * `listSessions()` of the Redis store. Every session hash of the prefix is
 * walked with SCAN (on every master of a cluster), reading only its two times
 * (HMGET); the newest `limit` are kept, then read whole. Memory stays bounded
 * by `limit` and by one SCAN batch, whatever the number of sessions. One user's
 * sessions come from that user's index, without a walk.
 *
 * @module
 */

import type { ListSessionsOptions, SessionSummary } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import { collectNewestSessions, isListedBefore } from '../newest-sessions.js';
import type { RedisConnection } from './connection.js';
import { CREATED_AT_FIELD, EXPIRES_AT_FIELD, type RedisKeyLayout } from './keys.js';
import { decodeRecord } from './record-codec.js';
import type { UserIndex } from './user-index.js';

/** Lists the newest sessions live at `now`. */
export async function listRedisSessions(
  connection: RedisConnection,
  keys: RedisKeyLayout,
  userIndex: UserIndex,
  now: number,
  options: ListSessionsOptions,
): Promise<SessionSummary[]> {
  const { limit, userId, onProgress } = resolveListSessionsOptions('redis', options);
  if (userId !== undefined) {
    const sessions = await userIndex.list(userId, now);
    return sessions
      .map((session) => ({ ...session, userId }))
      .sort((a, b) => (isListedBefore(a, b) ? -1 : 1))
      .slice(0, limit);
  }
  const newest = collectNewestSessions<{ key: string; createdAt: number }>(limit);
  let examined = 0;
  for await (const batch of connection.scan(keys.sessionPattern, 'hash')) {
    const times = await Promise.all(
      batch.map((sessionKey) =>
        connection.send(sessionKey, ['HMGET', sessionKey, CREATED_AT_FIELD, EXPIRES_AT_FIELD]),
      ),
    );
    batch.forEach((sessionKey, index) => {
      const [createdAt, expiresAt] = (times[index] as [unknown, unknown] | undefined) ?? [];
      const key = keys.storeKeyOf(sessionKey);
      // Neither a foreign hash under the prefix nor an expired record.
      if (key === undefined || createdAt === null || !(Number(expiresAt) > now)) return;
      newest.offer({ key, createdAt: Number(createdAt) });
    });
    examined += batch.length;
    onProgress(examined);
  }
  const kept = newest.list();
  const replies = await Promise.all(
    kept.map(({ key }) => connection.send(keys.session(key), ['HGETALL', keys.session(key)])),
  );
  const summaries: SessionSummary[] = [];
  kept.forEach(({ key }, index) => {
    // Destroyed or expired since the walk: left out.
    const record = decodeRecord(replies[index], now);
    if (record !== null) summaries.push({ key, ...record });
  });
  return summaries;
}
