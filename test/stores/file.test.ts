import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionDelta, SessionRecord } from '../../src/core/store.js';
import { lockOwnerHost } from '../../src/stores/file/file-lock.js';
import {
  createFileStore,
  DEFAULT_FILE_STORE_OPTIONS,
  type FileStore,
  type FileStoreOptions,
  fileStoreOptionsFromUrl,
} from '../../src/stores/file/index.js';
import { createStoreFromUrl } from '../../src/stores/index.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { describeStoreConformance } from './conformance.js';

const runFile = promisify(execFile);
const MINUTE = 60_000;

/** A store key shaped like the core's: a SHA-256 digest in hex. */
function randomKey(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: SessionRecord['data'], fields: Partial<SessionRecord> = {}) {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

function setDelta(set: SessionDelta['set'], fields: Partial<SessionDelta> = {}): SessionDelta {
  return { set, remove: [], expiresAt: Date.now() + MINUTE, ...fields };
}

/** Every file and folder under `root`, with what changes when it is written. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const info = statSync(path);
      entries[relative(root, path)] =
        `${info.isDirectory() ? 'dir' : 'file'} ${info.size} ${info.mtimeMs}`;
      if (info.isDirectory()) walk(path);
    }
  };
  walk(root);
  return entries;
}

/** Names in the store's directory, without the index folder. */
function sessionDirectoryNames(store: FileStore): string[] {
  return readdirSync(store.directory)
    .filter((name) => name !== 'users')
    .sort();
}

/** A process id that is certainly not running any more (a child that has exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

const temporaries: TempDir[] = [];
const stores: FileStore[] = [];

/** A store in a fresh temporary directory, closed and removed after the test. */
async function makeStore(options: FileStoreOptions = {}): Promise<FileStore> {
  const temp = await createTempDir('tessera-file-');
  temporaries.push(temp);
  const store = createFileStore({ directory: temp.file('sessions'), ...options });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const temp of temporaries.splice(0)) await temp.remove();
});

describeStoreConformance('file', async () => {
  const temp = await createTempDir('tessera-file-conformance-');
  const store = createFileStore({ directory: temp.file('sessions') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await temp.remove();
    },
  };
});

