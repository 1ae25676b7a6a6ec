import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDelta, SessionRecord } from '../../src/core/store.js';
import { pickDriver } from '../../src/stores/sqlite/driver-choice.js';
import {
  createSqliteStore,
  DEFAULT_SQLITE_PATH,
  DEFAULT_SQLITE_STORE_OPTIONS,
  type SqliteStore,
  type SqliteStoreOptions,
} from '../../src/stores/sqlite/index.js';
import { describeStoreConformance } from './conformance.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;
const hasNodeSqlite = (() => {
  try {
    require('node:sqlite');
    return true;
  } catch {
    return false;
  }
})();
// better-sqlite3 < 13 aborts Node ≥ 24.19 when a statement is garbage-collected (see driver.ts).
const betterSqliteIsSafe = pickDriver('auto') === 'better-sqlite3';

/** One PRAGMA's value, whichever driver the store uses. */
function pragma(store: SqliteStore, name: string): unknown {
  return Object.values(store.connection.prepare(`PRAGMA ${name}`).get() as object)[0];
}
const runFile = promisify(execFile);

/** A fresh directory under the system's temp directory. */
function makeTempDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
}

describeStoreConformance('sqlite (file)', async () => {
  const directory = makeTempDirectory();
  const store = createSqliteStore({ path: join(directory, 'sessions.db') });
  return {
    store,
    cleanup: () => {
      store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describeStoreConformance('sqlite (:memory:)', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

// Both drivers pass the suite where they can run: node:sqlite from Node 22.5, better-sqlite3 below Node 24.
for (const driver of ['node:sqlite', 'better-sqlite3'] as const) {
  const runnable = driver === 'node:sqlite' ? hasNodeSqlite : betterSqliteIsSafe;
  if (!runnable) {
    describe.skip(`sqlite conformance with driver ${driver} (not available on Node ${process.versions.node})`, () => {
      it('is skipped', () => {});
    });
    continue;
  }
  describeStoreConformance(`sqlite (driver ${driver})`, async () => {
    const directory = makeTempDirectory();
    const store = createSqliteStore({ path: join(directory, 'sessions.db'), driver });
    return {
      store,
      cleanup: () => {
        store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  });
}

const MINUTE = 60_000;

function liveRecord(data: SessionRecord['data'] = {}): SessionRecord {
  return { data, createdAt: Date.now(), expiresAt: Date.now() + MINUTE, userId: null };
}

function setDelta(set: SessionDelta['set']): SessionDelta {
  return { set, remove: [], expiresAt: Date.now() + MINUTE };
}

describe('createSqliteStore()', () => {
  const directories: string[] = [];
  /** A database path in a temp directory removed after the test. */
  function tempPath(): string {
    const directory = makeTempDirectory();
    directories.push(directory);
    return join(directory, 'sessions.db');
  }

  afterEach(() => {
    for (const directory of directories.splice(0)) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  describe('options', () => {
    it('has frozen defaults', () => {
      expect(Object.isFrozen(DEFAULT_SQLITE_STORE_OPTIONS)).toBe(true);
      expect(DEFAULT_SQLITE_STORE_OPTIONS.path).toBe(DEFAULT_SQLITE_PATH);
      expect(DEFAULT_SQLITE_PATH).toBe('.tessera/sessions.db');
      expect(DEFAULT_SQLITE_STORE_OPTIONS.table).toBe('tessera_sessions');
    });

    it('accepts frozen options and leaves them unchanged', () => {
      const options = Object.freeze({ path: ':memory:', table: 'sessions' });
      const store = createSqliteStore(options);
      store.close();
      expect(options).toEqual({ path: ':memory:', table: 'sessions' });
    });

    it.each(['', '1sessions', 'sessions; DROP TABLE users', 'my-sessions', '"quoted"'])(
      'rejects table %j, naming the option',
      (table) => {
        expect(() => createSqliteStore({ path: ':memory:', table })).toThrow(/option "table"/);
      },
    );

    it('rejects a path whose directory cannot be created, naming the option and the path', () => {
      const directory = makeTempDirectory();
      directories.push(directory);
      const blocker = join(directory, 'a-file');
      writeFileSync(blocker, '');
      const path = join(blocker, 'nested', 'sessions.db');

      expect(() => createSqliteStore({ path })).toThrow(/option "path"/);
      expect(() => createSqliteStore({ path })).toThrow(path);
    });

    it('rejects a path that is a directory, naming the option', () => {
      const directory = makeTempDirectory();
      directories.push(directory);

      expect(() => createSqliteStore({ path: directory })).toThrow(/option "path"/);
    });

    it('rejects an empty path and a path together with a database', () => {
      expect(() => createSqliteStore({ path: '' })).toThrow(/option "path"/);
      const database = {}; // refused before it is used
      expect(() => createSqliteStore({ path: ':memory:', database })).toThrow(
        /"path" and "database"/,
      );
    });

    it('rejects a now that is not a function, naming the option', () => {
      expect(() =>
        createSqliteStore({ path: ':memory:', now: 'soon' } as unknown as SqliteStoreOptions),
      ).toThrow(/option "now"/);
    });
  });

  it('creates missing directories and reports the absolute path', () => {
    const directory = makeTempDirectory();
    directories.push(directory);
    const path = join(directory, 'deeper', 'still', 'sessions.db');

    const store = createSqliteStore({ path });

    expect(store.path).toBe(path);
    store.close();
  });

  it('answers synchronously, but for update (group commit), which settles once committed', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const update = store.update('k', setDelta({ a: 1 }));
    expect(update).toBeInstanceOf(Promise);
    const results = [
      store.create('k', liveRecord()),
      store.read('k'),
      store.touch('k', Date.now() + MINUTE),
      store.listUserSessions('u'),
      store.destroyUserSessions('u'),
      store.clearExpired(),
      store.stats(),
      store.destroy('k'),
    ];
    for (const result of results) expect(result).not.toBeInstanceOf(Promise);
    expect(await update).toBe(false); // queued before the create, applied after the destroy
    store.close();
  });

  it('applies deltas whose keys JSON paths cannot quote (", \\, control characters, dots)', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.create('k', liveRecord({ 'a.b': 1, 'quote"d': 1, keep: true }));
    expect(await store.update('k', setDelta({ 'a.b': 2, 'back\\slash': 3, 'ctl\u0001': 4 }))).toBe(
      true,
    );
    expect(await store.update('k', { ...setDelta({}), remove: ['quote"d'] })).toBe(true);
    expect(store.read('k')?.data).toEqual({
      'a.b': 2,
      keep: true,
      'back\\slash': 3,
      'ctl\u0001': 4,
    });
    store.close();
  });

  it('commits the updates of one event-loop turn in one transaction, each with its own answer', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.create('a', liveRecord({ n: 0 }));
    const answers = await Promise.all([
      store.update('a', setDelta({ x: 1 })),
      store.update('missing', setDelta({ x: 1 })),
      store.update('a', setDelta({ y: 2 })),
    ]);
    expect(answers).toEqual([true, false, true]);
    expect(store.read('a')?.data).toEqual({ n: 0, x: 1, y: 2 });
    store.close();
  });

  it('commits queued updates before closing', async () => {
    const path = tempPath();
    const first = createSqliteStore({ path });
    first.create('k', liveRecord({ n: 0 }));
    const pending = first.update('k', setDelta({ n: 1 }));
    first.close();
    expect(await pending).toBe(true);
    const second = createSqliteStore({ path });
    expect(second.read('k')?.data).toEqual({ n: 1 });
    second.close();
  });

  it('keeps sessions across a restart (close and reopen the same file)', async () => {
    const path = tempPath();
    const first = createSqliteStore({ path });
    const record: SessionRecord = { ...liveRecord({ cart: ['book'] }), userId: 'alice' };
    first.create('k', record);
    await first.update('k', setDelta({ theme: 'dark' }));
    first.close();

    const second = createSqliteStore({ path });

    expect(second.read('k')).toEqual({
      ...record,
      data: { cart: ['book'], theme: 'dark' },
      expiresAt: expect.any(Number),
    });
    second.close();
  });

  it('runs the file in WAL mode with NORMAL sync and a busy timeout', () => {
    const store = createSqliteStore({ path: tempPath() });

    expect(pragma(store, 'journal_mode')).toBe('wal');
    expect(pragma(store, 'synchronous')).toBe(1);
    expect(pragma(store, 'busy_timeout')).toBe(5000);
    store.close();
  });

  it('keeps sessions in the table named by the table option', () => {
    const store = createSqliteStore({ path: ':memory:', table: 'my_sessions' });
    store.create('k', liveRecord({ a: 1 }));

    const row = store.connection.prepare('SELECT key, data FROM my_sessions').get();

    expect({ ...(row as object) }).toEqual({ key: 'k', data: '{"a":1}' });
    store.close();
  });

  it('loses no update when two stores on one file (two processes) write in turn', async () => {
    const path = tempPath();
    const first = createSqliteStore({ path });
    const second = createSqliteStore({ path });
    first.create('k', liveRecord({ original: true }));

    await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        const store = index % 2 === 0 ? first : second;
        return store.update('k', setDelta({ [`key${index}`]: index }));
      }),
    );

    const data = first.read('k')?.data ?? {};
    expect(Object.keys(data)).toHaveLength(101);
    expect(second.read('k')?.data).toEqual(data);
    first.close();
    second.close();
  });

  it('loses no update when two real processes write the same record at once', async () => {
    const path = tempPath();
    const store = createSqliteStore({ path });
    store.create('k', liveRecord({ original: true }));
    const writer = fileURLToPath(new URL('./fixtures/sqlite-writer.ts', import.meta.url));
    const prefixes = ['a', 'b'];
    const count = 300;

    await Promise.all(
      prefixes.map((prefix) =>
        runFile(process.execPath, [
          '--import',
          'tsx',
          writer,
          path,
          'k',
          prefix,
          prefixes.join(','),
          String(count),
        ]),
      ),
    );

    const data = store.read('k')?.data ?? {};
    // The original key, one ready marker per writer, and every update.
    expect(Object.keys(data)).toHaveLength(1 + prefixes.length * (1 + count));
    expect(data.a299).toBe(299);
    expect(data.b299).toBe(299);
    store.close();
  });

  it('replaces an expired row on create but keeps a live one', () => {
    let time = 1_000;
    const store = createSqliteStore({ path: ':memory:', now: () => time });
    store.create('k', { data: { v: 1 }, createdAt: 0, expiresAt: 2_000, userId: 'alice' });

    expect(
      store.create('k', { data: { v: 2 }, createdAt: 0, expiresAt: 3_000, userId: null }),
    ).toBe(false);
    time = 2_000;
    expect(
      store.create('k', { data: { v: 3 }, createdAt: 5, expiresAt: 9_000, userId: null }),
    ).toBe(true);

    expect(store.read('k')).toEqual({
      data: { v: 3 },
      createdAt: 5,
      expiresAt: 9_000,
      userId: null,
    });
    store.close();
  });

  it('clears expired records in batches, reporting progress', () => {
    let time = 1_000;
    const store = createSqliteStore({ path: ':memory:', now: () => time });
    for (let index = 0; index < 25; index += 1) {
      store.create(`old${index}`, { data: {}, createdAt: 0, expiresAt: 1_500, userId: null });
    }
    store.create('live', { data: {}, createdAt: 0, expiresAt: 9_000, userId: null });
    time = 2_000;
    const progress: number[] = [];

    const removed = store.clearExpired({
      batchSize: 10,
      onProgress: (count) => progress.push(count),
    });

    expect(removed).toBe(25);
    expect(progress).toEqual([10, 20, 25]);
    expect(store.stats()).toEqual({ count: 1, expired: 0, bytes: 2 });
    expect(() => store.clearExpired({ batchSize: 0 })).toThrow(/option "batchSize"/);
    store.close();
  });

  it('calls onProgress with the default batch size too', () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.create('old', { data: {}, createdAt: 0, expiresAt: 1, userId: null });
    const progress: number[] = [];

    expect(store.clearExpired({ onProgress: (count) => progress.push(count) })).toBe(1);

    expect(progress).toEqual([1]);
    store.close();
  });

  it.skipIf(!betterSqliteIsSafe)(
    'uses a better-sqlite3 database passed in and never closes it',
    () => {
      const database = new Database(':memory:');
      database.defaultSafeIntegers(true);
      const store = createSqliteStore({ database });
      store.create('k', liveRecord({ a: 1 }));

      expect(store.database).toBe(database);
      expect(typeof store.read('k')?.expiresAt).toBe('number');
      store.close();

      expect(database.open).toBe(true);
      expect(database.prepare('SELECT COUNT(*) AS n FROM tessera_sessions').get()).toEqual({
        n: 1n,
      });
      database.close();
    },
  );

  it.skipIf(!hasNodeSqlite)('uses a node:sqlite database passed in and never closes it', () => {
    const { DatabaseSync } = require('node:sqlite') as {
      DatabaseSync: new (
        path: string,
      ) => { isOpen: boolean; close(): void; prepare(sql: string): { get(): unknown } };
    };
    const database = new DatabaseSync(':memory:');
    const store = createSqliteStore({ database });
    store.create('k', liveRecord({ a: 1 }));
    expect(store.database).toBe(database);
    expect(store.connection.driver).toBe('node:sqlite');
    store.close();
    expect(database.isOpen).toBe(true);
    expect({
      ...(database.prepare('SELECT COUNT(*) AS n FROM tessera_sessions').get() as object),
    }).toEqual({ n: 1 });
    database.close();
  });

  it('picks node:sqlite on Node 24 and later, better-sqlite3 before, and refuses an unknown driver', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(pickDriver('auto')).toBe(major >= 24 ? 'node:sqlite' : 'better-sqlite3');
    expect(() => createSqliteStore({ path: ':memory:', driver: 'sqlite3' as never })).toThrow(
      /option "driver"/,
    );
  });

  it('closes a database it opened, once', () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.close();
    expect(store.connection.isOpen).toBe(false);
    store.close();
  });

  it('lets driver errors propagate (here: use after close)', () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.close();
    expect(() => store.read('k')).toThrow();
  });

  it('passes PRAGMA integrity_check after a stream of writes', () => {
    let time = 1_000_000;
    const store = createSqliteStore({ path: tempPath(), now: () => time });
    for (let index = 0; index < 500; index += 1) {
      const key = `key${index % 50}`;
      time += 7;
      store.create(key, {
        data: { index },
        createdAt: time,
        expiresAt: time + 1_000,
        userId: `u${index % 5}`,
      });
      store.update(key, {
        set: { step: index, blob: 'x'.repeat(index) },
        remove: ['index'],
        expiresAt: time + 2_000,
      });
      store.touch(key, time + (index % 3) * 500);
      if (index % 7 === 0) store.destroy(`key${(index * 3) % 50}`);
      if (index % 50 === 0) store.clearExpired({ batchSize: 3 });
      if (index % 90 === 0) store.destroyUserSessions(`u${index % 5}`, { exceptKey: key });
    }

    expect(pragma(store, 'integrity_check')).toBe('ok');
    store.close();
  });
});
