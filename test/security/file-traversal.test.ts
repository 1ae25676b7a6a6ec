/**
 * Path traversal in the file store: only a 64-character lowercase hex digest
 * may become a file name; any other key is refused with a TypeError before the
 * file system is touched, so the store's directory and its parent are unchanged.
 *
 * Advisory: Django's file backend (`VALID_KEY_CHARS`, "make sure we're not
 * vulnerable to directory traversal"); Django CVE-2020-13254 (unvalidated keys).
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../../src/stores/file/index.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const VALID = 'a'.repeat(64);
const BAD_KEYS: readonly [string, unknown][] = [
  ['parent', '../x'],
  ['parent, digest-long', `../${'a'.repeat(61)}`],
  ['backslash parent', '..\\x'],
  ['absolute', '/etc/passwd'],
  ['sub-directory', 'a/b'],
  ['NUL', `${'a'.repeat(63)}\0`],
  ['NUL then path', `${'a'.repeat(32)}\0/../../x`],
  ['too short', 'a'.repeat(63)],
  ['too long', 'a'.repeat(65)],
  ['upper case', 'A'.repeat(64)],
  ['empty', ''],
  ['dot', '.'],
  ['prototype word', '__proto__'],
  ['not a string', 42],
];

/** Every file and folder under `dir`, recursively, sorted. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describe('file store: traversal keys are refused before the disk is touched', () => {
  let temp: TempDir;
  let store: FileStore;
  let directory: string;

  beforeAll(async () => {
    temp = await createTempDir('tessera-sec-traversal-');
    directory = join(temp.path, 'store', 'sessions');
    store = createFileStore({ directory });
    const now = Date.now();
    const record = { data: { a: 1 }, createdAt: now, expiresAt: now + 60_000, userId: null };
    expect(await store.create(VALID, record)).toBe(true);
    // A neighbour an attacker would like to read or overwrite.
    await writeFile(join(temp.path, 'store', 'x.json'), '{"secret":true}');
  });
  afterAll(async () => {
    await store.close?.();
    await temp.remove();
  });

  const operations = (key: string) => {
    const now = Date.now();
    const record = { data: { evil: true }, createdAt: now, expiresAt: now + 60_000, userId: null };
    return {
      read: () => store.read(key),
      create: () => store.create(key, record),
      update: () => store.update(key, { set: { evil: true }, remove: [], expiresAt: now + 60_000 }),
      touch: () => store.touch(key, now + 60_000),
      destroy: () => store.destroy(key),
    };
  };

  for (const [label, key] of BAD_KEYS) {
    it(`refuses ${label} (${JSON.stringify(key)}) in every operation`, async () => {
      const parent = await listing(temp.path);
      for (const [operation, run] of Object.entries(operations(key as string))) {
        const error = await (async () => run())().then(
          () => new Error(`${operation} accepted the key`),
          (e: unknown) => e,
        );
        expect(error, operation).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(
          /refused the store key .* before touching the disk/,
        );
      }
      expect(await listing(temp.path)).toEqual(parent);
    });
  }

  it('still serves the valid key afterwards (the neighbour file was never read or replaced)', async () => {
    expect((await store.read(VALID))?.data).toEqual({ a: 1 });
    expect(await listing(directory)).toContain(`${VALID}.json`);
  });
});