describe('createFileStore()', () => {
  it('creates its directory, readable only by its owner, and writes owner-only session files', async () => {
    const store = await makeStore();
    const key = randomKey();

    await store.create(key, liveRecord({ a: 1 }));

    expect(statSync(store.directory).mode & 0o777).toBe(0o700);
    expect(statSync(join(store.directory, `${key}.json`)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(store.directory, `${key}.json`), 'utf8'))).toMatchObject({
      v: 1,
      data: { a: 1 },
      userId: null,
    });
  });

  it('resolves a relative directory against the working directory', async () => {
    const temp = await createTempDir('tessera-file-cwd-');
    temporaries.push(temp);
    const previous = process.cwd();
    process.chdir(temp.path);
    try {
      const store = createFileStore({ directory: 'relative/sessions' });
      stores.push(store);
      expect(store.directory).toBe(join(temp.path, 'relative', 'sessions'));
    } finally {
      process.chdir(previous);
    }
  });

  it('has frozen defaults and leaves the caller’s options object unchanged', () => {
    expect(Object.isFrozen(DEFAULT_FILE_STORE_OPTIONS)).toBe(true);
    expect(DEFAULT_FILE_STORE_OPTIONS).toMatchObject({
      directory: '.tessera/sessions',
      fileMode: 0o600,
      fsync: true,
      lockTimeoutMs: 5_000,
      lockStaleMs: 10_000,
    });
    const temp = join(process.cwd(), 'never-created');
    const options = Object.freeze({ directory: temp, fileMode: 0o644 });
    expect(() => createFileStore({ ...options, fileMode: 0o400 })).toThrow(/option "fileMode"/);
    expect(options).toEqual({ directory: temp, fileMode: 0o644 });
  });

  it.each<[string, FileStoreOptions, RegExp]>([
    ['an empty directory', { directory: '' }, /option "directory".*non-empty/],
    ['a directory with NUL', { directory: 'a\0b' }, /option "directory"/],
    ['a file mode the owner cannot write', { fileMode: 0o400 }, /option "fileMode".*0o400/],
    ['a file mode out of range', { fileMode: 0o1777 }, /option "fileMode"/],
    ['a non-boolean fsync', { fsync: 'yes' as never }, /option "fsync"/],
    ['a zero lock timeout', { lockTimeoutMs: 0 }, /option "lockTimeoutMs".*positive/],
    ['a fractional stale age', { lockStaleMs: 1.5 }, /option "lockStaleMs"/],
    ['a clock that is not a function', { now: 5 as never }, /option "now"/],
    ['an onError that is not a function', { onError: 'log' as never }, /option "onError"/],
  ])('refuses %s, naming the option', (_, options, message) => {
    const create = () => createFileStore(options);
    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(message);
  });

  it('refuses a directory it cannot create, naming the option and what to do', async () => {
    const temp = await createTempDir('tessera-file-blocked-');
    temporaries.push(temp);
    writeFileSync(temp.file('occupied'), 'a file, not a folder');

    const create = () => createFileStore({ directory: join(temp.file('occupied'), 'sessions') });

    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(/option "directory".*occupied.*create, read and write/);
  });

  it('keeps sessions across a restart (a new store on the same directory)', async () => {
    const first = await makeStore();
    const key = randomKey();
    const record = liveRecord({ cart: ['book'] }, { userId: 'alice' });
    await first.create(key, record);
    await first.update(key, setDelta({ theme: 'dark' }, { expiresAt: record.expiresAt }));
    await first.close();

    const second = createFileStore({ directory: first.directory });
    stores.push(second);

    expect(await second.read(key)).toEqual({ ...record, data: { cart: ['book'], theme: 'dark' } });
    expect((await second.listUserSessions('alice')).map((session) => session.key)).toEqual([key]);
  });

  it('works the same with fsync turned off', async () => {
    const store = await makeStore({ fsync: false });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }, { userId: 'bob' }));
    await store.update(key, setDelta({ b: 2 }));
    expect((await store.read(key))?.data).toEqual({ a: 1, b: 2 });
    await store.destroy(key);
    expect(await store.read(key)).toBeNull();
  });

  it('recovers by itself when its directory is removed while it runs', async () => {
    const store = await makeStore();
    rmSync(store.directory, { recursive: true, force: true });
    const key = randomKey();

    expect(await store.read(key)).toBeNull();
    expect(await store.clearExpired()).toBe(0);
    expect(await store.stats()).toEqual({ count: 0, expired: 0, bytes: 0 });
    expect(await store.create(key, liveRecord({ a: 1 }, { userId: 'carol' }))).toBe(true);

    expect((await store.read(key))?.data).toEqual({ a: 1 });
    expect(await store.listUserSessions('carol')).toHaveLength(1);
  });

  it('waits for writes in progress on close, then refuses further calls', async () => {
    const store = await makeStore();
    const key = randomKey();
    await store.create(key, liveRecord({ n: 0 }));
    const pending = store.update(key, setDelta({ n: 1 }));

    await store.close();

    expect(await pending).toBe(true);
    await expect(store.read(key)).rejects.toThrow(/closed/);
    const reopened = createFileStore({ directory: store.directory });
    stores.push(reopened);
    expect((await reopened.read(key))?.data).toEqual({ n: 1 });
  });
});

