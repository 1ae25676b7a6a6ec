/**
 * Which sessions belong to a user: one empty marker file per session in the
 * user's folder, `users/<sha256(userId)>/<key>`. The session file stays the
 * truth (it holds `userId`); the markers are a superset of it, which is what
 * makes them safe without a transaction:
 *
 * - a marker is added (and flushed) *before* the session file naming its user
 *   is written, and removed only *after* the file no longer names that user;
 *   both under the session's lock, so concurrent owner changes cannot interleave;
 * - readers check each marked session's file and ignore markers that do not
 *   match (left by a crash between the two steps); `clearExpired` removes them.
 *
 * Listing a user therefore costs one file per session of that user, never a
 * scan of the whole directory.
 *
 * @module
 */

import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './atomic-write.js';
import { errorCode, unlessMissing } from './fs-errors.js';
import type { FileLayout } from './layout.js';
import { isStoreKey } from './store-key.js';

/** The markers of the per-user index. */
export interface UserIndex {
  /** Marks `key` as a session of `userId` (durably when `fsync` is on). */
  add(userId: string, key: string): Promise<void>;
  /** Removes the mark; a missing one is fine. */
  remove(userId: string, key: string): Promise<void>;
  /** The keys marked for `userId` (some may be stale: check the session files). */
  keysOf(userId: string): Promise<string[]>;
}

/** The index of the store laid out by `layout`. */
export function createUserIndex(
  layout: FileLayout,
  options: { readonly mode: number; readonly fsync: boolean },
): UserIndex {
  return {
    async add(userId, key) {
      const folder = layout.userFolder(userId);
      let createdFolder = false;
      // clearExpired removes empty user folders; if it does so between our
      // mkdir and our write, the write meets ENOENT and we create it again.
      for (let attempt = 1; ; attempt += 1) {
        createdFolder ||= (await mkdir(folder, { recursive: true, mode: 0o700 })) !== undefined;
        try {
          await writeFile(join(folder, key), '', { mode: options.mode });
          break;
        } catch (error) {
          if (errorCode(error) !== 'ENOENT' || attempt >= 3) throw error;
        }
      }
      if (options.fsync) {
        if (createdFolder) await syncDirectory(layout.usersRoot);
        await syncDirectory(folder);
      }
    },

    async remove(userId, key) {
      await rm(join(layout.userFolder(userId), key), { force: true });
    },

    async keysOf(userId) {
      const names = await unlessMissing(readdir(layout.userFolder(userId)), []);
      return names.filter(isStoreKey);
    },
  };
}
