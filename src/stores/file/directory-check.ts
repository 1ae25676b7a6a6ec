/**
 * The store's directory: creating it as the store opens and for `migrate()`,
 * and whether it is there and usable, for `ready()` and, with
 * `createDirectory: false`, for every operation that needs it.
 *
 * @module
 */

import { accessSync, constants, mkdirSync } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { SessionConfigError } from '../../core/errors.js';
import type { StoreMigrationResult } from '../../core/store.js';
import { errorCode } from './fs-errors.js';

/** What {@link FileStore.migrate} answers. */
export interface FileMigrationResult extends StoreMigrationResult {
  /** The store's directory, absolute. */
  readonly directory: string;
  /** What was created, by opening the store or by this call: `['directory "/srv/app/sessions"']`, or nothing. */
  readonly created: readonly string[];
}

/** The error for a store directory that does not exist, saying how to create it. */
export function missingDirectoryError(root: string): SessionConfigError {
  return new SessionConfigError(
    `Session directory ${JSON.stringify(root)} does not exist. The application creates it when it ` +
      'first starts (unless its option "createDirectory" is false), or create it now: ' +
      `npx tessera-session migrate --store '${pathToFileURL(root).href}'`,
  );
}

/**
 * Rejects with a {@link SessionConfigError} naming `root` unless it is a
 * directory this process may list, read and write.
 */
export async function checkDirectory(root: string): Promise<void> {
  try {
    if (!(await stat(root)).isDirectory()) {
      throw new SessionConfigError(
        `The session directory ${JSON.stringify(root)} is a file, not a directory. Point the store at a directory.`,
      );
    }
    await access(root, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof SessionConfigError) throw error;
    if (errorCode(error) === 'ENOENT') throw missingDirectoryError(root);
    const reason = error instanceof Error ? error.message : String(error);
    throw new SessionConfigError(
      `Cannot use the session directory ${JSON.stringify(root)}: ${reason}. ` +
        'Let this process read, write and list it.',
    );
  }
}

/** Creates `root` and its `usersRoot` (mode `0o700`) where missing; answers whether `root` was created. */
export async function createDirectories(root: string, usersRoot: string): Promise<boolean> {
  const first = await mkdir(root, { recursive: true, mode: 0o700 });
  await mkdir(usersRoot, { recursive: true, mode: 0o700 });
  return first !== undefined;
}

/**
 * Creates the directory (mode `0o700`) and checks this process may use it,
 * naming the option if not; answers whether the directory was created.
 */
export function prepareDirectory(root: string, usersRoot: string): boolean {
  try {
    const created = mkdirSync(root, { recursive: true, mode: 0o700 }) !== undefined;
    mkdirSync(usersRoot, { recursive: true, mode: 0o700 });
    accessSync(root, constants.R_OK | constants.W_OK | constants.X_OK);
    return created;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SessionConfigError(
      `createFileStore: cannot use the directory in option "directory" (${JSON.stringify(root)}): ${reason}. ` +
        'Pass a directory this process can create, read and write.',
    );
  }
}