describe('file store keys', () => {
  const hex = 'a'.repeat(64);
  const badKeys: Array<[string, unknown]> = [
    ['a parent-directory path', '../x'],
    ['a parent-directory path with a backslash', '..\\x'],
    ['an absolute path', '/etc/passwd'],
    ['a nested path', 'a/b'],
    ['a backslash path', 'a\\b\\c'],
    ['a digest with a path in front', `../${hex.slice(3)}`],
    ['a digest ending in NUL', `${hex.slice(1)}\0`],
    ['a NUL byte alone', '\0'],
    ['an empty key', ''],
    ['63 hex characters', hex.slice(1)],
    ['65 hex characters', `${hex}a`],
    ['uppercase hex', 'A'.repeat(64)],
    ['a digest with a trailing newline', `${hex}\n`],
    ['a non-string', 42],
  ];

  it.each(badKeys)('refuses %s in every method before touching the disk', async (_, key) => {
    const temp = await createTempDir('tessera-file-keys-');
    temporaries.push(temp);
    const store = createFileStore({ directory: temp.file('sessions') });
    stores.push(store);
    const before = snapshot(temp.path);
    const badKey = key as string;

    const calls = [
      () => store.read(badKey),
      () => store.create(badKey, liveRecord({ a: 1 })),
      () => store.update(badKey, setDelta({ a: 1 })),
      () => store.touch(badKey, Date.now() + MINUTE),
      () => store.destroy(badKey),
    ];
    for (const call of calls) {
      const attempt = call();
      await expect(attempt).rejects.toBeInstanceOf(TypeError);
      await expect(attempt).rejects.toThrow(
        /refused the store key .* before touching the disk: a store key must be 64 lowercase hex characters/,
      );
    }

    // Neither the store's directory nor the folder around it changed.
    expect(snapshot(temp.path)).toEqual(before);
  });

  it('shows NUL and backslashes escaped in the message', async () => {
    const store = await makeStore();
    await expect(store.read('a\\b\0')).rejects.toThrow('"a\\\\b\\u0000" (4 characters)');
  });

  it('never puts a user id in a path: index folders are named by its SHA-256', async () => {
    const store = await makeStore();
    const userId = '../../etc/passwd';
    const key = randomKey();

    await store.create(key, liveRecord({}, { userId }));

    const digest = createHash('sha256').update(userId).digest('hex');
    expect(readdirSync(join(store.directory, 'users'))).toEqual([digest]);
    expect(readdirSync(join(store.directory, 'users', digest))).toEqual([key]);
    expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([key]);
  });
});

describe('file store writes', () => {
  it('leaves no temporary or lock file behind, and every file parses', async () => {
    const store = await makeStore();
    const keys = Array.from({ length: 5 }, randomKey);
    for (const key of keys) await store.create(key, liveRecord({ start: true }, { userId: 'u' }));

    await Promise.all(
      keys.flatMap((key) =>
        Array.from({ length: 10 }, (_, index) =>
          index % 3 === 0
            ? store.touch(key, Date.now() + 2 * MINUTE)
            : store.update(key, setDelta({ [`k${index}`]: 'x'.repeat(index * 100) })),
        ),
      ),
    );

    expect(sessionDirectoryNames(store)).toEqual(keys.map((key) => `${key}.json`).sort());
    for (const key of keys) {
      const text = readFileSync(join(store.directory, `${key}.json`), 'utf8');
      expect(Object.keys(JSON.parse(text).data)).toHaveLength(1 + 6);
    }
  });

  it('loses no update when two processes write distinct keys of one session at once', async () => {
    const store = await makeStore();
    const key = randomKey();
    await store.create(key, liveRecord({ original: true }));
    const moduleUrl = new URL('../../src/stores/file/index.ts', import.meta.url).href;
    const prefixes = ['a', 'b'];
    const count = 50;
    // Each writer marks itself ready and waits for the other, so the writes really overlap.
    const script = `
      import { setTimeout as sleep } from 'node:timers/promises';
      const { createFileStore } = await import(${JSON.stringify(moduleUrl)});
      const { DIRECTORY, KEY, PREFIX, PREFIXES, COUNT } = process.env;
      const store = createFileStore({ directory: DIRECTORY });
      const update = async (set) => {
        const delta = { set, remove: [], expiresAt: Date.now() + 60_000 };
        if (!(await store.update(KEY, delta))) throw new Error('the session is missing');
      };
      await update({ ['ready_' + PREFIX]: 1 });
      const deadline = Date.now() + 10_000;
      const readyKeys = PREFIXES.split(',').map((other) => 'ready_' + other);
      for (;;) {
        const data = (await store.read(KEY))?.data ?? {};
        if (readyKeys.every((readyKey) => Object.hasOwn(data, readyKey))) break;
        if (Date.now() > deadline) throw new Error('the other writer never became ready');
        await sleep(2);
      }
      for (let index = 0; index < Number(COUNT); index += 1) await update({ [PREFIX + index]: index });
      await store.close();
    `;

    await Promise.all(
      prefixes.map((prefix) =>
        runFile(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
          env: {
            ...process.env,
            DIRECTORY: store.directory,
            KEY: key,
            PREFIX: prefix,
            PREFIXES: prefixes.join(','),
            COUNT: String(count),
          },
        }),
      ),
    );

    const data = (await store.read(key))?.data ?? {};
    for (const prefix of prefixes) {
      for (let index = 0; index < count; index += 1) expect(data[`${prefix}${index}`]).toBe(index);
    }
    // The original key, one ready marker per writer, and every update.
    expect(Object.keys(data)).toHaveLength(1 + prefixes.length * (1 + count));
    expect(sessionDirectoryNames(store)).toEqual([`${key}.json`]);
  });

  it('moves a session between users consistently under parallel owner changes', async () => {
    const store = await makeStore();
    const keys = Array.from({ length: 4 }, randomKey);
    for (const key of keys) await store.create(key, liveRecord({}, { userId: 'ann' }));

    await Promise.all(
      keys.flatMap((key) =>
        ['bob', 'ann', null, 'bob', 'ann', 'bob'].map((userId, step) =>
          store.update(key, setDelta({ [`step${step}`]: step }, { userId })),
        ),
      ),
    );

    const owners = await Promise.all(keys.map(async (key) => (await store.read(key))?.userId));
    for (const user of ['ann', 'bob']) {
      const listed = (await store.listUserSessions(user)).map((session) => session.key).sort();
      expect(listed).toEqual(keys.filter((_, index) => owners[index] === user).sort());
    }
  });
});

