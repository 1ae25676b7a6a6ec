/**
 * The database file and its directory, created readable by this user only
 * (issue 10 §3 "Hardening": the default `.tessera/sessions.db` was created
 * with the process umask, 0644, so every local user could read every
 * session's data).
 *
 * - A directory the store creates gets mode `0o700`, as the file store's.
 * - A database file the store creates gets mode `0o600`: it is created empty
 *   with that mode before the driver opens it (SQLite reads an empty file as
 *   an empty database).
 * - SQLite creates the `-wal` and `-shm` companions with the database file's
 *   own permission bits (`findCreateFileMode()` and `unixOpenSharedMemory()`
 *   in SQLite's unix VFS), so they follow: `0o600` too.
 * - A directory or a file that already exists keeps its mode: the store never
 *   changes the permissions of something it did not create.
 *
 * @module
 */

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Permission bits of a directory the store creates: only its owner may list or enter it. */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** Permission bits of a database file the store creates: only its owner may read or write it. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the missing directories of `absolutePath` (mode `0o700`) and, when
 * the file is missing, an empty database file (mode `0o600`). An existing
 * directory or file is left as it is, mode included.
 *
 * @throws the file-system error when a directory or the file cannot be created
 *   (the caller names the option).
 */
export function createPrivateDatabaseFile(absolutePath: string): void {
  mkdirSync(dirname(absolutePath), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  let descriptor: number;
  try {
    // 'wx': create only, never truncate nor follow into an existing file.
    descriptor = openSync(absolutePath, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  closeSync(descriptor);
}
