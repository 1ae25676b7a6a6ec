/**
 * The listings of the Redis store: `listSessions()`, `pageSessions()`,
 * `countSessions()` and `describeSessions()`. Every session hash of the
 * prefix is walked with SCAN (on every master of a cluster, one after the
 * other), reading only its two times (HMGET, pipelined per SCAN batch); the
 * page's `limit` are kept, then read whole. Memory stays bounded by `limit`
 * and by one SCAN batch, whatever the number of sessions; time is one walk
 * per page. One user's sessions come from that user's index, without a walk.
 * Figures are approximate on a busy server: records come and go while the walk runs.
 *
 * @module
 */

import type {
  CountSessionsOptions,
  DescribeSessionsOptions,
  ListSessionsOptions,
  PageSessionsOptions,
  SessionListOrder,
  SessionOverview,
  SessionPage,
  SessionSummary,
} from '../../core/store.js';
import { collectSessionPage, type PageCandidate } from '../collect-session-page.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import {
  encodeSessionCursor,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
  type SessionPosition,
  sortValueOf,
} from '../page-sessions-options.js';
import { accumulateSessionOverview } from '../session-overview.js';
import type { RedisConnection } from './connection.js';
import { CREATED_AT_FIELD, EXPIRES_AT_FIELD, type RedisKeyLayout } from './keys.js';
import { decodeRecord } from './record-codec.js';
import { runScript, SESSION_FACTS_SCRIPT } from './scripts.js';
import type { UserIndex } from './user-index.js';

/** What the listings read through. */
export interface RedisListingSource {
  readonly connection: RedisConnection;
  readonly keys: RedisKeyLayout;
  readonly userIndex: UserIndex;
  /** The application's clock (it decides expiry, as everywhere in the store). */
  now(): number;
}

/** The listing methods of a Redis store. */
export interface RedisListings {
  listSessions(options: ListSessionsOptions): Promise<SessionSummary[]>;
  pageSessions(options: PageSessionsOptions): Promise<SessionPage>;
  countSessions(options?: CountSessionsOptions): Promise<number>;
  describeSessions(options: DescribeSessionsOptions): Promise<SessionOverview>;
}

/** What one page is read with, once checked. */
interface PageRequest {
  limit: number;
  order: SessionListOrder;
  after: SessionPosition | undefined;
  userId: string | undefined;
  onProgress: (examined: number) => void;
}

/** The listings of the store `source` reads. */
export function createRedisListings(source: RedisListingSource): RedisListings {
  const { connection, keys, userIndex } = source;

  /**
   * The live sessions of the prefix, a SCAN batch at a time, with their two
   * times (HMGET, pipelined): neither a foreign hash under the prefix nor an
   * expired record.
   */
  async function* walkTimes(
    time: number,
    onProgress: (examined: number) => void,
  ): AsyncGenerator<PageCandidate[]> {
    let examined = 0;
    for await (const batch of connection.scan(keys.sessionPattern, 'hash')) {
      const replies = await Promise.all(
        batch.map((sessionKey) =>
          connection.send(sessionKey, ['HMGET', sessionKey, CREATED_AT_FIELD, EXPIRES_AT_FIELD]),
        ),
      );
      const live: PageCandidate[] = [];
      batch.forEach((sessionKey, index) => {
        const [createdAt, expiresAt] = (replies[index] as [unknown, unknown] | undefined) ?? [];
        const key = keys.storeKeyOf(sessionKey);
        if (key === undefined || createdAt === null || createdAt === undefined) return;
        if (!(Number(expiresAt) > time)) return;
        live.push({ key, createdAt: Number(createdAt), expiresAt: Number(expiresAt) });
      });
      examined += batch.length;
      onProgress(examined);
      yield live;
    }
  }

  /**
   * One page and the position it ends at: that of the last session the walk
   * kept when the page is full, even if it is destroyed before being read
   * whole (so a session gone meanwhile never ends the paging early).
   */
  async function readPage(
    request: PageRequest,
  ): Promise<{ sessions: SessionSummary[]; last: PageCandidate | undefined }> {
    const { limit, order, after, userId, onProgress } = request;
    const time = source.now();
    if (userId !== undefined) {
      // The user's index lists few sessions: they are read whole at once.
      const page = collectSessionPage<SessionSummary>(limit, order, after);
      const sessions = await userIndex.list(userId, time);
      onProgress(sessions.length);
      for (const session of sessions) page.offer({ ...session, userId });
      const kept = page.list();
      return { sessions: kept, last: kept.length === limit ? kept.at(-1) : undefined };
    }
    const page = collectSessionPage<PageCandidate>(limit, order, after);
    for await (const batch of walkTimes(time, onProgress)) {
      for (const candidate of batch) page.offer(candidate);
    }
    const kept = page.list();
    const replies = await Promise.all(
      kept.map(({ key }) => connection.send(keys.session(key), ['HGETALL', keys.session(key)])),
    );
    const sessions: SessionSummary[] = [];
    kept.forEach(({ key }, index) => {
      // Destroyed or expired since the walk: left out.
      const record = decodeRecord(replies[index], time);
      if (record !== null) sessions.push({ key, ...record });
    });
    return { sessions, last: kept.length === limit ? kept.at(-1) : undefined };
  }

  return {
    async listSessions(options) {
      const { limit, userId, onProgress } = resolveListSessionsOptions('redis', options);
      // The first page by creation, without pageSessions()'s bound on limit.
      const { sessions } = await readPage({
        limit,
        order: 'created',
        after: undefined,
        userId,
        onProgress,
      });
      return sessions;
    },

    async pageSessions(options) {
      const request = resolvePageSessionsOptions('redis', options);
      const { sessions, last } = await readPage(request);
      const nextCursor =
        last === undefined
          ? null
          : encodeSessionCursor(request.order, {
              value: sortValueOf(last, request.order),
              key: last.key,
            });
      return { sessions, nextCursor };
    },

    async countSessions(options) {
      const { userId } = resolveCountSessionsOptions('redis', options);
      const time = source.now();
      if (userId !== undefined) return userIndex.count(userId, time);
      let count = 0;
      for await (const batch of walkTimes(time, () => {})) count += batch.length;
      return count;
    },

    async describeSessions(options) {
      const resolved = resolveDescribeSessionsOptions('redis', options);
      const time = source.now();
      const overview = accumulateSessionOverview(resolved, time);
      for await (const batch of connection.scan(keys.sessionPattern, 'hash')) {
        // The facts are gathered on the server: the data never crosses the network.
        const replies = await Promise.all(
          batch.map((sessionKey) => runScript(connection, SESSION_FACTS_SCRIPT, sessionKey, [])),
        );
        batch.forEach((sessionKey, index) => {
          const reply = replies[index];
          if (keys.storeKeyOf(sessionKey) === undefined || !Array.isArray(reply)) return;
          const [createdAt, expiresAt, owner, bytes] = reply as unknown[];
          if (createdAt === undefined || !(Number(expiresAt) > time)) return;
          overview.add({
            userId: owner === null || owner === undefined ? null : String(owner),
            createdAt: Number(createdAt),
            expiresAt: Number(expiresAt),
            bytes: Number(bytes),
          });
        });
      }
      return overview.result();
    },
  };
}