describe('file store damaged files', () => {
  it('reads a corrupt file as missing and reports it through onError', async () => {
    const errors: unknown[] = [];
    const store = await makeStore({ onError: (error) => errors.push(error) });
    const key = randomKey();
    writeFileSync(join(store.directory, `${key}.json`), '{"v":1,"createdAt":');

    expect(await store.read(key)).toBeNull();

    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(new RegExp(`unreadable session file .*${key}\\.json`));
  });

  it.each([
    ['an empty file', ''],
    [
      'a truncated file',
      '{"v":1,"createdAt":1,"expiresAt":99999999999999,"userId":null,"data":{"a"',
    ],
    ['another format', '{"v":2}'],
    ['a JSON array', '[1,2]'],
    ['a record without data', '{"v":1,"createdAt":1,"expiresAt":99999999999999,"userId":null}'],
  ])('never crashes on %s: update answers false, create replaces it', async (_, content) => {
    const errors: unknown[] = [];
    const store = await makeStore({ onError: (error) => errors.push(error) });
    const key = randomKey();
    writeFileSync(join(store.directory, `${key}.json`), content);

    expect(await store.read(key)).toBeNull();
    expect(await store.update(key, setDelta({ a: 1 }))).toBe(false);
    expect(await store.touch(key, Date.now() + MINUTE)).toBe(false);
    expect(await store.create(key, liveRecord({ fresh: true }))).toBe(true);

    expect((await store.read(key))?.data).toEqual({ fresh: true });
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps working when onError itself throws', async () => {
    const store = await makeStore({
      onError: () => {
        throw new Error('logger down');
      },
    });
    const key = randomKey();
    writeFileSync(join(store.directory, `${key}.json`), 'garbage');

    expect(await store.read(key)).toBeNull();
  });
});

