import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/index.js';
import { createStoreFromUrl, maskStoreUrl } from '../../src/stores/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createStoreFromUrl()', () => {
  it('opens a SQLite store at a relative or absolute path', async () => {
    const store = await createStoreFromUrl(`sqlite:${join(dir, 'a.db')}`);
    expect(store.name).toBe('sqlite');
    expect((store as unknown as { path: string }).path).toBe(join(dir, 'a.db'));
    await store.close?.();
  });
  it('opens an in-memory SQLite database with sqlite::memory:', async () => {
    const store = await createStoreFromUrl('sqlite::memory:');
    expect((store as unknown as { path: string }).path).toBe(':memory:');
    await store.close?.();
  });
  it('opens a memory store with its maxEntries', async () => {
    const store = await createStoreFromUrl('memory:?maxEntries=5');
    expect(store.name).toBe('memory');
    await store.close?.();
  });
  it('refuses an unknown scheme, listing the supported ones, with the password masked', async () => {
    const opening = createStoreFromUrl('mongodb://admin:hunter2@db.example.com/sessions');
    await expect(opening).rejects.toBeInstanceOf(SessionConfigError);
    await expect(
      createStoreFromUrl('mongodb://admin:hunter2@db.example.com/sessions'),
    ).rejects.toThrow(/mongodb:\/\/admin:\*\*\*@db\.example\.com.*supported: sqlite:, memory:/);
  });
  it('refuses something that is not a URL', async () => {
    await expect(createStoreFromUrl('sessions.db')).rejects.toThrow(/is not a URL/);
  });
  it('refuses a bad memory maxEntries, naming the option', async () => {
    await expect(createStoreFromUrl('memory:?maxEntries=lots')).rejects.toThrow(/maxEntries/);
  });
});

describe('maskStoreUrl()', () => {
  it('hides passwords and leaves URLs without one alone', () => {
    expect(maskStoreUrl('redis://:secret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(maskStoreUrl('postgres://app:p%40ss@db/test')).toBe('postgres://app:***@db/test');
    expect(maskStoreUrl('sqlite:./x.db')).toBe('sqlite:./x.db');
  });
});
