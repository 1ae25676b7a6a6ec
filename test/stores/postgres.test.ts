import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionRecord, StoredData } from '../../src/core/store.js';
import { createStoreFromUrl, maskStoreUrl } from '../../src/stores/index.js';
import {
  createPostgresStore,
  DEFAULT_POSTGRES_STORE_OPTIONS,
  type PostgresStore,
  type PostgresStoreOptions,
} from '../../src/stores/postgres/index.js';
import { createPagingStatements } from '../../src/stores/postgres/paging-statements.js';
import { parseTableName } from '../../src/stores/postgres/table-name.js';
import { decodeText, encodeText } from '../../src/stores/postgres/text-codec.js';
import { freePort } from '../helpers/listen.js';
import {
  type PrivatePostgres,
  privatePostgresAvailability,
  startPrivatePostgres,
} from '../helpers/private-postgres.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';

const MINUTE = 60_000;
const DATABASE_URL = SERVER_URLS.postgres;
const postgres = await probeServer('postgres', DATABASE_URL);
/** Every table (and schema) of this run carries this mark, and is dropped at the end. */
const RUN = `tessera_test_${randomBytes(4).toString('hex')}`;
const tables: string[] = [];
const schemas: string[] = [];

let tableCount = 0;

/** A fresh table name of this run, dropped in afterAll. */
function tableName(label: string): string {
  tableCount += 1;
  const name = `${RUN}_${label}_${tableCount}`;
  tables.push(name);
  return name;
}