describe('file store clearExpired()', () => {
  it('removes only expired and unreadable files, reporting progress', async () => {
    let time = 1_000_000;
    const errors: unknown[] = [];
    const store = await makeStore({ now: () => time, onError: (error) => errors.push(error) });
    const expired = Array.from({ length: 24 }, randomKey);
    const live = Array.from({ length: 3 }, randomKey);
    for (const key of expired) {
      await store.create(key, { data: {}, createdAt: 0, expiresAt: time + 10, userId: 'old' });
    }
    for (const key of live) {
      await store.create(key, { data: {}, createdAt: 0, expiresAt: time + MINUTE, userId: 'old' });
    }
    const corrupt = randomKey();
    writeFileSync(join(store.directory, `${corrupt}.json`), 'not json');
    time += 1_000;
    const progress: number[] = [];

    const removed = await store.clearExpired({
      batchSize: 10,
      onProgress: (count) => progress.push(count),
    });

    expect(removed).toBe(25);
    expect(progress).toEqual([10, 20, 25]);
    expect(sessionDirectoryNames(store)).toEqual(live.map((key) => `${key}.json`).sort());
    expect((await store.listUserSessions('old')).map((session) => session.key).sort()).toEqual(
      [...live].sort(),
    );
    const [folder] = readdirSync(join(store.directory, 'users'));
    expect(readdirSync(join(store.directory, 'users', folder!)).sort()).toEqual([...live].sort());
    expect(errors.some((error) => String(error).includes('removed the unreadable'))).toBe(true);
    expect(await store.clearExpired()).toBe(0);
    await expect(store.clearExpired({ batchSize: 0 })).rejects.toThrow(/option "batchSize"/);
  });

  it('removes what crashed writers left behind, but not writes in progress', async () => {
    const store = await makeStore();
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));
    const old = new Date(Date.now() - 5 * MINUTE);
    const orphanTemp = join(store.directory, `${key}.json.${'0'.repeat(16)}.tmp`);
    const freshTemp = join(store.directory, `${key}.json.${'1'.repeat(16)}.tmp`);
    const orphanLock = join(store.directory, `${randomKey()}.lock`);
    const heldLock = join(store.directory, `${randomKey()}.lock`);
    writeFileSync(orphanTemp, '{"partial":');
    utimesSync(orphanTemp, old, old);
    writeFileSync(freshTemp, '{"partial":');
    writeFileSync(
      orphanLock,
      JSON.stringify({ pid: deadPid(), host: lockOwnerHost(), token: 'x' }),
    );
    writeFileSync(
      heldLock,
      JSON.stringify({ pid: process.ppid, host: lockOwnerHost(), token: 'y' }),
    );
    const staleMarker = join(store.directory, 'users', 'f'.repeat(64), randomKey());
    mkdirSync(join(store.directory, 'users', 'f'.repeat(64)));
    writeFileSync(staleMarker, '');

    expect(await store.clearExpired()).toBe(0);

    expect(sessionDirectoryNames(store)).toEqual(
      [`${key}.json`, freshTemp.split('/').pop()!, heldLock.split('/').pop()!].sort(),
    );
    expect(readdirSync(join(store.directory, 'users'))).toEqual([]);
  });
});

