/**
 * Where everything lives inside the store's directory:
 *
 * ```text
 * <directory>/<key>.json                  one session (key: 64 hex characters)
 * <directory>/<key>.lock                  the session's lock while a write holds it
 * <directory>/<key>.lock.break            held for an instant while a stale lock is broken
 * <directory>/<key>.json.<16 hex>.tmp     a write in progress, renamed over <key>.json
 * <directory>/users/<sha256(userId)>/<key>  empty marker: the session belongs to that user
 * ```
 *
 * User ids are hashed, so no user input ever becomes a path.
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The name of a session file. */
export const SESSION_FILE_NAME = /^([0-9a-f]{64})\.json$/;
/** The name of a lock file. */
export const LOCK_FILE_NAME = /^[0-9a-f]{64}\.lock$/;
/** The name of the file held while a stale lock is broken. */
export const BREAK_FILE_NAME = /^[0-9a-f]{64}\.lock\.break$/;
/** The name of a temporary file of a write in progress (or abandoned by a crash). */
export const TEMP_FILE_NAME = /^[0-9a-f]{64}\.json\.[0-9a-f]{16}\.tmp$/;
/** The name of a user's folder in the index. */
export const USER_FOLDER_NAME = /^[0-9a-f]{64}$/;

/** The paths of one store's directory. */
export interface FileLayout {
  /** The store's directory, absolute. */
  readonly root: string;
  /** The per-user index. */
  readonly usersRoot: string;
  sessionFile(key: string): string;
  lockFile(key: string): string;
  /** One user's folder of markers. */
  userFolder(userId: string): string;
}

/** The layout of the store in the absolute directory `root`. */
export function createLayout(root: string): FileLayout {
  const usersRoot = join(root, 'users');
  return {
    root,
    usersRoot,
    sessionFile: (key) => join(root, `${key}.json`),
    lockFile: (key) => join(root, `${key}.lock`),
    userFolder: (userId) => join(usersRoot, userFolderName(userId)),
  };
}

/** The index folder name of a user: the SHA-256 of the id in hex. */
export function userFolderName(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}
