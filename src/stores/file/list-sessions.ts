/**
 * The listings of the files store: `listSessions()`, `pageSessions()`,
 * `countSessions()` and `describeSessions()`. Every session's file is read to
 * learn its times, one at a time while the directory is streamed (`opendir`,
 * never the whole list of names at once), and only the first `limit` of the
 * page are kept: memory stays bounded by `limit`, whatever the number of
 * files; time is O(files) per page. One user's sessions are found through the
 * user index, without walking the directory.
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
  SessionRecord,
  SessionSummary,
} from '../../core/store.js';
import { collectSessionPage } from '../collect-session-page.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import {
  nextCursorOf,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
  type SessionPosition,
} from '../page-sessions-options.js';
import { accumulateSessionOverview } from '../session-overview.js';

/** Records examined between two `onProgress` calls. */
const PROGRESS_EVERY = 1_000;

/** What the listings read, from the store that owns the directory. */
export interface FileListingSource {
  /** The store keys of every session file, streamed; fails when the directory is required and missing. */
  sessionKeys(): AsyncIterable<string>;
  /** The store keys marked for `userId` in the user index (some may be stale). */
  keysOfUser(userId: string): Promise<string[]>;
  /** The record under `key` if it is live at `time`. */
  readLive(key: string, time: number): Promise<SessionRecord | undefined>;
  now(): number;
}

/** The listing methods of a files store. */
export interface FileListings {
  listSessions(options: ListSessionsOptions): Promise<SessionSummary[]>;
  pageSessions(options: PageSessionsOptions): Promise<SessionPage>;
  countSessions(options?: CountSessionsOptions): Promise<number>;
  describeSessions(options: DescribeSessionsOptions): Promise<SessionOverview>;
}

/** The listings of the store `source` reads. */
export function createSessionListings(source: FileListingSource): FileListings {
  /**
   * Every live session (of `userId` when given), read one at a time: the
   * whole directory, or the user's markers only.
   */
  async function* liveSessions(
    userId: string | undefined,
    time: number,
    onProgress: (examined: number) => void = () => {},
  ): AsyncIterable<SessionSummary> {
    const keys = userId === undefined ? source.sessionKeys() : await source.keysOfUser(userId);
    let examined = 0;
    for await (const key of keys) {
      const record = await source.readLive(key, time);
      examined += 1;
      if (examined % PROGRESS_EVERY === 0) onProgress(examined);
      // The file is the truth: a marker of another owner (left by a crash) is ignored.
      if (record === undefined || (userId !== undefined && record.userId !== userId)) continue;
      yield { key, ...record };
    }
    if (examined % PROGRESS_EVERY !== 0) onProgress(examined);
  }

  async function collectPage(
    limit: number,
    order: SessionListOrder,
    after: SessionPosition | undefined,
    userId: string | undefined,
    onProgress: (examined: number) => void,
  ): Promise<SessionSummary[]> {
    const page = collectSessionPage<SessionSummary>(limit, order, after);
    for await (const session of liveSessions(userId, source.now(), onProgress)) page.offer(session);
    return page.list();
  }

  return {
    async listSessions(options) {
      const { limit, userId, onProgress } = resolveListSessionsOptions('file', options);
      // The first page by creation, without pageSessions()'s bound on limit.
      return collectPage(limit, 'created', undefined, userId, onProgress);
    },

    async pageSessions(options) {
      const { limit, after, order, userId, onProgress } = resolvePageSessionsOptions(
        'file',
        options,
      );
      const sessions = await collectPage(limit, order, after, userId, onProgress);
      return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
    },

    async countSessions(options) {
      const { userId } = resolveCountSessionsOptions('file', options);
      let count = 0;
      for await (const _ of liveSessions(userId, source.now())) count += 1;
      return count;
    },

    async describeSessions(options) {
      const resolved = resolveDescribeSessionsOptions('file', options);
      const time = source.now();
      const overview = accumulateSessionOverview(resolved, time);
      for await (const session of liveSessions(undefined, time)) {
        overview.add({
          userId: session.userId,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          // The file holds the data as this very JSON text (record-file.ts).
          bytes: Buffer.byteLength(JSON.stringify(session.data), 'utf8'),
        });
      }
      return overview.result();
    },
  };
}