describe('file store locks', () => {
  it('breaks a lock whose owner process has exited, without waiting for it to age', async () => {
    const store = await makeStore({ lockStaleMs: 60 * MINUTE, lockTimeoutMs: 2_000 });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));
    writeFileSync(
      join(store.directory, `${key}.lock`),
      JSON.stringify({ pid: deadPid(), host: lockOwnerHost(), token: 'crashed' }),
    );

    expect(await store.update(key, setDelta({ b: 2 }))).toBe(true);

    expect((await store.read(key))?.data).toEqual({ a: 1, b: 2 });
    expect(sessionDirectoryNames(store)).toEqual([`${key}.json`]);
  });

  it('breaks a lock older than lockStaleMs, whoever owns it', async () => {
    const store = await makeStore({ lockTimeoutMs: 2_000 });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));
    const lock = join(store.directory, `${key}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine', token: 'remote' }));
    const old = new Date(Date.now() - MINUTE);
    utimesSync(lock, old, old);

    expect(await store.update(key, setDelta({ b: 2 }))).toBe(true);

    expect((await store.read(key))?.data).toEqual({ a: 1, b: 2 });
  });

  it('fails a write after lockTimeoutMs while a live process holds the lock, and writes nothing', async () => {
    const store = await makeStore({ lockTimeoutMs: 100 });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));
    const lock = join(store.directory, `${key}.lock`);
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.ppid, host: lockOwnerHost(), token: 'busy' }),
    );

    await expect(store.update(key, setDelta({ b: 2 }))).rejects.toThrow(
      /lock .* stayed held .* "lockTimeoutMs"/,
    );

    expect((await store.read(key))?.data).toEqual({ a: 1 });
    expect(readFileSync(lock, 'utf8')).toContain('busy');
    rmSync(lock);
    expect(await store.update(key, setDelta({ b: 2 }))).toBe(true);
  });
});

describe('file store rotate()', () => {
  it('leaves one session file and the new owner’s marker only', async () => {
    const store = await makeStore();
    const [oldKey, newKey] = [randomKey(), randomKey()];
    await store.create(oldKey, liveRecord({ a: 1 }, { userId: 'dana' }));

    expect(await store.rotate(oldKey, newKey, liveRecord({ a: 1 }, { userId: 'erin' }))).toBe(true);

    expect(sessionDirectoryNames(store)).toEqual([`${newKey}.json`]);
    const folderOf = (userId: string) =>
      join(store.directory, 'users', createHash('sha256').update(userId).digest('hex'));
    expect(readdirSync(folderOf('erin'))).toEqual([newKey]);
    expect(readdirSync(folderOf('dana'))).toEqual([]);
  });

  it('takes both locks in key order, so rotations crossing the same two keys both end', async () => {
    const store = await makeStore({ lockTimeoutMs: 2_000 });
    const [first, second] = [randomKey(), randomKey()];
    await store.create(first, liveRecord({ which: 'first' }));

    // Taken in argument order, each would hold one lock and wait for the other's forever.
    const outcomes = await Promise.allSettled([
      store.rotate(first, second, liveRecord({ which: 'moved' })),
      store.rotate(second, first, liveRecord({ which: 'moved back' })),
    ]);

    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    const live = [await store.read(first), await store.read(second)].filter(Boolean);
    expect(live).toHaveLength(1);
  });

  it('waits for a lock another process holds on the new key, and fails after lockTimeoutMs writing nothing', async () => {
    const store = await makeStore({ lockTimeoutMs: 100 });
    const [oldKey, newKey] = [randomKey(), randomKey()];
    await store.create(oldKey, liveRecord({ a: 1 }));
    const lock = join(store.directory, `${newKey}.lock`);
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.ppid, host: lockOwnerHost(), token: 'busy' }),
    );

    await expect(store.rotate(oldKey, newKey, liveRecord({ a: 2 }))).rejects.toThrow(
      /lock .* stayed held .* "lockTimeoutMs"/,
    );

    expect((await store.read(oldKey))?.data).toEqual({ a: 1 });
    expect(await store.read(newKey)).toBeNull();
    rmSync(lock);
  });

  it('rejects a key that is not a digest before any file system call', async () => {
    const store = await makeStore();
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));

    await expect(store.rotate(key, '../escape', liveRecord({}))).rejects.toThrow(TypeError);
    await expect(store.rotate(key, key, liveRecord({}))).rejects.toThrow(TypeError);

    expect((await store.read(key))?.data).toEqual({ a: 1 });
  });
});

describe('file store index', () => {
  it('ignores a marker no session file backs, and destroyUserSessions clears it', async () => {
    const store = await makeStore();
    const mine = randomKey();
    const someoneElses = randomKey();
    await store.create(mine, liveRecord({ which: 'mine' }, { userId: 'dana' }));
    await store.create(someoneElses, liveRecord({ which: 'theirs' }, { userId: 'eve' }));
    const folder = join(
      store.directory,
      'users',
      createHash('sha256').update('dana').digest('hex'),
    );
    writeFileSync(join(folder, someoneElses), '');

    expect((await store.listUserSessions('dana')).map((session) => session.key)).toEqual([mine]);
    expect(await store.destroyUserSessions('dana')).toBe(1);

    expect(await store.read(mine)).toBeNull();
    expect((await store.read(someoneElses))?.data).toEqual({ which: 'theirs' });
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('file: store URLs', () => {
  it('reads relative, absolute and empty paths', () => {
    expect(fileStoreOptionsFromUrl('file:./sessions')).toEqual({ directory: './sessions' });
    expect(fileStoreOptionsFromUrl('file:var/my%20sessions')).toEqual({
      directory: 'var/my sessions',
    });
    expect(fileStoreOptionsFromUrl('file:///srv/app/sessions')).toEqual({
      directory: '/srv/app/sessions',
    });
    expect(fileStoreOptionsFromUrl('file:')).toEqual({});
  });

  it('refuses a host, a query or bad escapes, naming the URL', () => {
    expect(() => fileStoreOptionsFromUrl('file://server/share')).toThrow(SessionConfigError);
    expect(() => fileStoreOptionsFromUrl('file://server/share')).toThrow(/names a host/);
    expect(() => fileStoreOptionsFromUrl('file:./s?fsync=false')).toThrow(/query/);
    expect(() => fileStoreOptionsFromUrl('file:./%zz')).toThrow(/"file:\.\/%zz".*%-escape/);
  });

  it('opens a files store through createStoreFromUrl', async () => {
    const temp = await createTempDir('tessera-file-url-');
    temporaries.push(temp);

    const store = (await createStoreFromUrl(`file://${temp.file('from-url')}`)) as FileStore;
    stores.push(store);

    expect(store.name).toBe('file');
    expect(store.directory).toBe(temp.file('from-url'));
  });
});

