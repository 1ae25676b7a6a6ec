import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionDelta, SessionRecord } from '../../src/core/store.js';
import {
  detectDriverSupport,
  pickDriver,
  type SqliteDriverSupport,
} from '../../src/stores/sqlite/driver-choice.js';
import {
  createSqliteStore,
  DEFAULT_SQLITE_PATH,
  DEFAULT_SQLITE_STORE_OPTIONS,
  SQLITE_SIZE_SAMPLE,
  type SqliteStore,
  type SqliteStoreOptions,
} from '../../src/stores/sqlite/index.js';
import { pagingSql } from '../../src/stores/sqlite/paging-statements.js';
import { findNodeBinary, type NodeBinary } from '../helpers/node-binaries.js';
import { describeWithServer } from '../helpers/servers.js';
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

  it('answers synchronously, but for update and rotate (group commit), which settle once committed', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const update = store.update('k', setDelta({ a: 1 }));
    expect(update).toBeInstanceOf(Promise);
    const rotate = store.rotate('k', 'k2', liveRecord());
    expect(rotate).toBeInstanceOf(Promise);
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
    expect(await rotate).toBe(false);
    store.close();
  });

  it('applies a rotation in call order with the updates of its batch, and a failed one undoes only itself', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.create('old', liveRecord({ a: 1 }));
    store.create('taken', liveRecord({ which: 'taken' }));
    store.create('other', liveRecord({}));

    // One batch: the update of the old key lands before the rotation moves it.
    const [updated, refused, after, rotated] = await Promise.allSettled([
      store.update('old', setDelta({ b: 2 })),
      store.rotate('old', 'taken', liveRecord({ moved: true })),
      store.update('other', setDelta({ c: 3 })),
      store.rotate('old', 'new', liveRecord({ moved: true })),
    ]);

    expect(updated).toEqual({ status: 'fulfilled', value: true });
    // A live row under the new key: the savepoint undoes the deletion of the old row.
    expect(refused.status).toBe('rejected');
    expect(after).toEqual({ status: 'fulfilled', value: true });
    expect(rotated).toEqual({ status: 'fulfilled', value: true });
    expect(store.read('taken')?.data).toEqual({ which: 'taken' });
    expect(store.read('other')?.data).toEqual({ c: 3 });
    expect(store.read('new')?.data).toEqual({ moved: true });
    expect(store.read('old')).toBeNull();
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

  // Issue 10 §3: 64 MiB of cache and a 256 MiB map took a server from 61 to 392 MB of RSS at 1M sessions.
  it('opens with a 16 MiB page cache and no memory map unless told otherwise', () => {
    expect(DEFAULT_SQLITE_STORE_OPTIONS.cacheSize).toBe(16 * 1024 * 1024);
    expect(DEFAULT_SQLITE_STORE_OPTIONS.mmapSize).toBe(0);
    const store = createSqliteStore({ path: tempPath() });
    expect(pragma(store, 'cache_size')).toBe(-16384); // negative: KiB
    expect(pragma(store, 'mmap_size')).toBe(0);
    store.close();

    const sized = createSqliteStore({
      path: tempPath(),
      cacheSize: 8_000_000,
      mmapSize: 64 * 1024 * 1024,
    });
    expect(pragma(sized, 'cache_size')).toBe(-7813); // rounded up to KiB
    expect(pragma(sized, 'mmap_size')).toBe(64 * 1024 * 1024);
    sized.close();
  });

  it('refuses a cacheSize or mmapSize that is not a whole number of bytes, or one set with a database', () => {
    for (const options of [
      { cacheSize: -1 },
      { cacheSize: 1.5 },
      { mmapSize: '64MB' },
      { mmapSize: Number.NaN },
    ]) {
      const name = Object.keys(options)[0]!;
      expect(() =>
        createSqliteStore({ path: ':memory:', ...(options as SqliteStoreOptions) }),
      ).toThrow(new RegExp(`option "${name}" must be a whole number of bytes`));
    }
    const database = {}; // refused before it is used
    expect(() => createSqliteStore({ database, cacheSize: 1024 })).toThrow(
      /option "cacheSize" is set on a database the store opens/,
    );
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

  it('opens the driver pickDriver chooses for this process, and refuses an unknown driver', () => {
    const store = createSqliteStore({ path: ':memory:' });
    expect(store.connection.driver).toBe(pickDriver('auto'));
    store.close();
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

describe('choosing the SQLite driver', () => {
  /** What a Node offers, for pickDriver. */
  function support(
    nodeVersion: string,
    has: 'both drivers' | 'node:sqlite only' | 'better-sqlite3 only' | 'no driver',
  ) {
    return {
      nodeVersion,
      hasNodeSqlite: has === 'both drivers' || has === 'node:sqlite only',
      hasBetterSqlite: has === 'both drivers' || has === 'better-sqlite3 only',
    } satisfies SqliteDriverSupport;
  }

  // node:sqlite printed "ExperimentalWarning: SQLite is an experimental feature" up to
  // Node 24.14 and 25.6 (nodejs/node#61262): checked on 22.13.0, 22.23.3, 24.0.0, 24.14.0,
  // 24.15.0, 25.6.1, 25.7.0, 24.21.0 and 26.10.0.
  it.each([
    ['20.19.0', 'better-sqlite3 only', 'better-sqlite3'],
    ['22.13.0', 'both drivers', 'better-sqlite3'],
    ['22.23.3', 'node:sqlite only', 'node:sqlite'],
    ['24.14.0', 'both drivers', 'better-sqlite3'],
    ['24.14.0', 'node:sqlite only', 'node:sqlite'],
    ['24.15.0', 'both drivers', 'node:sqlite'],
    ['24.21.0', 'both drivers', 'node:sqlite'],
    ['25.6.1', 'both drivers', 'better-sqlite3'],
    ['25.7.0', 'both drivers', 'node:sqlite'],
    ['26.0.0', 'both drivers', 'node:sqlite'],
  ] as const)('auto on Node %s with %s picks %s', (version, has, expected) => {
    expect(pickDriver('auto', support(version, has))).toBe(expected);
  });

  it('auto on Node 20 without better-sqlite3 throws, saying what to install or which Node to run', () => {
    const pick = () => pickDriver('auto', support('20.19.0', 'no driver'));

    expect(pick).toThrow(SessionConfigError);
    expect(pick).toThrow(
      'createSqliteStore: no SQLite driver on Node 20.19.0: better-sqlite3 is not installed, ' +
        "and Node's built-in node:sqlite arrived in Node 22.13. Either install better-sqlite3 " +
        '(npm install better-sqlite3), or run on Node 22.13 or later, where node:sqlite is built in ' +
        '(and silent from Node 24.15).',
    );
  });

  it('takes a named driver as it is where it is there, and says what to do where it is not', () => {
    const everything = support('24.21.0', 'both drivers');
    expect(pickDriver('better-sqlite3', everything)).toBe('better-sqlite3');
    expect(pickDriver('node:sqlite', support('22.23.3', 'both drivers'))).toBe('node:sqlite');

    expect(() => pickDriver('better-sqlite3', support('24.21.0', 'node:sqlite only'))).toThrow(
      'createSqliteStore: option "driver" is \'better-sqlite3\', but better-sqlite3 is not installed ' +
        '(it is an optional peer dependency). Either install better-sqlite3 (npm install better-sqlite3), ' +
        'or leave "driver" out to use Node\'s built-in node:sqlite.',
    );
    expect(() => pickDriver('better-sqlite3', support('20.19.0', 'no driver'))).toThrow(
      /is not installed \(it is an optional peer dependency\)\. Install better-sqlite3 \(npm install better-sqlite3\)\.$/,
    );
    expect(() => pickDriver('node:sqlite', support('20.19.0', 'better-sqlite3 only'))).toThrow(
      'createSqliteStore: option "driver" is \'node:sqlite\', but Node 20.19.0 does not have it ' +
        '(it is built in from Node 22.13). Run on Node 22.13 or later, or leave "driver" out to use ' +
        'the installed better-sqlite3.',
    );
    expect(() => pickDriver('node:sqlite', support('20.19.0', 'no driver'))).toThrow(
      /Run on Node 22\.13 or later, or install better-sqlite3 \(npm install better-sqlite3\) and leave "driver" out\.$/,
    );
  });

  it('finds better-sqlite3 where it is installed (a devDependency here) without loading a driver', () => {
    expect(detectDriverSupport()).toMatchObject({
      nodeVersion: process.versions.node,
      hasBetterSqlite: true,
    });
  });
});

describe('a process that used better-sqlite3 through the store', () => {
  // better-sqlite3 12 built against Node 24.19+ headers aborts the process when
  // the collector finalizes a database or statement after Node has torn its
  // environment down (nodejs/node#65446, WiseLibs/better-sqlite3#1515): 13 is
  // what Node 22+ apps must install, and what CI installs there.
  it('exits with status 0 and prints nothing, however many closed stores are left to the collector', {
    timeout: 60_000,
  }, async () => {
    for (let run = 0; run < 3; run += 1) {
      // runFile rejects on a non-zero exit or a signal (SIGABRT).
      const { stdout, stderr } = await runFile(
        process.execPath,
        ['--import', TSX, OPEN_CLOSE, '300'],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
          timeout: 30_000,
        },
      );
      expect({ stdout, stderr }).toEqual({ stdout: '', stderr: '' });
    }
  });
});

/** What `fixtures/sqlite-driver-choice.ts` reports. */
interface DriverChoiceReport {
  node: string;
  betterSqliteResolvable: boolean;
  results: {
    driver: string;
    opened?: string;
    roundTrip?: boolean;
    error?: { name: string; message: string };
  }[];
}

const DRIVER_CHOICE = fileURLToPath(new URL('./fixtures/sqlite-driver-choice.ts', import.meta.url));
const SOURCES = fileURLToPath(new URL('../../src/', import.meta.url));
const OPEN_CLOSE = fileURLToPath(new URL('./fixtures/sqlite-open-close.ts', import.meta.url));
const TSX = pathToFileURL(require.resolve('tsx')).href;

/**
 * Runs the fixture with `node`, creating a store for each driver option from
 * the sqlite store in `sources`; answers its report and what it printed on stderr.
 */
async function runDriverChoice(
  node: string,
  sources: string,
  drivers: readonly string[],
): Promise<{ report: DriverChoiceReport; stderr: string }> {
  const store = join(sources, 'stores', 'sqlite', 'index.ts');
  const { stdout, stderr } = await runFile(
    node,
    ['--import', TSX, DRIVER_CHOICE, store, ...drivers],
    // A directory of its own, and no NODE_PATH: nothing but the sources' own folders are searched.
    { cwd: tmpdir(), env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' }, timeout: 60_000 },
  );
  return { report: JSON.parse(stdout) as DriverChoiceReport, stderr };
}

const NODE_SQLITE_WARNING = /ExperimentalWarning: SQLite is an experimental feature/g;
const NO_DRIVER_MESSAGE =
  /^createSqliteStore: no SQLite driver on Node 20\.\d+\.\d+: .*Either install better-sqlite3 \(npm install better-sqlite3\), or run on Node 22\.13 or later/;

// The machine's Node and the npm registry's newest Node 22 and 24 (fetched by npx on first use).
const [node20, node22, node24] = await Promise.all([
  findNodeBinary(20),
  findNodeBinary(22),
  findNodeBinary(24),
]);

describe('an app that did not install better-sqlite3 (a copy of the sources, no node_modules)', () => {
  let app: string;

  beforeAll(() => {
    app = makeTempDirectory();
    cpSync(SOURCES, join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), '{ "type": "module" }\n');
  });

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  describeWithServer(node20, 'on Node 20', () => {
    it('fails at store creation, saying to install better-sqlite3 or run a newer Node', {
      timeout: 60_000,
    }, async () => {
      const { report, stderr } = await runDriverChoice(node20.path, join(app, 'src'), [
        'auto',
        'better-sqlite3',
        'node:sqlite',
      ]);

      expect(report.node).toMatch(/^20\./);
      expect(report.betterSqliteResolvable).toBe(false);
      const [auto, betterSqlite, nodeSqlite] = report.results;
      expect(auto?.error?.name).toBe('SessionConfigError');
      expect(auto?.error?.message).toMatch(NO_DRIVER_MESSAGE);
      expect(betterSqlite?.error?.message).toMatch(
        /option "driver" is 'better-sqlite3', but better-sqlite3 is not installed .* Install better-sqlite3 \(npm install better-sqlite3\)\.$/,
      );
      expect(nodeSqlite?.error?.message).toMatch(
        /option "driver" is 'node:sqlite', but Node 20\.\d+\.\d+ does not have it/,
      );
      expect(stderr).toBe('');
    });
  });

  describeWithServer(node22, 'on Node 22', () => {
    it('uses node:sqlite, with the one warning Node prints when it is loaded', {
      timeout: 60_000,
    }, async () => {
      const { report, stderr } = await runDriverChoice(node22.path, join(app, 'src'), [
        'better-sqlite3',
        'auto',
      ]);

      expect(report.node).toMatch(/^22\./);
      expect(report.betterSqliteResolvable).toBe(false);
      expect(report.results[0]?.error?.message).toMatch(
        /better-sqlite3 is not installed .* or leave "driver" out to use Node's built-in node:sqlite\.$/,
      );
      expect(report.results[1]).toEqual({ driver: 'auto', opened: 'node:sqlite', roundTrip: true });
      expect(stderr.match(NODE_SQLITE_WARNING)).toHaveLength(1);
    });
  });

  describeWithServer(node24, 'on Node 24', () => {
    it('uses node:sqlite and prints nothing; asking for better-sqlite3 says to install it', {
      timeout: 60_000,
    }, async () => {
      const { report, stderr } = await runDriverChoice(node24.path, join(app, 'src'), [
        'auto',
        'better-sqlite3',
      ]);

      expect(report.node).toMatch(/^24\./);
      expect(report.betterSqliteResolvable).toBe(false);
      expect(report.results[0]).toEqual({ driver: 'auto', opened: 'node:sqlite', roundTrip: true });
      expect(report.results[1]?.error?.message).toMatch(
        /option "driver" is 'better-sqlite3', but better-sqlite3 is not installed .*npm install better-sqlite3/,
      );
      expect(stderr).toBe('');
    });
  });
});

// Here better-sqlite3 is built for the machine's Node 20, so Node 22 finds it but cannot load its addon.
const onNode20 = process.versions.node.startsWith('20.');
describe.skipIf(!onNode20)('an app whose better-sqlite3 was built for another Node', () => {
  describeWithServer(node22, 'on Node 22', () => {
    it('fails at store creation, saying to rebuild it or pick node:sqlite', {
      timeout: 60_000,
    }, async () => {
      const { report } = await runDriverChoice(node22.path, SOURCES, ['auto']);

      expect(report.betterSqliteResolvable).toBe(true);
      expect(report.results[0]?.error?.message).toMatch(
        /^createSqliteStore: better-sqlite3 is installed but does not load on Node 22\.\d+\.\d+: .*\. Rebuild it for this Node \(npm rebuild better-sqlite3\), or pass driver: 'node:sqlite' on Node 22\.13 or later\.$/s,
      );
    });
  });
});

// Issue 10 §3: the default `.tessera/sessions.db` was created 0644 under umask 0022, readable by every local user.
const FILE_MODES = fileURLToPath(new URL('./fixtures/sqlite-file-modes.ts', import.meta.url));

interface FileModesReport {
  readonly created: FileModes;
  readonly existing: FileModes;
}
interface FileModes {
  readonly opened: string;
  readonly directories: readonly (string | null)[];
  readonly database: string | null;
  readonly wal: string | null;
  readonly shm: string | null;
  readonly roundTrip: boolean;
}

/** Runs the fixture under umask 0022 with `node` and one driver, in a fresh directory. */
async function runFileModes(node: string, driver: string): Promise<FileModesReport> {
  const directory = makeTempDirectory();
  try {
    const store = join(SOURCES, 'stores', 'sqlite', 'index.ts');
    const { stdout } = await runFile(
      node,
      ['--import', TSX, FILE_MODES, store, driver, directory],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        timeout: 60_000,
      },
    );
    return JSON.parse(stdout) as FileModesReport;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** This process's Node, as a probe for `describeWithServer`. */
function thisNode(available: boolean, reason: string): NodeBinary {
  const name = `Node ${process.versions.node}`;
  return { name, url: process.execPath, path: process.execPath, available, reason };
}

// Each driver where it runs: better-sqlite3 on this Node when safe here, node:sqlite here or on the newest Node 24.
const fileModeRuns = [
  {
    driver: 'better-sqlite3',
    node: thisNode(betterSqliteIsSafe, 'better-sqlite3 < 13 aborts here'),
  },
  { driver: 'node:sqlite', node: hasNodeSqlite ? thisNode(true, '') : node24 },
] as const;

describe.skipIf(process.platform === 'win32')(
  'file permissions of the database (umask 0022)',
  () => {
    for (const { driver, node } of fileModeRuns) {
      const title = `driver ${driver} on ${node.name}`;
      // A driver this Node cannot run (better-sqlite3 where it aborts) is skipped with its
      // reason; only a missing other Node binary is the environment's to provide (fails under CI).
      const declare =
        node.path === process.execPath && !node.available
          ? (name: string, body: () => void) => describe.skip(`${name} (${node.reason})`, body)
          : (name: string, body: () => void) => describeWithServer(node, name, body);
      declare(title, () => {
        let report: FileModesReport;
        beforeAll(async () => {
          report = await runFileModes(node.path, driver);
        }, 60_000);

        it('creates missing directories 0700 and the database, its -wal and -shm 0600', () => {
          expect(report.created).toEqual({
            opened: driver,
            directories: ['700', '700'],
            database: '600',
            wal: '600',
            shm: '600',
            roundTrip: true,
          });
        });

        it('leaves the mode of a directory and a file that already exist (the WAL follows the file)', () => {
          expect(report.existing).toEqual({
            opened: driver,
            directories: ['750'],
            database: '640',
            wal: '640',
            shm: '640',
            roundTrip: true,
          });
        });
      });
    }
  },
);

describe('SQLite store: paging, counting and the overview (issue 13 §2)', () => {
  const HOUR = 3_600_000;
  const PAGING_INDEXES = [
    'index "tessera_sessions_created_at_key"',
    'index "tessera_sessions_expires_at_key"',
    'index "tessera_sessions_user_id_created_at_key"',
  ];

  /** A store on a fresh file whose table was made before the paging indexes existed. */
  function storeOnAnOlderTable(options: SqliteStoreOptions = {}): {
    store: SqliteStore;
    cleanup: () => void;
  } {
    const directory = makeTempDirectory();
    const path = join(directory, 'sessions.db');
    const older = createSqliteStore({ path });
    older.create('a'.repeat(64), { data: {}, createdAt: 1, expiresAt: 8e12, userId: 'ada' });
    // The indexes of the versions before issue 13, instead of the three of now.
    older.connection.exec(
      'DROP INDEX tessera_sessions_created_at_key; DROP INDEX tessera_sessions_expires_at_key; ' +
        'DROP INDEX tessera_sessions_user_id_created_at_key; ' +
        'CREATE INDEX tessera_sessions_expires_at ON tessera_sessions (expires_at); ' +
        'CREATE INDEX tessera_sessions_user_id ON tessera_sessions (user_id) WHERE user_id IS NOT NULL;',
    );
    older.close();
    const store = createSqliteStore({ path, ...options });
    return {
      store,
      cleanup: () => {
        store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }

  it('migrate() adds the paging indexes to a table made before them, then finds nothing to do', () => {
    const { store, cleanup } = storeOnAnOlderTable({ createTable: false });

    expect(store.migrate()).toEqual({ table: 'tessera_sessions', created: PAGING_INDEXES });
    expect(store.migrate()).toEqual({ table: 'tessera_sessions', created: [] });
    expect(store.pageSessions({ limit: 5, userId: 'ada' }).sessions).toHaveLength(1);
    cleanup();
  });

  it('adds them when it opens an older table with createTable, and migrate() reports them once', () => {
    const { store, cleanup } = storeOnAnOlderTable();

    expect(store.migrate().created).toEqual(PAGING_INDEXES);
    expect(store.migrate().created).toEqual([]);
    cleanup();
  });

  it('walks an index for every page, count and overview statement, sorting no more than one user’s sessions', () => {
    const store = createSqliteStore({ path: ':memory:' });
    const now = Date.now();
    store.connection.exec('BEGIN');
    for (let index = 0; index < 2000; index += 1) {
      store.create(`${index}`.padStart(64, '0'), {
        data: { index },
        createdAt: now - index * 1000,
        expiresAt: now + index * 1000 + 1,
        userId: index % 5 === 0 ? null : `user-${index % 300}`,
      });
    }
    store.connection.exec('COMMIT');
    const sql = pagingSql('tessera_sessions');
    const values: Record<string, string | number> = {
      now,
      limit: 50,
      userId: 'user-1',
      value: now,
      key: 'f'.repeat(64),
      from: now - 3 * HOUR,
      to: now + 3 * HOUR,
    };
    const planOf = (source: string): string => {
      const names = new Set([...source.matchAll(/@(\w+)/g)].map((match) => match[1]!));
      const parameters = Object.fromEntries([...names].map((name) => [name, values[name]]));
      return (
        store.connection.prepare(`EXPLAIN QUERY PLAN ${source}`).all(parameters) as {
          detail: string;
        }[]
      )
        .map((row) => row.detail)
        .join('\n');
    };

    for (const order of ['created', 'lastUsed'] as const) {
      for (const [name, source] of Object.entries(sql.pages[order])) {
        const plan = planOf(source);
        expect(plan, `${order} ${name}`).toMatch(/USING (COVERING )?INDEX tessera_sessions_/);
        // By last use, one user's sessions are found by the user's index and sorted: a handful of rows.
        if (order === 'created' || !name.endsWith('OfUser')) {
          expect(plan, `${order} ${name}`).not.toMatch(/TEMP B-TREE/);
        }
      }
    }
    expect(planOf(sql.pages.created.after)).toMatch(
      /SEARCH tessera_sessions USING INDEX tessera_sessions_created_at_key \(\(created_at,key\)<\(\?,\?\)\)/,
    );
    expect(planOf(sql.pages.lastUsed.after)).toMatch(
      /SEARCH tessera_sessions USING INDEX tessera_sessions_expires_at_key \(expires_at>\? AND \(expires_at,key\)<\(\?,\?\)\)/,
    );
    for (const source of [sql.count, sql.createdPerHour, sql.expiringPerHour]) {
      const plan = planOf(source);
      expect(plan).toMatch(/USING COVERING INDEX tessera_sessions_/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    expect(planOf(sql.countOfUser)).toMatch(/USING (COVERING )?INDEX tessera_sessions_user_id/);
    // Grouped in the user index's order; only the groups are sorted, by count.
    expect(planOf(sql.topUsers)).toMatch(
      /USING COVERING INDEX tessera_sessions_user_id_created_at_key[^\n]*\n(?:.*\n)*.*TEMP B-TREE FOR ORDER BY/,
    );
    expect(planOf(sql.topUsers)).not.toMatch(/TEMP B-TREE FOR GROUP BY/);
    store.close();
  });

  it('answers the overview of sessions with known times, to the hour', () => {
    const at = Date.UTC(2030, 0, 10, 12, 30);
    const store = createSqliteStore({ path: ':memory:', now: () => at });
    const hour = Date.UTC(2030, 0, 10, 12);
    const write = (key: string, record: Partial<SessionRecord>) =>
      store.create(key.padStart(64, '0'), {
        data: {},
        createdAt: hour,
        expiresAt: hour + 5 * HOUR,
        userId: null,
        ...record,
      });
    write('1', { userId: 'ada', createdAt: hour - 2 * HOUR + 1, data: { pad: 'x'.repeat(300) } });
    write('2', { userId: 'ada', createdAt: hour - 2 * HOUR + 2, expiresAt: hour + HOUR });
    write('3', { userId: 'bob', createdAt: hour + 10, expiresAt: hour + 2 * HOUR - 1 });
    write('4', { createdAt: hour - 10 * HOUR, expiresAt: hour + 100 * HOUR });
    write('5', { userId: 'eve', createdAt: hour, expiresAt: at }); // expired at `at`

    const overview = store.describeSessions({ hours: 3, topUsers: 1 });

    expect(overview).toEqual({
      at,
      live: 4,
      users: 2,
      createdPerHour: [
        { hour: hour - 2 * HOUR, sessions: 2 },
        { hour: hour - HOUR, sessions: 0 },
        { hour, sessions: 1 },
      ],
      expiringPerHour: [
        { hour, sessions: 0 },
        { hour: hour + HOUR, sessions: 2 },
        { hour: hour + 2 * HOUR, sessions: 0 },
      ],
      sizes: [
        { upTo: 256, sessions: 3 },
        { upTo: 1024, sessions: 1 },
        { upTo: 4096, sessions: 0 },
        { upTo: 16_384, sessions: 0 },
        { upTo: 65_536, sessions: 0 },
        { upTo: null, sessions: 0 },
      ],
      sizesMeasured: 4,
      topUsers: [{ userId: 'ada', sessions: 2 }],
    });
    expect(store.countSessions()).toBe(4);
    expect(store.countSessions({ userId: 'ada' })).toBe(2);
    store.close();
  });

  it(`measures sizes on the newest ${SQLITE_SIZE_SAMPLE} live sessions when there are more`, () => {
    const store = createSqliteStore({ path: ':memory:' });
    const now = Date.now();
    store.connection.exec('BEGIN');
    for (let index = 0; index <= SQLITE_SIZE_SAMPLE; index += 1) {
      store.create(`${index}`.padStart(64, '0'), {
        data: {},
        createdAt: now - index,
        expiresAt: now + HOUR,
        userId: null,
      });
    }
    store.connection.exec('COMMIT');

    const overview = store.describeSessions({ hours: 1, topUsers: 1 });

    expect(overview.live).toBe(SQLITE_SIZE_SAMPLE + 1);
    expect(overview.sizesMeasured).toBe(SQLITE_SIZE_SAMPLE);
    expect(overview.sizes[0]).toEqual({ upTo: 256, sessions: SQLITE_SIZE_SAMPLE });
    store.close();
  });
});
