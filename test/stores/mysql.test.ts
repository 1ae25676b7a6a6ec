/**
 * The MySQL / MariaDB store against the shared server (`MYSQL_URL`, MariaDB 10.11
 * on the development machines): the conformance suite, then what is particular
 * to this store. Every table is unique to the run and dropped afterwards.
 * Outage tests start a private MariaDB on a free port, never the shared one, and
 * check that the server answering there is theirs (its data directory).
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tracingChannel } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import mysql from 'mysql2';
import mysqlPromise, { type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SessionConfigError, SessionDataError } from '../../src/core/errors.js';
import {
  applyDelta,
  type SessionDelta,
  type SessionRecord,
  type StoredData,
  setOwnEntry,
} from '../../src/core/store.js';
import { createStoreFromUrl } from '../../src/stores/index.js';
import {
  createMysqlStore,
  DEFAULT_MYSQL_STORE_OPTIONS,
  MARIADB_MAX_JSON_DEPTH,
  type MysqlStore,
  type MysqlStoreOptions,
} from '../../src/stores/mysql/index.js';
import { pagingSql } from '../../src/stores/mysql/paging-statements.js';
import { findOverviewWindows } from '../../src/stores/session-overview.js';
import { freezeProcess, thawProcess } from '../helpers/freeze-process.js';
import {
  findClosedPort,
  type PortBoundProgram,
  startOnFreePort,
  startOnPort,
} from '../helpers/ports.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { describeStoreConformance } from './conformance.js';

const MINUTE = 60_000;
const RUN = randomBytes(4).toString('hex');
const server = await probeServer('mysql', SERVER_URLS.mysql);

/** A table name no other run uses. */
let tableCount = 0;
function uniqueTable(purpose: string): string {
  tableCount += 1;
  return `tessera_${RUN}_${tableCount}_${purpose}`;
}