function key(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: StoredData = {}, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

function setDelta(set: StoredData, remove: string[] = []) {
  return { set, remove, expiresAt: Date.now() + MINUTE };
}

/** An error's message, for assertions on rejected promises. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describeWithServer(postgres, 'createPostgresStore()', () => {
  /** A pool of the test's own, for looking at tables with plain SQL. */
  let admin: pg.Pool;
  const stores: PostgresStore[] = [];
  /** A store on a fresh table of this run, closed in afterAll. */
  const openStore = (options: Partial<PostgresStoreOptions> = {}): PostgresStore => {
    const store = createPostgresStore({ url: DATABASE_URL, table: tableName('t'), ...options });
    stores.push(store);
    return store;
  };

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    admin.on('error', () => {});
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS ${quoteName(table)}`);
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  describeStoreConformance('postgres', async () => {
    const store = createPostgresStore({ url: DATABASE_URL, table: tableName('conformance') });
    await store.ready();
    return { store, cleanup: () => store.close() };
  });

  describe('options', () => {
    it('has frozen defaults', () => {
      expect(Object.isFrozen(DEFAULT_POSTGRES_STORE_OPTIONS)).toBe(true);
      expect(DEFAULT_POSTGRES_STORE_OPTIONS).toMatchObject({
        table: 'tessera_sessions',
        createTable: true,
        connectionTimeoutMillis: 2_000,
        queryTimeoutMillis: 5_000,
        maxConnections: 10,
        preparedStatements: true,
      });
    });

    it('accepts frozen options and leaves them unchanged', async () => {
      const options = Object.freeze({ url: DATABASE_URL, table: tableName('frozen') });
      const store = createPostgresStore(options);
      expect(options).toEqual({ url: DATABASE_URL, table: options.table });
      expect(store.table).toBe(options.table);
      await store.close();
    });

    it.each([
      ['a name with a space', 'my sessions'],
      ['SQL', 'sessions; DROP TABLE users'],
      ['a leading digit', '1sessions'],
      ['three parts', 'a.b.c'],
      ['a quote', 'ses"sions'],
      ['an empty name', ''],
      ['49 characters', 'x'.repeat(49)],
    ])('rejects a table name with %s, naming the option', (_, table) => {
      expect(() => createPostgresStore({ url: DATABASE_URL, table })).toThrow(SessionConfigError);
      expect(() => createPostgresStore({ url: DATABASE_URL, table })).toThrow(
        /option "table" must be a plain SQL name/,
      );
    });

    it('accepts a schema-qualified table name', async () => {
      const store = createPostgresStore({ url: DATABASE_URL, table: 'auth.sessions' });
      expect(store.table).toBe('auth.sessions');
      await store.close();
    });

    it('wants exactly one of url and pool', () => {
      expect(() => createPostgresStore({})).toThrow(/give option "url" .* or option "pool"/);
      const pool = new pg.Pool({ connectionString: DATABASE_URL });
      expect(() => createPostgresStore({ url: DATABASE_URL, pool })).toThrow(
        /options "url" and "pool" exclude each other/,
      );
      void pool.end();
    });

    it('rejects a url that is not a postgres URL, masking its password', () => {
      expect(() => createPostgresStore({ url: 'mysql://root:hunter2@db/test' })).toThrow(
        /option "url" must use the postgres: or postgresql: scheme, got "mysql:\/\/root:\*\*\*@db\/test"/,
      );
      expect(() => createPostgresStore({ url: 'localhost:5432' })).toThrow(/option "url"/);
      expect(() => createPostgresStore({ url: 5432 as unknown as string })).toThrow(/option "url"/);
    });

    it('points a url with ?table= to the table option', () => {
      expect(() => createPostgresStore({ url: `${DATABASE_URL}?table=mine` })).toThrow(
        /"table" query parameter, which only createStoreFromUrl\(\) and the tessera CLI read. Pass option "table"/,
      );
    });

    it('rejects something that is not a pool', () => {
      expect(() => createPostgresStore({ pool: {} as pg.Pool })).toThrow(
        /option "pool" must be a pg.Pool/,
      );
    });

    it('refuses pool-shaping options beside a given pool', () => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL });
      expect(() => createPostgresStore({ pool, connectionTimeoutMillis: 1000 })).toThrow(
        /option "connectionTimeoutMillis" only shapes the pool the store creates/,
      );
      expect(() => createPostgresStore({ pool, maxConnections: 3 })).toThrow(
        /option "maxConnections" only shapes the pool/,
      );
      void pool.end();
    });

    it.each([
      [
        'connectionTimeoutMillis',
        0,
        /option "connectionTimeoutMillis" must be a positive whole number/,
      ],
      ['queryTimeoutMillis', -1, /option "queryTimeoutMillis" must be a positive whole number/],
      ['queryTimeoutMillis', 1.5, /option "queryTimeoutMillis"/],
      ['maxConnections', 0, /option "maxConnections" must be a positive integer/],
      ['createTable', 'yes', /option "createTable" must be true or false/],
      ['preparedStatements', 1, /option "preparedStatements" must be true or false/],
      ['onError', 'log', /option "onError" must be a function/],
      ['now', 5, /option "now" must be a function/],
    ])('rejects %s = %s, naming the option', (name, value, message) => {
      expect(() =>
        createPostgresStore({
          url: DATABASE_URL,
          [name]: value,
        } as unknown as PostgresStoreOptions),
      ).toThrow(message);
    });
  });

  describe('createStoreFromUrl()', () => {
    it('opens a postgres: or postgresql: URL, taking ?table= as the table', async () => {
      const table = tableName('url');
      const store = (await createStoreFromUrl(`${DATABASE_URL}?table=${table}`)) as PostgresStore;
      const other = (await createStoreFromUrl(
        `${DATABASE_URL.replace(/^postgres:/, 'postgresql:')}?table=${table}&application_name=x`,
      )) as PostgresStore;
      stores.push(store, other);

      expect(store.name).toBe('postgres');
      expect(store.table).toBe(table);
      const id = key();
      expect(await store.create(id, liveRecord({ via: 'url' }))).toBe(true);
      expect((await other.read(id))?.data).toEqual({ via: 'url' });
    });

    it('takes ?createTable=false, and refuses another value for it', async () => {
      const table = tableName('url_missing');
      const store = (await createStoreFromUrl(
        `${DATABASE_URL}?table=${table}&createTable=false`,
      )) as PostgresStore;
      stores.push(store);
      await expect(store.ready()).rejects.toThrow(`Table "${table}" does not exist`);
      await expect(createStoreFromUrl(`${DATABASE_URL}?createTable=maybe`)).rejects.toThrow(
        /"createTable" parameter must be true or false/,
      );
    });
  });

  describe('the table', () => {
    it('is created on first use with its indexes, with the documented columns', async () => {
      const store = openStore();
      await store.create(key(), liveRecord({ a: 1 }));

      const columns = await admin.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_name = $1 ORDER BY ordinal_position`,
        [store.table],
      );
      expect(columns.rows).toEqual([
        { column_name: 'key', data_type: 'text', is_nullable: 'NO' },
        { column_name: 'data', data_type: 'jsonb', is_nullable: 'NO' },
        { column_name: 'created_at', data_type: 'bigint', is_nullable: 'NO' },
        { column_name: 'expires_at', data_type: 'bigint', is_nullable: 'NO' },
        { column_name: 'user_id', data_type: 'text', is_nullable: 'YES' },
      ]);
      const indexes = await admin.query(
        'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
        [store.table],
      );
      expect(indexes.rows.map((row) => row.indexname)).toEqual([
        `${store.table}_created_idx`,
        `${store.table}_expires_at_idx`,
        `${store.table}_lastused_idx`,
        `${store.table}_pkey`,
        `${store.table}_user_id_idx`,
        `${store.table}_user_page_idx`,
      ]);
      const definitions = new Map(indexes.rows.map((row) => [row.indexname, row.indexdef]));
      expect(definitions.get(`${store.table}_user_id_idx`)).toMatch(
        /WHERE \(user_id IS NOT NULL\)/,
      );
      expect(definitions.get(`${store.table}_created_idx`)).toMatch(
        /\(created_at, key, expires_at\)$/,
      );
      expect(definitions.get(`${store.table}_lastused_idx`)).toMatch(/\(expires_at, key\)$/);
      expect(definitions.get(`${store.table}_user_page_idx`)).toMatch(
        /\(user_id, created_at, key, expires_at\) WHERE \(user_id IS NOT NULL\)$/,
      );
    });

    it('with createTable: false and no table, fails clearly, until migrate() creates it', async () => {
      const store = openStore({ createTable: false });
      const message =
        `Table "${store.table}" does not exist in ${maskStoreUrl(DATABASE_URL)}; ` +
        `run "npx tessera-session migrate --store '${maskStoreUrl(DATABASE_URL)}?table=${store.table}'" or pass createTable: true.`;

      const ready = await rejectionOf(store.ready());
      expect(ready).toBeInstanceOf(SessionConfigError);
      expect(ready.message).toBe(message);
      const read = await rejectionOf(store.read(key()));
      expect(read).toBeInstanceOf(SessionConfigError);
      expect(read.message).toBe(message);

      expect(await store.migrate()).toEqual({
        table: store.table,
        created: [
          `table "${store.table}"`,
          `index "${store.table}_expires_at_idx"`,
          `index "${store.table}_user_id_idx"`,
          `index "${store.table}_created_idx"`,
          `index "${store.table}_lastused_idx"`,
          `index "${store.table}_user_page_idx"`,
        ],
      });
      await store.ready();
      const id = key();
      expect(await store.create(id, liveRecord({ a: 1 }))).toBe(true);
      expect((await store.read(id))?.data).toEqual({ a: 1 });
      expect(await store.migrate()).toEqual({ table: store.table, created: [] });
    });

    it('creates a missing index of an existing table on migrate()', async () => {
      const store = openStore();
      await store.migrate();
      await admin.query(`DROP INDEX "${store.table}_user_id_idx"`);

      expect((await store.migrate()).created).toEqual([`index "${store.table}_user_id_idx"`]);
    });

    it('adds the paging indexes (issue 13) to a table made before them on migrate(), once', async () => {
      const store = openStore();
      await store.migrate();
      const id = key();
      await store.create(id, liveRecord({ a: 1 }, { userId: 'ada' }));
      for (const suffix of ['created_idx', 'lastused_idx', 'user_page_idx']) {
        await admin.query(`DROP INDEX "${store.table}_${suffix}"`);
      }

      expect((await store.migrate()).created).toEqual([
        `index "${store.table}_created_idx"`,
        `index "${store.table}_lastused_idx"`,
        `index "${store.table}_user_page_idx"`,
      ]);
      expect((await store.migrate()).created).toEqual([]);
      const page = await store.pageSessions({ limit: 5, userId: 'ada' });
      expect(page.sessions.map((session) => session.key)).toEqual([id]);
    });

    it('walks an index backwards for every page, with no sort but of one user’s sessions by last use', async () => {
      const store = openStore();
      await store.migrate();
      const now = Date.now();
      // 20,000 rows, a fifth anonymous, then fresh statistics, as a planner in production has.
      await admin.query(
        `INSERT INTO "${store.table}" (key, data, created_at, expires_at, user_id)
         SELECT md5(i::text) || md5((i + 1)::text), '{"n": 1}', $1::bigint - i * 1000, $1::bigint + i * 1000,
           CASE WHEN i % 5 = 0 THEN NULL ELSE 'user-' || (i % 3000) END
         FROM generate_series(1, 20000) AS i`,
        [now],
      );
      await admin.query(`ANALYZE "${store.table}"`);
      const statements = createPagingStatements(parseTableName(store.table), false);
      const values = { first: [now, 50], after: [now, 50, now - 5_000_000, 'f'] };
      const planOf = async (text: string, parameters: unknown[]) =>
        (await admin.query(`EXPLAIN ${text}`, parameters)).rows
          .map((row) => row['QUERY PLAN'])
          .join('\n');

      for (const [order, column] of [
        ['created', 'created_at'],
        ['lastUsed', 'expires_at'],
      ] as const) {
        const pages = statements.pages[order];
        const first = await planOf(pages.first.text, values.first);
        const after = await planOf(pages.after.text, values.after);
        // The first page starts at the end of an index on the value; PostgreSQL
        // may pick the plain expiry index and sort ties only (Incremental Sort).
        expect(first).toMatch(/Index (Only )?Scan Backward using /);
        expect(first).not.toMatch(/(?<!Incremental )Sort {2}\(/);
        // A later page seeks the composite index to the cursor: no rows before it are read.
        expect(after).toMatch(
          new RegExp(`Index (Only )?Scan Backward using ${store.table}_(created|lastused)_idx`),
        );
        expect(after).toContain(`ROW(${column}, key) < ROW(`);
        expect(after).not.toMatch(/Sort {2}\(/);
        // One user's sessions come from a user index, and only they are sorted.
        const ofUser = await planOf(pages.afterOfUser.text, [now, 50, 'user-7', now + 9e9, 'f']);
        expect(ofUser).toMatch(/_user_(page|id)_idx/);
      }
    });

    it('is created once when many operations and stores start together', async () => {
      const table = tableName('race');
      const racing = Array.from({ length: 4 }, () => openStore({ table }));
      const results = await Promise.all(
        racing.flatMap((store) => [store.create(key(), liveRecord()), store.read(key())]),
      );
      expect(results.filter((result) => result === true)).toHaveLength(4);
    });

    it('is created again on the next operation when dropped while in use', async () => {
      const store = openStore();
      const id = key();
      await store.create(id, liveRecord({ a: 1 }));
      await admin.query(`DROP TABLE "${store.table}"`);

      const failure = await rejectionOf(store.read(id));
      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toBe(
        `Table "${store.table}" does not exist in ${maskStoreUrl(DATABASE_URL)} (dropped while in use?); ` +
          'the next operation creates it again.',
      );

      expect(await store.read(id)).toBeNull();
      expect(await store.create(id, liveRecord({ a: 2 }))).toBe(true);
    });

    it('lives in the schema a qualified name gives', async () => {
      const schema = `${RUN}_schema`;
      schemas.push(schema);
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const store = openStore({ table: `${schema}.sessions` });
      const id = key();

      await store.create(id, liveRecord({ a: 1 }));

      const rows = await admin.query(`SELECT key FROM "${schema}".sessions`);
      expect(rows.rows).toEqual([{ key: id }]);
      expect((await store.migrate()).created).toEqual([]);
    });

    it('fails ready() clearly when the schema does not exist', async () => {
      const store = openStore({ table: `${RUN}_no_such_schema.sessions` });
      await expect(store.ready()).rejects.toThrow(
        /schema .* does not exist; create the schema \(CREATE SCHEMA tessera_test_\w+_no_such_schema\)/,
      );
    });

    it('fails ready() clearly when a table of that name is not a sessions table', async () => {
      const table = tableName('foreign');
      await admin.query(`CREATE TABLE "${table}" (id serial PRIMARY KEY, name text)`);
      const store = openStore({ table });

      await expect(store.ready()).rejects.toThrow(
        new RegExp(`table "${table}" is not a Tessera sessions table`),
      );
    });
  });

  describe('update()', () => {
    it('is one UPDATE applied inside the server: keys another writer set meanwhile survive', async () => {
      const store = openStore();
      const id = key();
      await store.create(id, liveRecord({ original: true, dropped: 1 }));
      const other = await admin.connect();
      try {
        // Another writer changes the row and holds its lock…
        await other.query('BEGIN');
        await other.query(
          `UPDATE "${store.table}" SET data = data || '{"other": "by SQL"}' WHERE key = $1`,
          [id],
        );
        // …so the store's update waits for the lock…
        const pending = store.update(id, setDelta({ mine: 'by the store' }, ['dropped']));
        await waitForLockWaiter();
        await other.query('COMMIT');

        // …and is then applied to the row the other writer left.
        expect(await pending).toBe(true);
      } finally {
        other.release();
      }
      expect((await store.read(id))?.data).toEqual({
        original: true,
        other: 'by SQL',
        mine: 'by the store',
      });
    });

    it('writes nothing for an expired record, even one not yet cleared', async () => {
      let time = 1_000_000;
      const store = openStore({ now: () => time });
      const id = key();
      await store.create(id, { data: { a: 1 }, createdAt: 0, expiresAt: 2_000_000, userId: null });
      time = 2_000_000;

      expect(await store.update(id, { set: { b: 2 }, remove: [], expiresAt: 9_000_000 })).toBe(
        false,
      );
      expect(await store.touch(id, 9_000_000)).toBe(false);

      const row = await admin.query(
        `SELECT data, expires_at FROM "${store.table}" WHERE key = $1`,
        [id],
      );
      expect(row.rows).toEqual([{ data: { a: 1 }, expires_at: '2000000' }]);
    });
  });

  describe('the NUL character and other strings jsonb refuses', () => {
    const awkward: StoredData = JSON.parse(
      JSON.stringify({
        'nul\u0000key': 'nul\u0000value',
        nested: { 'deep\u0000': ['a\u0000b', '\u0000', { '\u0000': '\u0000\u0000' }] },
        marker: '\u0001 alone, \u00010 and \u00011 and \u0001u0000 look like escapes',
        both: '\u0000\u0001\u0000',
        surrogates: 'lone \ud800 high, lone \udfff low, pair 🎉, reversed \udc00\ud800',
        backslashes: '\\u0000 is not a NUL, \\\\u0001 is not a marker',
        plain: 'héllo',
      }),
    );

    it('round-trips through create, read and list', async () => {
      const store = openStore();
      const id = key();
      const userId = 'user\u0000with\u0001nul';

      await store.create(id, liveRecord(awkward, { userId }));

      const read = await store.read(id);
      expect(read?.data).toEqual(awkward);
      expect(read?.userId).toBe(userId);
      expect((await store.listUserSessions(userId)).map((session) => session.data)).toEqual([
        awkward,
      ]);
      expect(await store.destroyUserSessions(userId)).toBe(1);
    });

    it('round-trips through update, set and remove, keys with NUL included', async () => {
      const store = openStore();
      const id = key();
      await store.create(id, liveRecord({ 'gone\u0000': 1, kept: 'x' }));

      expect(
        await store.update(
          id,
          setDelta({ 'new\u0000key': 'v\u0000', '\u0001': '\ud800' }, ['gone\u0000']),
        ),
      ).toBe(true);

      expect((await store.read(id))?.data).toEqual({
        kept: 'x',
        'new\u0000key': 'v\u0000',
        '\u0001': '\ud800',
      });
    });

    it('stores strings without them unchanged, so SQL sees the data as written', async () => {
      const store = openStore();
      const id = key();
      await store.create(id, liveRecord({ plain: 'héllo "quoted" \\ 🎉', n: 3.25 }));

      const row = await admin.query(`SELECT data FROM "${store.table}" WHERE key = $1`, [id]);
      expect(row.rows[0].data).toEqual({ plain: 'héllo "quoted" \\ 🎉', n: 3.25 });
    });

    /** Strings made of the characters the encoding cares about, and a few it does not. */
    const awkwardString = fc.string({
      unit: fc.constantFrom(
        '\u0000',
        '\u0001',
        '0',
        '1',
        'u',
        'd',
        '8',
        '\ud800',
        '\udc00',
        '\\',
        'é',
        '🎉',
      ),
      maxLength: 12,
    });

    it('encodes reversibly, for any string, into one without NUL or lone surrogates', () => {
      fc.assert(
        fc.property(fc.oneof(awkwardString, fc.string({ unit: 'binary' })), (text) => {
          const encoded = encodeText(text);
          expect(encoded.includes('\u0000')).toBe(false);
          expect(() => encodeURIComponent(encoded)).not.toThrow(); // throws on a lone surrogate
          expect(decodeText(encoded)).toBe(text);
        }),
        { numRuns: 500 },
      );
    });

    it('round-trips any JSON data with such strings through PostgreSQL', async () => {
      const store = openStore();
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            awkwardString,
            fc.jsonValue({ stringUnit: awkwardString.map((text) => text), maxDepth: 3 }),
          ),
          async (generated) => {
            // Through JSON, as the session core hands data over (-0 becomes 0).
            const data = JSON.parse(JSON.stringify(generated)) as StoredData;
            const id = key();
            expect(await store.create(id, liveRecord(data))).toBe(true);
            expect((await store.read(id))?.data).toEqual(data);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('clearExpired()', () => {
    it('removes expired records in batches, reporting progress, and keeps live ones', async () => {
      let time = 1_000_000;
      const store = openStore({ now: () => time });
      for (let index = 0; index < 25; index++) {
        await store.create(key(), { data: {}, createdAt: 0, expiresAt: 1_500_000, userId: null });
      }
      const live = key();
      await store.create(live, {
        data: { live: true },
        createdAt: 0,
        expiresAt: 9_000_000,
        userId: null,
      });
      time = 2_000_000;
      const progress: number[] = [];

      const removed = await store.clearExpired({
        batchSize: 10,
        onProgress: (count) => progress.push(count),
      });

      expect(removed).toBe(25);
      expect(progress).toEqual([10, 20, 25]);
      expect((await store.read(live))?.data).toEqual({ live: true });
      expect(await store.stats()).toMatchObject({ count: 1, expired: 0 });
      await expect(store.clearExpired({ batchSize: 0 })).rejects.toThrow(/option "batchSize"/);
    });

    it('clears 50 000 expired records among 100 000 in batches of 10 000', async () => {
      const store = openStore();
      await store.migrate();
      const far = Date.now() + 60 * MINUTE;
      await admin.query(
        `INSERT INTO "${store.table}" (key, data, created_at, expires_at, user_id)
         SELECT md5(i::text) || md5((-i)::text), '{"n": 1}'::jsonb, 0,
                CASE WHEN i % 2 = 0 THEN 1 ELSE $1::bigint END, NULL
         FROM generate_series(1, 100000) AS i`,
        [far],
      );
      const progress: number[] = [];

      const removed = await store.clearExpired({ onProgress: (count) => progress.push(count) });

      expect(removed).toBe(50_000);
      expect(progress).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
      expect(await store.stats()).toMatchObject({ count: 50_000, expired: 0 });
    });
  });

  describe('a pool passed in', () => {
    it('is used, and never ended by close()', async () => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
      const errors: unknown[] = [];
      const store = createPostgresStore({
        pool,
        table: tableName('given'),
        onError: (error) => errors.push(error),
      });
      expect(pool.listenerCount('error')).toBe(1);
      const id = key();
      await store.create(id, liveRecord({ a: 1 }));
      expect(store.pool).toBe(pool);

      await store.close();

      expect(pool.ended).toBe(false);
      expect(pool.listenerCount('error')).toBe(0);
      expect((await pool.query(`SELECT count(*)::int AS n FROM "${store.table}"`)).rows).toEqual([
        { n: 1 },
      ]);
      await pool.end();
      expect(errors).toEqual([]);
    });

    it('is shared by two stores on two tables without their statements mixing', async () => {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
      const first = createPostgresStore({ pool, table: tableName('first') });
      const second = createPostgresStore({ pool, table: tableName('second') });
      const id = key();

      await first.create(id, liveRecord({ in: 'first' }));
      await second.create(id, liveRecord({ in: 'second' }));

      expect((await first.read(id))?.data).toEqual({ in: 'first' });
      expect((await second.read(id))?.data).toEqual({ in: 'second' });
      await first.close();
      await second.close();
      await pool.end();
    });
  });

  it('ends the pool it created on close(), once', async () => {
    const store = createPostgresStore({ url: DATABASE_URL, table: tableName('owned') });
    await store.ready();
    await store.close();
    await store.close();
    expect(store.pool.ended).toBe(true);
    await expect(store.read(key())).rejects.toThrow();
  });

  it('works without prepared statements', async () => {
    const store = openStore({ preparedStatements: false });
    const id = key();
    await store.create(id, liveRecord({ a: 1 }));
    expect(await store.update(id, setDelta({ b: 2 }))).toBe(true);
    expect((await store.read(id))?.data).toEqual({ a: 1, b: 2 });
  });

  it('reads bigint columns as numbers whatever the pool parses int8 to', async () => {
    const types = new pg.TypeOverrides();
    types.setTypeParser(20, (text) => BigInt(text));
    const pool = new pg.Pool({ connectionString: DATABASE_URL, types });
    const store = createPostgresStore({ pool, table: tableName('bigint') });
    const id = key();
    const record = liveRecord({ a: 1 }, { userId: 'u' });
    await store.create(id, record);

    expect(await store.read(id)).toEqual(record);
    expect(await store.stats()).toEqual({ count: 1, expired: 0, bytes: expect.any(Number) });
    expect(await store.destroyUserSessions('u')).toBe(1);
    await store.close();
    await pool.end();
  });

  describe('ready()', () => {
    it('resolves for a reachable server, creating the table', async () => {
      const store = openStore();
      await store.ready();
      const found = await admin.query('SELECT to_regclass($1) IS NOT NULL AS found', [
        `"${store.table}"`,
      ]);
      expect(found.rows).toEqual([{ found: true }]);
    });

    it('rejects clearly for a port nothing listens on, masking the password', async () => {
      const port = await freePort();
      const url = `postgres://postgres:hunter2@127.0.0.1:${port}/test`;
      const store = createPostgresStore({ url });
      stores.push(store);

      const failure = await rejectionOf(store.ready());

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toContain(`postgres://postgres:***@127.0.0.1:${port}/test`);
      expect(failure.message).toMatch(/ECONNREFUSED/);
      expect(failure.message).toMatch(
        /nothing answers there: check the host and port in the URL, and that PostgreSQL is running\.$/,
      );
      expect(failure.message).not.toContain('hunter2');
      // Operations reject too, naming the server, and the process goes on.
      await expect(store.read(key())).rejects.toThrow(
        `PostgreSQL at postgres://postgres:***@127.0.0.1:${port}/test is unreachable`,
      );
    });

    it('rejects clearly for a host that does not exist', async () => {
      const store = createPostgresStore({ url: 'postgres://app@tessera-no-such-host.invalid/app' });
      stores.push(store);

      const failure = await rejectionOf(store.ready());

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toMatch(
        /^PostgreSQL session store at postgres:\/\/app@tessera-no-such-host\.invalid\/app: .*; (the host name is unknown: check the host in the URL|no answer within 2000 ms: check the host, port and firewall)/,
      );
    });

    it('rejects clearly for a database that does not exist', async () => {
      const url = DATABASE_URL.replace(/\/[^/]*$/, `/${RUN}_no_database`);
      const store = createPostgresStore({ url });
      stores.push(store);

      const failure = await rejectionOf(store.ready());

      expect(failure).toBeInstanceOf(SessionConfigError);
      expect(failure.message).toMatch(
        new RegExp(
          `database "${RUN}_no_database" does not exist; create the database \\(createdb <name>\\) or fix the database name`,
        ),
      );
    });
  });
});

const privateCluster = privatePostgresAvailability();

describeWithServer(privateCluster, 'createPostgresStore() with password authentication', () => {
  let cluster: PrivatePostgres;

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
  });

  afterAll(async () => {
    await cluster?.remove();
  });

  it('connects with the right password', async () => {
    const store = createPostgresStore({ url: cluster.url });
    await store.ready();
    const id = key();
    await store.create(id, liveRecord({ a: 1 }));
    expect((await store.read(id))?.data).toEqual({ a: 1 });
    await store.close();
  });

  it('rejects ready() clearly for a wrong password, never showing it', async () => {
    const url = cluster.url.replace(/:[^:@/]*@/, ':not-the-password@');
    const store = createPostgresStore({ url });

    const failure = await rejectionOf(store.ready());

    expect(failure).toBeInstanceOf(SessionConfigError);
    expect(failure.message).toBe(
      `PostgreSQL session store at postgres://postgres:***@127.0.0.1:${cluster.port}/postgres: ` +
        'password authentication failed for user "postgres"; check the user name and password in the URL.',
    );
    expect(failure.message).not.toContain('not-the-password');
    await store.close();
  });

  it('rejects ready() clearly for a user that does not exist', async () => {
    const url = cluster.url.replace('postgres:tessera', 'nobody:tessera');
    const store = createPostgresStore({ url });

    await expect(store.ready()).rejects.toThrow(/check the user name and password in the URL/);
    await store.close();
  });
});

/** Waits until some connection of the shared server waits for a row lock. */
async function waitForLockWaiter(): Promise<void> {
  const observer = new pg.Client({ connectionString: DATABASE_URL });
  await observer.connect();
  try {
    for (;;) {
      const waiting = await observer.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE application_name = 'tessera-session' AND wait_event_type = 'Lock'`,
      );
      if (waiting.rows[0].n > 0) return;
      await sleep(10);
    }
  } finally {
    await observer.end();
  }
}

/** `name` or `schema.name`, quoted. */
function quoteName(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
