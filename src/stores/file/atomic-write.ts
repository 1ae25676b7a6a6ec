/**
 * Replacing a file so that readers and crashes only ever see the old or the
 * new content: write a temporary file in the same directory, flush it, rename
 * it over the target, flush the directory. session-file-store writes in
 * place, and concurrent reads there see empty files (its issue #5); Django's
 * file backend renames too.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How {@link writeFileAtomic} writes. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file. */
  readonly mode: number;
  /** Flush the file before the rename and the directory after it. */
  readonly fsync: boolean;
}

/**
 * Replaces `target` with `content`. When it resolves, the new content is in
 * place (and on the disk with `fsync`); when it rejects, `target` is unchanged.
 */
export async function writeFileAtomic(
  target: string,
  content: string,
  options: AtomicWriteOptions,
): Promise<void> {
  await (await prepareFileAtomic(target, content, options)).commit();
}

/** A file written aside by {@link prepareFileAtomic}, not yet in place. */
export interface PreparedFile {
  /** Renames it over the target (then flushes the directory with `fsync`); removes it on failure. */
  commit(): Promise<void>;
  /** Removes it; the target stays as it was. */
  abandon(): Promise<void>;
}

/**
 * Writes `content` to a temporary file beside `target` (and flushes it with
 * `fsync`), leaving the rename for later: the part of a write that can fail
 * (disk full, quota) is over before anything else changes. `rotate()` removes
 * the old session between the two steps.
 */
export async function prepareFileAtomic(
  target: string,
  content: string,
  options: AtomicWriteOptions,
): Promise<PreparedFile> {
  // Same directory, so the rename never crosses file systems; a unique name,
  // so two writers never share a temporary file ('wx' refuses an existing one).
  const temporary = `${target}.${randomBytes(8).toString('hex')}.tmp`;
  const abandon = async (): Promise<void> => {
    await rm(temporary, { force: true });
  };
  const handle = await open(temporary, 'wx', options.mode);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      // Without this, a power loss after the rename can leave an empty file
      // under the target's name (ext4 delayed allocation).
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await abandon();
    throw error;
  }
  return {
    abandon,
    async commit() {
      try {
        await rename(temporary, target);
      } catch (error) {
        await abandon();
        throw error;
      }
      if (options.fsync) await syncDirectory(dirname(target));
    },
  };
}

/** Flushes a directory's entries (a rename, a new file) to the disk. */
export async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for flushing; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