/** A store key shaped like the core's: a SHA-256 digest in hex. */
function randomKey(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: StoredData, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

function delta(set: StoredData, remove: string[] = [], fields: Partial<SessionDelta> = {}) {
  return { set, remove, expiresAt: Date.now() + MINUTE, ...fields };
}

/** Data with one own entry per key, `__proto__` included. */
function dataOf(entries: Array<[string, StoredData[string]]>): StoredData {
  const data: StoredData = {};
  for (const [key, value] of entries) setOwnEntry(data, key, value);
  return data;
}

/** Own entries sorted by key, to compare data holding `__proto__` exactly. */
function entriesOf(data: StoredData | undefined): string {
  return JSON.stringify(Object.entries(data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The shared server's URL with another user, password, port or database. */
function urlWith(changes: { user?: string; password?: string; port?: number; database?: string }) {
  const url = new URL(SERVER_URLS.mysql);
  if (changes.user !== undefined) url.username = changes.user;
  if (changes.password !== undefined) url.password = changes.password;
  if (changes.port !== undefined) url.port = String(changes.port);
  if (changes.database !== undefined) url.pathname = `/${changes.database}`;
  return url.toString();
}

/** Records the SQL of every prepared statement mysql2 runs (its diagnostics channel). */
function recordStatements(): { statements: string[]; stop(): void } {
  const channel = tracingChannel<unknown, { query: string }>('mysql2:execute');
  const statements: string[] = [];
  const subscribers = {
    start: (context: { query: string }) => void statements.push(context.query),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: () => {},
    error: () => {},
  };
  channel.subscribe(subscribers);
  return { statements, stop: () => channel.unsubscribe(subscribers) };
}

describe('createMysqlStore() options', () => {
  const url = 'mysql://app:hunter2@127.0.0.1:3306/app';

  it('has frozen defaults: table tessera_sessions, created on first use, 2 s to connect, 5 s per operation', () => {
    expect(Object.isFrozen(DEFAULT_MYSQL_STORE_OPTIONS)).toBe(true);
    expect(DEFAULT_MYSQL_STORE_OPTIONS).toMatchObject({
      table: 'tessera_sessions',
      createTable: true,
      connectTimeout: 2_000,
      queryTimeout: 5_000,
    });
  });

  it('connects to nothing when created, and leaves the caller’s options unchanged', async () => {
    const options = Object.freeze({
      url: urlWith({ port: await findClosedPort() }),
      table: 'mine',
    });
    const store = createMysqlStore(options);
    expect(store.table).toBe('mine');
    expect(options).toEqual({ url: options.url, table: 'mine' });
    await store.close();
  });

  it('needs exactly one of url and pool', () => {
    expect(() => createMysqlStore({})).toThrow(SessionConfigError);
    expect(() => createMysqlStore({})).toThrow(/option "url".*option "pool"/);
    const pool = mysqlPromise.createPool(url);
    expect(() => createMysqlStore({ url, pool })).toThrow(/"url" and "pool" exclude each other/);
    void pool.end();
  });

  it('refuses a URL of another scheme, without a database or not a URL, masking the password', () => {
    expect(() => createMysqlStore({ url: 'postgres://app:hunter2@db/app' })).toThrow(
      /option "url".*must start with "mysql:\/\/" or "mariadb:\/\/"/,
    );
    expect(() => createMysqlStore({ url: 'mysql://app:hunter2@db:3306' })).toThrow(
      /"mysql:\/\/app:\*\*\*@db:3306".*names no database/,
    );
    expect(() => createMysqlStore({ url: 'mysql://app:hunter2@db:3306' })).not.toThrow(/hunter2/);
    expect(() => createMysqlStore({ url: 'sessions' })).toThrow(/option "url".*is not a URL/);
  });

  it('refuses the store’s own options as URL parameters, pointing to the option', () => {
    for (const name of ['table', 'createTable', 'connectTimeout', 'queryTimeout']) {
      expect(() => createMysqlStore({ url: `${url}?${name}=1` })).toThrow(
        new RegExp(`parameter "${name}", which is the store's: pass it as option "${name}"`),
      );
    }
    expect(() => createMysqlStore({ url: `${url}?connectionLimit=2` })).not.toThrow();
  });

  it('refuses a table name that is not a plain SQL name', () => {
    for (const table of ['bad-name', '1st', 'a;DROP TABLE x', 'x'.repeat(65), '', 'db.table']) {
      expect(() => createMysqlStore({ url, table })).toThrow(
        /option "table" must be a plain SQL name/,
      );
    }
    expect(() => createMysqlStore({ url, table: 'x'.repeat(64) })).not.toThrow();
  });

  it('refuses timeouts that are not positive whole milliseconds, naming the option', () => {
    for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => createMysqlStore({ url, connectTimeout: value })).toThrow(
        /option "connectTimeout"/,
      );
      expect(() => createMysqlStore({ url, queryTimeout: value })).toThrow(/option "queryTimeout"/);
    }
  });

  it('refuses a createTable, onError or now of the wrong type, naming the option', () => {
    const wrong = (options: object) => () =>
      createMysqlStore({ url, ...options } as MysqlStoreOptions);
    expect(wrong({ createTable: 'yes' })).toThrow(/option "createTable" must be true or false/);
    expect(wrong({ onError: 'log' })).toThrow(/option "onError" must be a function/);
    expect(wrong({ now: 5 })).toThrow(/option "now" must be a function/);
  });

  it('refuses a pool that is not a mysql2 pool, or with connectTimeout (set it on the pool)', () => {
    expect(() => createMysqlStore({ pool: {} as Pool })).toThrow(
      /option "pool" must be a mysql2 pool/,
    );
    const pool = mysqlPromise.createPool(url);
    expect(() => createMysqlStore({ pool, connectTimeout: 1_000 })).toThrow(
      /"connectTimeout" applies only to a pool the store opens/,
    );
    void pool.end();
  });

  it('refuses a pool without the FOUND_ROWS flag, which tells unchanged from missing', () => {
    const pool = mysqlPromise.createPool({ uri: url, flags: ['-FOUND_ROWS'] });
    expect(() => createMysqlStore({ pool })).toThrow(/FOUND_ROWS/);
    void pool.end();
  });
});

describeWithServer(server, 'mysql store', () => {
  /** Direct SQL on the shared server, as another writer or an administrator. */
  let admin: Pool;
  const tables: string[] = [];
  const stores: MysqlStore[] = [];
  let mariadb = false;

  /** A store on a table of its own, closed and dropped after the block. */
  function newStore(options: Partial<MysqlStoreOptions> = {}): MysqlStore {
    const table = options.table ?? uniqueTable('store');
    tables.push(table);
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table, ...options });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    admin = mysqlPromise.createPool(SERVER_URLS.mysql);
    const [rows] = await admin.query('SELECT VERSION() AS version');
    mariadb = /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
    await admin.end();
  });

  describeStoreConformance('mysql (MariaDB)', async () => {
    const table = uniqueTable('conformance');
    const store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    await store.ready();
    return {
      store,
      cleanup: async () => {
        await store.pool.query(`DROP TABLE IF EXISTS \`${table}\``);
        await store.close();
      },
    };
  });

  describe('store.update()', () => {
    it('applies a delta with one UPDATE statement, JSON_SET over JSON_REMOVE', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ keep: 1, drop: 2 }));
      const recorder = recordStatements();

      try {
        expect(await store.update(key, delta({ added: { a: [1] } }, ['drop']))).toBe(true);
      } finally {
        recorder.stop();
      }

      expect(recorder.statements).toHaveLength(1);
      expect(recorder.statements[0]).toMatch(
        new RegExp(`^UPDATE \`${store.table}\` SET data = JSON_SET\\(JSON_REMOVE\\(data, \\?\\)`),
      );
      expect((await store.read(key))?.data).toEqual({ keep: 1, added: { a: [1] } });
    });

    it('keeps a key another writer commits while the update waits for the row', async () => {
      const store = newStore({ queryTimeout: 20_000 });
      const key = randomKey();
      await store.create(key, liveRecord({ original: true, old: 'x' }));
      const other = await admin.getConnection();
      try {
        await other.query('START TRANSACTION');
        await other.query(
          `UPDATE \`${store.table}\` SET data = JSON_SET(data, '$.external', 'written by SQL') WHERE \`key\` = ?`,
          [key],
        );

        const update = store.update(key, delta({ mine: 1 }, ['old']));
        // The update now waits for the other transaction's row lock. (INNODB_TRX is a
        // cache that a read refreshes only when the previous one is 100 ms old.)
        await vi.waitFor(
          async () => {
            const [rows] = await admin.query(
              "SELECT COUNT(*) AS waiting FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'",
            );
            expect(Number((rows as Array<{ waiting: number }>)[0]?.waiting)).toBeGreaterThan(0);
          },
          { timeout: 10_000, interval: 250 },
        );
        await other.query('COMMIT');

        expect(await update).toBe(true);
      } finally {
        // Never hand the pool a connection inside a transaction holding the row.
        await other.query('ROLLBACK');
        other.release();
      }
      expect((await store.read(key))?.data).toEqual({
        original: true,
        external: 'written by SQL',
        mine: 1,
      });
    });

    it('keeps a key written directly with SQL before the update', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ a: 1 }));
      await admin.query(
        `UPDATE \`${store.table}\` SET data = JSON_SET(data, '$.external', JSON_EXTRACT('[1, 2]', '$')) WHERE \`key\` = ?`,
        [key],
      );

      await store.update(key, delta({ b: 2 }));

      expect((await store.read(key))?.data).toEqual({ a: 1, external: [1, 2], b: 2 });
    });

    it('round-trips awkward key names through create, set and remove', async () => {
      const store = newStore();
      const awkward = [
        'a"b',
        'back\\slash',
        '\\"',
        'a.b',
        '.',
        'a*',
        '*',
        '**',
        'with space',
        ' ',
        '',
        '__proto__',
        'constructor',
        'é',
        'e\u0301',
        '🎉',
        '日本語',
        '$',
        '$.x',
        '[0]',
        "it's",
        '`tick`',
        'new\nline',
        'tab\t',
        'nul\u0000',
        'ctl\u0001',
        'del\u007f',
        'sep\u2028',
        'a"."b',
        'x'.repeat(200),
      ];
      for (const name of awkward) {
        const key = randomKey();
        const initial = dataOf([
          [name, 'created'],
          ['other', 1],
          ['gone', true],
        ]);
        await store.create(key, liveRecord(initial));

        const change = {
          set: dataOf([[name, { updated: name }]]),
          remove: ['gone', `missing${name}`],
        };
        expect(await store.update(key, delta(change.set, change.remove))).toBe(true);
        const afterSet = await store.read(key);
        expect(entriesOf(afterSet?.data), JSON.stringify(name)).toBe(
          entriesOf(applyDelta(initial, change)),
        );
        expect(Object.getPrototypeOf(afterSet?.data)).toBe(Object.prototype);

        expect(await store.update(key, delta({}, [name]))).toBe(true);
        expect((await store.read(key))?.data, JSON.stringify(name)).toEqual({ other: 1 });
      }
    });

    it('stores values as JSON, not as JSON strings, and numbers and strings exactly', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({}));
      const values: StoredData = {
        float: 3.25,
        large: Number.MAX_SAFE_INTEGER,
        negative: -Number.MAX_SAFE_INTEGER,
        tiny: 5e-324,
        huge: 1.7976931348623157e308,
        sum: 0.1 + 0.2,
        text: 'nul \u0000 sep \u2028\u2029 emoji 🎉 combining e\u0301 quote " backslash \\',
        object: { nested: [1, { deeper: null }] },
        list: [true, false, null, 'x'],
        yes: true,
        nothing: null,
        emptyString: '',
      };

      await store.update(key, delta(values));

      expect((await store.read(key))?.data).toEqual(values);
      const types = Object.fromEntries(
        await Promise.all(
          ['float', 'large', 'text', 'object', 'list', 'nothing'].map(async (name) => {
            const [rows] = await admin.query(
              `SELECT JSON_TYPE(JSON_EXTRACT(data, ?)) AS type FROM \`${store.table}\` WHERE \`key\` = ?`,
              [`$.${name}`, key],
            );
            return [name, (rows as Array<{ type: string }>)[0]?.type];
          }),
        ),
      );
      expect(types).toEqual({
        float: 'DOUBLE',
        large: 'INTEGER',
        text: 'STRING',
        object: 'OBJECT',
        list: 'ARRAY',
        nothing: 'NULL',
      });
    });

    it('answers true for a live record the delta leaves unchanged, and for removing absent keys', async () => {
      const store = newStore();
      const key = randomKey();
      const record = liveRecord({ same: 'value' });
      await store.create(key, record);
      const unchanged = { set: { same: 'value' }, remove: [], expiresAt: record.expiresAt };

      expect(await store.update(key, unchanged)).toBe(true);
      expect(await store.update(key, unchanged)).toBe(true);
      expect(await store.update(key, { ...unchanged, set: {}, remove: ['never-there'] })).toBe(
        true,
      );
      expect(await store.touch(key, record.expiresAt)).toBe(true);

      expect((await store.read(key))?.data).toEqual({ same: 'value' });
    });

    it('applies a delta of more than 32 keys in a transaction, losing no parallel write', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ original: true, drop: 1 }));
      const many: StoredData = {};
      for (let index = 0; index < 40; index += 1) many[`bulk${index}`] = index;
      const userId = `user-${RUN}`;

      const results = await Promise.all([
        store.update(key, delta(many, ['drop'], { userId })),
        ...Array.from({ length: 10 }, (_, index) =>
          store.update(key, delta({ [`small${index}`]: index })),
        ),
      ]);

      expect(results.every(Boolean)).toBe(true);
      const read = await store.read(key);
      expect(Object.keys(read?.data ?? {}).sort()).toEqual(
        [
          'original',
          ...Object.keys(many),
          ...Array.from({ length: 10 }, (_, i) => `small${i}`),
        ].sort(),
      );
      expect(read?.userId).toBe(userId);
      expect(await store.update(randomKey(), delta(many))).toBe(false);
    });

    it('refuses a lone UTF-16 surrogate with a SessionDataError, storing nothing', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ a: 1 }));

      await expect(store.update(key, delta({ broken: 'half \ud83c' }))).rejects.toThrow(
        SessionDataError,
      );
      await expect(store.update(key, delta({ broken: 'half \ud83c' }))).rejects.toThrow(
        /Session key "broken".*lone UTF-16 surrogate/,
      );
      await expect(store.create(randomKey(), liveRecord({ '\udc00': 1 }))).rejects.toThrow(
        SessionDataError,
      );
      // An escaped backslash before "ud83c" is plain text, and an emoji is a whole pair.
      await store.update(key, delta({ text: '\\ud83c 🎉' }));
      expect((await store.read(key))?.data).toEqual({ a: 1, text: '\\ud83c 🎉' });
    });

    it('on MariaDB, refuses values nested deeper than its JSON functions allow instead of storing null', async (context) => {
      if (!mariadb) return context.skip();
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ a: 1 }));
      const nested = (depth: number) => {
        let value: StoredData[string] = 'bottom';
        for (let level = 0; level < depth; level += 1) value = [value];
        return value;
      };

      // The session object is one level, so a value may hold one fewer.
      await store.update(key, delta({ deepest: nested(MARIADB_MAX_JSON_DEPTH - 1) }));
      expect((await store.read(key))?.data.deepest).toEqual(nested(MARIADB_MAX_JSON_DEPTH - 1));

      await expect(
        store.update(key, delta({ deeper: nested(MARIADB_MAX_JSON_DEPTH) })),
      ).rejects.toThrow(/Session key "deeper".*deeper than MariaDB's JSON functions allow/);
      await expect(
        store.create(randomKey(), liveRecord({ deeper: nested(MARIADB_MAX_JSON_DEPTH) })),
      ).rejects.toThrow(SessionDataError);
      expect(Object.keys((await store.read(key))?.data ?? {})).toEqual(['a', 'deepest']);
    });
  });

  describe('store.create()', () => {
    it('replaces an expired leftover entirely but never a live record', async () => {
      let time = 1_000_000;
      const store = newStore({ now: () => time });
      await store.create('k', {
        data: { v: 1 },
        createdAt: 1,
        expiresAt: 2_000_000,
        userId: 'alice',
      });

      expect(
        await store.create('k', {
          data: { v: 2 },
          createdAt: 2,
          expiresAt: 3_000_000,
          userId: null,
        }),
      ).toBe(false);
      time = 2_000_000;
      expect(
        await store.create('k', {
          data: { v: 3 },
          createdAt: 3,
          expiresAt: 9_000_000,
          userId: null,
        }),
      ).toBe(true);

      expect(await store.read('k')).toEqual({
        data: { v: 3 },
        createdAt: 3,
        expiresAt: 9_000_000,
        userId: null,
      });
    });
  });

  describe('store.clearExpired()', () => {
    it('clears expired records in batches, reporting progress', async () => {
      let time = 1_000;
      const store = newStore({ now: () => time });
      for (let index = 0; index < 25; index += 1) {
        await store.create(`old${index}`, {
          data: {},
          createdAt: 0,
          expiresAt: 1_500,
          userId: null,
        });
      }
      await store.create('live', { data: {}, createdAt: 0, expiresAt: 9_000, userId: null });
      time = 2_000;
      const progress: number[] = [];

      const removed = await store.clearExpired({
        batchSize: 10,
        onProgress: (count) => progress.push(count),
      });

      expect(removed).toBe(25);
      expect(progress).toEqual([10, 20, 25]);
      expect(await store.stats()).toEqual({ count: 1, expired: 0, bytes: 2 });
      await expect(store.clearExpired({ batchSize: 0 })).rejects.toThrow(/option "batchSize"/);
    });
  });

  describe('store.destroyUserSessions()', () => {
    it('counts only live sessions, and removes the user’s expired ones too', async () => {
      let time = 1_000;
      const store = newStore({ now: () => time });
      await store.create('live', { data: {}, createdAt: 0, expiresAt: 9_000, userId: 'u' });
      await store.create('kept', { data: {}, createdAt: 0, expiresAt: 9_000, userId: 'u' });
      await store.create('stale', { data: {}, createdAt: 0, expiresAt: 1_500, userId: 'u' });
      time = 2_000;

      expect(await store.destroyUserSessions('u', { exceptKey: 'kept' })).toBe(1);

      expect(await store.stats()).toEqual({ count: 1, expired: 0, bytes: 2 });
      expect((await store.listUserSessions('u')).map((session) => session.key)).toEqual(['kept']);
    });
  });

  describe('the table', () => {
    it('is created on first use, with ASCII binary keys, JSON data and both indexes', async () => {
      const store = newStore();
      await store.create(randomKey(), liveRecord({ a: 1 }));

      const [columns] = await admin.query(
        `SELECT column_name AS name, data_type AS type, character_set_name AS charset, collation_name AS collation
         FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
        [store.table],
      );
      expect(columns).toMatchObject([
        { name: 'key', type: 'varchar', charset: 'ascii', collation: 'ascii_bin' },
        { name: 'data', type: mariadb ? 'longtext' : 'json' },
        { name: 'created_at', type: 'bigint' },
        { name: 'expires_at', type: 'bigint' },
        { name: 'user_id', type: 'varchar', charset: 'utf8mb4' },
      ]);
      const [indexes] = await admin.query(`SHOW INDEX FROM \`${store.table}\``);
      expect(new Set((indexes as Array<{ Key_name: string }>).map((row) => row.Key_name))).toEqual(
        new Set(['PRIMARY', 'idx_expires_at', 'idx_user_id', 'idx_created', 'idx_user_created']),
      );
    });

    it('is created again by the next operation after it is dropped while the store runs', async () => {
      const store = newStore();
      const key = randomKey();
      await store.create(key, liveRecord({ a: 1 }));

      await admin.query(`DROP TABLE \`${store.table}\``);

      await expect(store.read(key)).rejects.toThrow(/doesn't exist/);
      expect(await store.create(key, liveRecord({ b: 2 }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ b: 2 });
    });

    it('holds user ids of up to 255 characters, emoji included, and refuses longer ones clearly', async () => {
      const store = newStore();
      const longest = '🎉'.repeat(255);
      const key = randomKey();

      await store.create(key, liveRecord({}, { userId: longest }));
      expect((await store.read(key))?.userId).toBe(longest);

      await expect(
        store.create(randomKey(), liveRecord({}, { userId: 'u'.repeat(256) })),
      ).rejects.toThrow(/user id is longer than the 255 characters/);
      await expect(store.update(key, delta({}, [], { userId: 'u'.repeat(256) }))).rejects.toThrow(
        SessionDataError,
      );
      expect((await store.read(key))?.userId).toBe(longest);
    });

    it('with createTable: false and no table, fails clearly until migrate() creates it', async () => {
      const table = uniqueTable('migrated');
      const store = newStore({ table, createTable: false });

      const failure = store.ready();
      await expect(failure).rejects.toBeInstanceOf(SessionConfigError);
      await expect(store.ready()).rejects.toThrow(
        new RegExp(
          `table "${table}" does not exist in the database of mysql://root@127\\.0\\.0\\.1:3306/test.*` +
            `npx tessera-session migrate --store 'mysql://root@127\\.0\\.0\\.1:3306/test\\?table=${table}'.*createTable: true`,
        ),
      );
      await expect(store.read(randomKey())).rejects.toThrow(/does not exist/);

      expect(await store.migrate()).toEqual({ table, created: [`table "${table}"`] });
      await store.ready();
      const key = randomKey();
      expect(await store.create(key, liveRecord({ after: 'migrate' }))).toBe(true);
      expect((await store.read(key))?.data).toEqual({ after: 'migrate' });
      expect(await store.migrate()).toEqual({ table, created: [] });
    });

    it('migrate() adds the indexes an existing table lacks', async () => {
      const table = uniqueTable('bare');
      tables.push(table);
      await admin.query(
        `CREATE TABLE \`${table}\` (\`key\` VARCHAR(64) PRIMARY KEY, data JSON NOT NULL,
           created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, user_id VARCHAR(255) NULL)`,
      );
      const store = newStore({ table, createTable: false });

      expect(await store.migrate()).toEqual({
        table,
        created: [
          'index "idx_expires_at"',
          'index "idx_user_id"',
          'index "idx_created"',
          'index "idx_user_created"',
        ],
      });
      expect(await store.migrate()).toEqual({ table, created: [] });
    });

    it('migrate() adds the paging indexes (issue 13) to a table made before them, once', async () => {
      const table = uniqueTable('older');
      tables.push(table);
      await admin.query(
        `CREATE TABLE \`${table}\` (\`key\` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
           data JSON NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
           user_id VARCHAR(255) NULL, PRIMARY KEY (\`key\`),
           INDEX idx_expires_at (expires_at), INDEX idx_user_id (user_id))
         ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
      );
      const store = newStore({ table, createTable: false });
      const key = randomKey();
      await store.create(key, liveRecord({}, { userId: 'ada' }));

      expect(await store.migrate()).toEqual({
        table,
        created: ['index "idx_created"', 'index "idx_user_created"'],
      });
      expect(await store.migrate()).toEqual({ table, created: [] });
      const page = await store.pageSessions({ limit: 5, userId: 'ada' });
      expect(page.sessions.map((session) => session.key)).toEqual([key]);
    });

    it('walks an index for every page, never sorting rows in a file', async () => {
      const store = newStore();
      await store.migrate();
      const now = Date.now();
      // 5,000 rows, a fifth anonymous (the recursive CTE runs on MySQL 8 and MariaDB alike).
      await admin.query(
        `INSERT INTO \`${store.table}\` (\`key\`, data, created_at, expires_at, user_id)
         WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1000)
         SELECT CONCAT(MD5(a.i * 5 + b.j), MD5(a.i * 5 + b.j + 1)), '{"n": 1}',
           ? - (a.i * 5 + b.j) * 1000, ? + (a.i * 5 + b.j) * 1000,
           IF((a.i * 5 + b.j) % 5 = 0, NULL, CONCAT('user-', (a.i * 5 + b.j) % 700))
         FROM seq AS a CROSS JOIN (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2
           UNION ALL SELECT 3 UNION ALL SELECT 4) AS b`,
        [now, now],
      );
      await admin.query(`ANALYZE TABLE \`${store.table}\``);
      const sql = pagingSql(`\`${store.table}\``);
      const planOf = async (text: string, parameters: unknown[]) => {
        const [rows] = await admin.query(`EXPLAIN ${text}`, parameters);
        return rows as Array<{ key: string | null; Extra: string | null }>;
      };
      const cursor = [now - 2_000_000, now - 2_000_000, 'f'];

      for (const [order, index, value] of [
        ['created', 'idx_created', now - 2_000_000],
        ['lastUsed', 'idx_expires_at', now + 2_000_000],
      ] as const) {
        const pages = sql.pages[order];
        for (const plan of [
          await planOf(pages.first(50), [now]),
          await planOf(pages.after(50), [now, value, value, 'f']),
        ]) {
          expect(plan).toHaveLength(1);
          expect(plan[0]?.key).toBe(index);
          expect(plan[0]?.Extra ?? '').not.toMatch(/filesort/);
        }
      }
      const ofUser = await planOf(sql.pages.created.afterOfUser(50), ['user-7', now, ...cursor]);
      expect(ofUser[0]?.key).toMatch(/^idx_user_(created|id)$/);
    });

    it("writes the overview's values into its statements, so they run as text, not prepared (MariaDB re-ran a prepared GROUP BY 20x slower at 1M sessions)", async () => {
      const store = newStore();
      await store.ready();
      const sql = pagingSql(`\`${store.table}\``);
      const at = Date.now();
      const windows = findOverviewWindows(at, 24);
      const statements = sql.overview({ at, windows, topUsers: 10, sizeSample: 100 });

      for (const text of Object.values(statements)) {
        expect(text).not.toContain('?');
        // Valid as they stand: the server accepts them without parameters.
        await expect(admin.query(`EXPLAIN ${text}`)).resolves.toBeDefined();
      }
      expect(statements.count).toContain(`expires_at > ${at}`);
      expect(() => sql.overview({ at: at + 0.5, windows, topUsers: 10, sizeSample: 100 })).toThrow(
        TypeError,
      );
    });

    it('refuses a table of another shape, naming the missing column', async () => {
      const table = uniqueTable('other');
      tables.push(table);
      await admin.query(`CREATE TABLE \`${table}\` (id INT PRIMARY KEY, payload TEXT)`);
      const store = newStore({ table });

      await expect(store.ready()).rejects.toThrow(
        new RegExp(
          `table "${table}" .* is not a Tessera sessions table \\(column key is missing\\)`,
        ),
      );
    });
  });

  describe('a pool passed in', () => {
    it('is used, never closed, and the store refuses work once closed', async () => {
      const pool = mysqlPromise.createPool(SERVER_URLS.mysql);
      const table = uniqueTable('given');
      tables.push(table);
      const store = createMysqlStore({ pool, table });
      const key = randomKey();
      await store.create(key, liveRecord({ a: 1 }));

      expect(store.pool).toBe(pool);
      await store.close();

      const [rows] = await pool.query(`SELECT COUNT(*) AS n FROM \`${table}\``);
      expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
      await expect(store.read(key)).rejects.toThrow(/is closed/);
      await pool.end();
    });

    it('may be a callback pool from "mysql2", used through its promise API', async () => {
      const pool = mysql.createPool(SERVER_URLS.mysql);
      const table = uniqueTable('callback');
      tables.push(table);
      const store = createMysqlStore({ pool, table });
      const key = randomKey();

      await store.create(key, liveRecord({ via: 'callback pool' }));

      expect((await store.read(key))?.data).toEqual({ via: 'callback pool' });
      await store.close();
      await new Promise((resolve) => pool.end(resolve));
    });
  });

  describe('store.ready()', () => {
    it('rejects clearly for a port nothing listens on, masking the password', async () => {
      const port = await findClosedPort();
      const store = createMysqlStore({ url: urlWith({ password: 'hunter2', port }) });

      const failure = store.ready();

      await expect(failure).rejects.toBeInstanceOf(SessionConfigError);
      const message = await failure.catch((error: Error) => error.message);
      expect(message).toContain(`:***@127.0.0.1:${port}/`);
      expect(message).toMatch(/connection refused.*check the host and port/);
      expect(message).not.toContain('hunter2');
      await store.close();
    });

    it('rejects clearly for a database that does not exist', async () => {
      const database = `tessera_missing_${RUN}`;
      const store = createMysqlStore({ url: urlWith({ database }) });

      await expect(store.ready()).rejects.toThrow(
        new RegExp(
          `unknown database in mysql://.*/${database}: create it .* or fix the database name`,
        ),
      );
      await store.close();
    });

    it('rejects clearly for wrong credentials, and accepts the right ones', async () => {
      const user = `tessera_${RUN}`;
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-password'`);
      try {
        const database = new URL(SERVER_URLS.mysql).pathname.slice(1);
        await admin.query(`GRANT ALL ON \`${database}\`.* TO '${user}'@'%'`);
        const wrong = createMysqlStore({ url: urlWith({ user, password: 'wrong-password' }) });
        const failure = wrong.ready();

        await expect(failure).rejects.toBeInstanceOf(SessionConfigError);
        const message = await failure.catch((error: Error) => error.message);
        expect(message).toMatch(
          /access denied to mysql:\/\/tessera_\w+:\*\*\*@.*check the user name and password/,
        );
        expect(message).not.toContain('wrong-password');
        await wrong.close();

        const table = uniqueTable('granted');
        tables.push(table);
        const right = createMysqlStore({
          url: urlWith({ user, password: 'right-password' }),
          table,
        });
        await right.ready();
        await right.close();
      } finally {
        await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      }
    });

    it('resolves once the table exists, creating it', async () => {
      const store = newStore();
      await store.ready();
      const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${store.table}\``);
      expect((rows as Array<{ n: number }>)[0]?.n).toBe(0);
    });
  });

  describe('createStoreFromUrl()', () => {
    it('opens mysql: and mariadb: URLs, taking table and createTable from the query', async () => {
      const table = uniqueTable('from_url');
      tables.push(table);
      for (const scheme of ['mysql:', 'mariadb:']) {
        const url = new URL(SERVER_URLS.mysql);
        const raw = `${scheme}${url.href.slice(url.protocol.length)}?table=${table}&connectionLimit=2`;
        const store = await createStoreFromUrl(raw);
        expect(store.name).toBe('mysql');
        expect((store as MysqlStore).table).toBe(table);
        await store.ready?.();
        await store.close?.();
      }
      await expect(createStoreFromUrl(`${SERVER_URLS.mysql}?createTable=maybe`)).rejects.toThrow(
        /"createTable" parameter must be true or false/,
      );
      await expect(createStoreFromUrl(`${SERVER_URLS.mysql}?queryTimeout=soon`)).rejects.toThrow(
        /option "queryTimeout"/,
      );
    });
  });
});

