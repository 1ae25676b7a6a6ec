/**
 * `listSessions()` of the files store. Every session's file is read to learn
 * when it was created, one at a time while the directory is streamed, and
 * only the newest `limit` are kept: memory stays bounded by `limit`, whatever
 * the number of files. One user's sessions are found through the user index,
 * without walking the directory.
 *
 * @module
 */

import type { ListSessionsOptions, SessionRecord, SessionSummary } from '../../core/store.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import { collectNewestSessions } from '../newest-sessions.js';

/** Records examined between two `onProgress` calls. */
const PROGRESS_EVERY = 1_000;

/** What the listing reads, from the store that owns the directory. */
export interface FileListingSource {
  /** The store keys of every session file, streamed; fails when the directory is required and missing. */
  sessionKeys(): AsyncIterable<string>;
  /** The store keys marked for `userId` in the user index (some may be stale). */
  keysOfUser(userId: string): Promise<string[]>;
  /** The record under `key` if it is live at `time`. */
  readLive(key: string, time: number): Promise<SessionRecord | undefined>;
  now(): number;
}

/** Lists the newest live sessions of the store `source` reads. */
export function createSessionLister(
  source: FileListingSource,
): (options: ListSessionsOptions) => Promise<SessionSummary[]> {
  return async (options) => {
    const { limit, userId, onProgress } = resolveListSessionsOptions('file', options);
    const time = source.now();
    const newest = collectNewestSessions<SessionSummary>(limit);
    const keys = userId === undefined ? source.sessionKeys() : await source.keysOfUser(userId);
    let examined = 0;
    for await (const key of keys) {
      const record = await source.readLive(key, time);
      examined += 1;
      if (examined % PROGRESS_EVERY === 0) onProgress(examined);
      // The file is the truth: a marker of another owner (left by a crash) is ignored.
      if (record === undefined || (userId !== undefined && record.userId !== userId)) continue;
      newest.offer({ key, ...record });
    }
    return newest.list();
  };
}