describe('file store listing pages (issue 13 §2)', () => {
  const HOUR = 3_600_000;

  /** `count` sessions created a minute apart, newest last; every third one Ann's. */
  async function storeWithSessions(count: number, options: FileStoreOptions = {}) {
    const time = 100 * HOUR;
    const store = await makeStore({ now: () => time, fsync: false, ...options });
    const keys: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const key = randomKey();
      keys.push(key);
      await store.create(key, {
        data: { index },
        createdAt: time - (count - index) * MINUTE,
        // The oldest sessions were used last: the reverse order.
        expiresAt: time + HOUR + (count - index) * 1_000,
        userId: index % 3 === 0 ? 'ann' : null,
      });
    }
    return { store, keys, time };
  }

  it('walks the directory page after page with the cursor, newest first, reporting progress', async () => {
    const { store, keys } = await storeWithSessions(25);
    const listed: string[] = [];
    const progress: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.pageSessions({
        limit: 10,
        cursor,
        onProgress: (examined) => progress.push(examined),
      });
      pages += 1;
      listed.push(...page.sessions.map((session) => session.key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(listed).toEqual([...keys].reverse());
    // Each page is one walk over the 25 files.
    expect(progress).toEqual([25, 25, 25]);
  });

  it("pages by last use ('lastUsed': the stored expiry)", async () => {
    const { store, keys } = await storeWithSessions(5);
    const first = await store.pageSessions({ limit: 3, order: 'lastUsed' });
    const second = await store.pageSessions({
      limit: 3,
      order: 'lastUsed',
      cursor: first.nextCursor ?? undefined,
    });
    expect([...first.sessions, ...second.sessions].map((session) => session.key)).toEqual(keys);
    expect(second.nextCursor).toBeNull();
  });

  it("lists and counts one user's sessions through the index, ignoring a stale marker", async () => {
    const { store, keys } = await storeWithSessions(7);
    const folder = join(store.directory, 'users', createHash('sha256').update('ann').digest('hex'));
    // Left by a crash: a marker of a session Ann no longer owns.
    writeFileSync(join(folder, keys[1]!), '');
    const progress: number[] = [];

    const page = await store.pageSessions({
      limit: 10,
      userId: 'ann',
      onProgress: (examined) => progress.push(examined),
    });

    expect(page.sessions.map((session) => session.key)).toEqual([keys[6], keys[3], keys[0]]);
    expect(page.sessions[0]).toMatchObject({ userId: 'ann', data: { index: 6 } });
    // Only the user's four markers were read, not the seven files.
    expect(progress).toEqual([4]);
    expect(await store.countSessions({ userId: 'ann' })).toBe(3);
    expect(await store.countSessions()).toBe(7);
  });

  it('skips unreadable and expired files in pages, counts and the overview', async () => {
    let time = 10 * HOUR;
    const store = await makeStore({ now: () => time, fsync: false, onError: () => {} });
    const live = randomKey();
    await store.create(live, {
      data: { a: 'é' },
      createdAt: time,
      expiresAt: time + HOUR,
      userId: 'ann',
    });
    await store.create(randomKey(), {
      data: {},
      createdAt: time,
      expiresAt: time + 1,
      userId: 'bob',
    });
    writeFileSync(join(store.directory, `${randomKey()}.json`), 'not json');
    time += 1_000;

    expect((await store.pageSessions({ limit: 5 })).sessions.map((session) => session.key)).toEqual(
      [live],
    );
    expect(await store.countSessions()).toBe(1);
    const overview = await store.describeSessions({ hours: 1, topUsers: 5 });
    expect(overview).toMatchObject({
      live: 1,
      users: 1,
      topUsers: [{ userId: 'ann', sessions: 1 }],
      sizesMeasured: 1,
    });
    // {"a":"é"} is 10 bytes: the first bucket.
    expect(overview.sizes[0]).toEqual({ upTo: 256, sessions: 1 });
  });

  it('reads only the start of each file, yet lists files it cannot read so (a long user id, another field order)', async () => {
    const time = 10 * HOUR;
    const store = await makeStore({ now: () => time, fsync: false });
    const longUser = `user-${'x'.repeat(3_000)}`;
    const long = randomKey();
    await store.create(long, {
      data: { a: 1 },
      createdAt: time - 2,
      expiresAt: time + HOUR,
      userId: longUser,
    });
    const reordered = randomKey();
    writeFileSync(
      join(store.directory, `${reordered}.json`),
      JSON.stringify({
        data: { b: 2 },
        userId: null,
        expiresAt: time + HOUR,
        createdAt: time - 1,
        v: 1,
      }),
    );

    const page = await store.pageSessions({ limit: 5 });

    expect(page.sessions).toEqual([
      { key: reordered, userId: null, createdAt: time - 1, expiresAt: time + HOUR, data: { b: 2 } },
      { key: long, userId: longUser, createdAt: time - 2, expiresAt: time + HOUR, data: { a: 1 } },
    ]);
    expect(await store.countSessions({ userId: longUser })).toBe(1);
  });

  it('measures data sizes in the overview to the byte, from the file size', async () => {
    const time = 10 * HOUR;
    const store = await makeStore({ now: () => time, fsync: false });
    // {"t":"x…"} is the length of the text plus 8 bytes: 256 is the first bucket, 257 the second.
    for (const length of [248, 249, 1_016, 1_017]) {
      await store.create(randomKey(), {
        data: { t: 'x'.repeat(length) },
        createdAt: time,
        expiresAt: time + HOUR,
        userId: null,
      });
    }
    await store.create(randomKey(), {
      data: { t: 'é'.repeat(124) },
      createdAt: time,
      expiresAt: time + HOUR,
      userId: null,
    });

    const overview = await store.describeSessions({ hours: 1, topUsers: 1 });

    // 'é' is two bytes: 124 of them and 8 make 256.
    expect(overview.sizes.map((bucket) => bucket.sessions)).toEqual([2, 2, 1, 0, 0, 0]);
  });

  it('keeps listSessions the first page by creation, with no bound on its limit', async () => {
    const { store, keys } = await storeWithSessions(4);
    expect((await store.listSessions({ limit: 5_000 })).map((session) => session.key)).toEqual(
      [...keys].reverse(),
    );
  });
});
