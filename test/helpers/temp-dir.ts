/**
 * Temporary directories that tests remove afterwards.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  /** A path inside the directory. */
  file(name: string): string;
  /** Removes the directory and everything in it. */
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'tessera-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
