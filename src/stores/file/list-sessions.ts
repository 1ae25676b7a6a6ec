/**
 * The listings of the files store: `listSessions()`, `pageSessions()`,
 * `countSessions()` and `describeSessions()`. The start of every session's
 * file is read to learn its times (not its data), a few files at a time while the
 * directory is streamed (`opendir`, never the whole list of names at once),
 * and only the first `limit` of the page are kept, then read whole: memory
 * stays bounded by `limit`, whatever the number of files; time is O(files)
 * per page. One user's sessions are found through the user index, without
 * walking the directory.
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

/** Records examined between two `onProgress` calls. */
const PROGRESS_EVERY = 1_000;

/** Session files a walk reads at once (memory stays bounded: a few KiB each). */
const READS_IN_FLIGHT = 32;

/** What the listings read, from the store that owns the directory. */
export interface FileListingSource {
  /** The store keys of every session file, streamed; fails when the directory is required and missing. */
  sessionKeys(): AsyncIterable<string>;
  /** The store keys marked for `userId` in the user index (some may be stale). */
  keysOfUser(userId: string): Promise<string[]>;
  /** The record under `key` if it is live at `time`. */
  readLive(key: string, time: number): Promise<SessionRecord | undefined>;
  /** The times, owner and data size of the session under `key` if it is live at `time`, its data unread. */
  readLiveHead(key: string, time: number): Promise<SessionHead | undefined>;
  now(): number;
}

/** What a listing learns of a session from the start of its file. */
export interface SessionHead {
  createdAt: number;
  expiresAt: number;
  userId: string | null;
  /** UTF-8 bytes of the session's data as JSON. */
  dataBytes: number;
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
   * Every live session (of `userId` when given), its data unread,
   * {@link READS_IN_FLIGHT} files at a time: the whole directory, or the
   * user's markers only.
   */
  async function* liveSessions(
    userId: string | undefined,
    time: number,
    onProgress: (examined: number) => void = () => {},
  ): AsyncIterable<SessionHead & { key: string }> {
    const keys = userId === undefined ? source.sessionKeys() : await source.keysOfUser(userId);
    let examined = 0;
    let batch: string[] = [];
    const readBatch = async function* () {
      // Several files in flight: each read waits on the disk, not on the others.
      const heads = await Promise.all(batch.map((key) => source.readLiveHead(key, time)));
      const keysRead = batch;
      batch = [];
      for (const [index, head] of heads.entries()) {
        examined += 1;
        if (examined % PROGRESS_EVERY === 0) onProgress(examined);
        // The file is the truth: a marker of another owner (left by a crash) is ignored.
        if (head === undefined || (userId !== undefined && head.userId !== userId)) continue;
        yield { key: keysRead[index]!, ...head };
      }
    };
    for await (const key of keys) {
      batch.push(key);
      if (batch.length === READS_IN_FLIGHT) yield* readBatch();
    }
    yield* readBatch();
    if (examined % PROGRESS_EVERY !== 0) onProgress(examined);
  }

  /**
   * The page's sessions, read whole once the walk has chosen them, and the
   * candidate it ends at when full: the next page starts after it even if it
   * was destroyed before being read (so that never ends the paging early).
   */
  async function collectPage(
    limit: number,
    order: SessionListOrder,
    after: SessionPosition | undefined,
    userId: string | undefined,
    onProgress: (examined: number) => void,
  ): Promise<{ sessions: SessionSummary[]; last: PageCandidate | undefined }> {
    const time = source.now();
    const page = collectSessionPage<PageCandidate>(limit, order, after);
    for await (const { key, createdAt, expiresAt } of liveSessions(userId, time, onProgress)) {
      page.offer({ key, createdAt, expiresAt });
    }
    const kept = page.list();
    const sessions: SessionSummary[] = [];
    for (const { key } of kept) {
      const record = await source.readLive(key, time);
      // Destroyed, expired or given to another user since the walk: left out.
      if (record === undefined || (userId !== undefined && record.userId !== userId)) continue;
      sessions.push({ key, ...record });
    }
    return { sessions, last: kept.length === limit ? kept.at(-1) : undefined };
  }

  return {
    async listSessions(options) {
      const { limit, userId, onProgress } = resolveListSessionsOptions('file', options);
      // The first page by creation, without pageSessions()'s bound on limit.
      return (await collectPage(limit, 'created', undefined, userId, onProgress)).sessions;
    },

    async pageSessions(options) {
      const { limit, after, order, userId, onProgress } = resolvePageSessionsOptions(
        'file',
        options,
      );
      const { sessions, last } = await collectPage(limit, order, after, userId, onProgress);
      const nextCursor =
        last === undefined
          ? null
          : encodeSessionCursor(order, { value: sortValueOf(last, order), key: last.key });
      return { sessions, nextCursor };
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
          bytes: session.dataBytes,
        });
      }
      return overview.result();
    },
  };
}