// A private MariaDB that the tests stop and start, never the shared one.
const MARIADBD = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'].find((path) => existsSync(path));
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].find((path) =>
  existsSync(path),
);
const privateServer = {
  name: 'a private mariadbd',
  url: 'mysql://root@127.0.0.1/tessera',
  available: MARIADBD !== undefined && INSTALL_DB !== undefined,
  reason: 'mariadbd or mariadb-install-db is not installed',
};

describeWithServer(privateServer, 'mysql store while its server fails', () => {
  let directory: TempDir;
  let port: number;
  let serverProcess: ChildProcess | undefined;
  let url: string;

  /** The private server: started on a free port, and recognised by its data directory. */
  const mariadb: PortBoundProgram<ChildProcess> = {
    name: 'mariadbd',
    start: (port) => spawnMariadb(port),
    verify: async (_started, port) => {
      const connection = await mysqlPromise.createConnection({
        host: '127.0.0.1',
        port,
        user: 'root',
        connectTimeout: 2_000,
      });
      try {
        const [rows] = await connection.query<mysqlPromise.RowDataPacket[]>(
          'SELECT @@datadir AS datadir',
        );
        const answering = resolvePath(String(rows[0]?.datadir));
        if (answering !== directory.file('data')) {
          throw new Error(`the server of ${answering} answers, not ours`);
        }
      } finally {
        await connection.end();
      }
    },
    stop: (started) => stopProcess(started),
  };

  /** Starts mariadbd on `port` and waits until it accepts connections, or rejects with its log when it exits. */
  async function spawnMariadb(port: number): Promise<ChildProcess> {
    const logged = await stat(directory.file('error.log')).then(
      (file) => file.size,
      () => 0,
    );
    const child = spawn(
      MARIADBD!,
      [
        '--no-defaults',
        `--datadir=${directory.file('data')}`,
        `--user=${userInfo().username}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${directory.file('mysqld.sock')}`,
        `--pid-file=${directory.file('mysqld.pid')}`,
        `--log-error=${directory.file('error.log')}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
      ],
      { stdio: 'ignore' },
    );
    // Through its own socket, where nothing else can answer; its log says why it exited, if it did.
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = await readFile(directory.file('error.log'), 'utf8').catch(() => '');
        throw new Error(
          `mariadbd exited (${child.exitCode ?? child.signalCode}):\n${log.slice(logged)}`,
        );
      }
      try {
        const connection = await mysqlPromise.createConnection({
          socketPath: directory.file('mysqld.sock'),
          user: 'root',
          connectTimeout: 1_000,
        });
        await connection.end();
        return child;
      } catch (error) {
        if (Date.now() > deadline) {
          await stopProcess(child);
          throw new Error(`mariadbd on port ${port} not ready within 30 s`, { cause: error });
        }
        await sleep(100);
      }
    }
  }

  /** Ends a mariadbd, frozen or not, and waits for its exit. */
  async function stopProcess(running: ChildProcess): Promise<void> {
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited;
  }

  /** Starts the server again on its port, which another process may have taken meanwhile: then this says so. */
  async function startServer(): Promise<void> {
    serverProcess = await startOnPort(mariadb, port);
  }

  async function stopServer(): Promise<void> {
    const running = serverProcess;
    serverProcess = undefined;
    if (running !== undefined) await stopProcess(running);
  }

  beforeAll(async () => {
    directory = await createTempDir('tessera-mariadb-');
    await promisify(execFile)(INSTALL_DB!, [
      '--no-defaults',
      `--datadir=${directory.file('data')}`,
      `--user=${userInfo().username}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    ({ port, started: serverProcess } = await startOnFreePort(mariadb));
    const connection = await mysqlPromise.createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
    });
    await connection.query('CREATE DATABASE tessera');
    await connection.end();
    url = `mysql://root@127.0.0.1:${port}/tessera`;
  });

  afterAll(async () => {
    await stopServer();
    await directory?.remove();
  });

  it('rejects within queryTimeout while the server hangs, and works again once it answers', async () => {
    const store = createMysqlStore({ url, queryTimeout: 500, connectTimeout: 500 });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));

    const pid = serverProcess?.pid;
    if (pid === undefined) throw new Error('the private mariadbd is not running');
    // Every thread stopped before the read is sent (a queued SIGSTOP alone left a window: CI).
    await freezeProcess(pid);
    try {
      // The pooled connection's statement gets no answer: the deadline drops it.
      await expect(store.read(key)).rejects.toThrow(/within 500 ms \(option "queryTimeout"\)/);
      // A new connection completes TCP but gets no handshake: connectTimeout.
      await expect(store.read(key)).rejects.toThrow();
    } finally {
      thawProcess(pid);
    }

    await vi.waitFor(async () => expect((await store.read(key))?.data).toEqual({ a: 1 }), {
      timeout: 10_000,
      interval: 100,
    });
    await store.close();
  });

  it('rejects at once while the server is stopped, reports the lost connection, and recovers after a restart', async () => {
    const errors: unknown[] = [];
    const store = createMysqlStore({ url, onError: (error) => errors.push(error) });
    const key = randomKey();
    await store.create(key, liveRecord({ a: 1 }));

    await stopServer();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 5_000 });
    await expect(store.read(key)).rejects.toThrow(/ECONNREFUSED/);
    await expect(store.update(key, delta({ b: 2 }))).rejects.toThrow(/ECONNREFUSED/);

    await startServer();

    expect(await store.update(key, delta({ b: 2 }))).toBe(true);
    expect((await store.read(key))?.data).toEqual({ a: 1, b: 2 });
    await store.close();
  });
});
