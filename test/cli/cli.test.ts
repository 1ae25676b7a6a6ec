import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { resolveStoreUrl } from '../../src/cli/open-store.js';
import { createProgressReporter } from '../../src/cli/progress.js';
import { runCli } from '../../src/cli/run-cli.js';
import { USAGE } from '../../src/cli/usage.js';
import {
  encodeValue,
  generateSessionId,
  SessionConfigError,
  type SessionStore,
  type StoredData,
} from '../../src/core/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { SUPPORTED_STORE_SCHEMES } from '../../src/stores/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import {
  captureOutput,
  fakeStore,
  runInProcess,
  spawnCli,
  type TempDatabase,
  useTempDatabases,
} from './cli-fixtures.js';

const HOUR = 3_600_000;
const DEFAULT_URL = 'sqlite:.tessera/sessions.db';
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const tempDatabase = useTempDatabases();

/** better-sqlite3 removes the WAL file when the last connection closes: its absence shows the CLI closed the store. */
function expectClosed(database: TempDatabase): void {
  expect(existsSync(`${database.path}-wal`)).toBe(false);
}

describe('tessera-session clear-expired', () => {
  it('removes the expired sessions, keeps the live ones and says how many it removed', async () => {
    const database = tempDatabase();
    const live = database.addSession();
    const expired = [1, 2, 3].map(() => database.addSession({ expiresAt: Date.now() - HOUR }));

    const run = await runInProcess(['clear-expired', '--store', database.url]);

    expect(run).toEqual({
      code: 0,
      stdout: `Removed 3 expired sessions from ${database.url}.\n`,
      stderr: '',
    });
    expect(database.holds(live)).toBe(true);
    for (const id of expired) expect(database.holds(id)).toBe(false);
    expectClosed(database);
  });

  it('says "1 expired session" and "0 expired sessions" in the singular and plural', async () => {
    const database = tempDatabase();
    database.addSession({ expiresAt: Date.now() - HOUR });

    const first = await runInProcess(['clear-expired', '--store', database.url]);
    const second = await runInProcess(['clear-expired', '--store', database.url]);

    expect(first.stdout).toBe(`Removed 1 expired session from ${database.url}.\n`);
    expect(second.stdout).toBe(`Removed 0 expired sessions from ${database.url}.\n`);
  });

  it('prints one progress line per batch on stderr while a large cleanup runs', async () => {
    const database = tempDatabase();
    database.addExpiredSessions(25_000);
    const live = database.addSession();

    const run = await runInProcess(['clear-expired', '--store', database.url]);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('Removed 10000…\nRemoved 20000…\n');
    expect(run.stdout).toBe(`Removed 25000 expired sessions from ${database.url}.\n`);
    expect(database.holds(live)).toBe(true);
    expectClosed(database);
  });

  it('redraws the progress on one line and clears it when stderr is a terminal', async () => {
    const database = tempDatabase();
    database.addExpiredSessions(20_500);

    const run = await runInProcess(['clear-expired', '--store', database.url], { tty: true });

    expect(run.stderr).toBe('\rRemoved 10000…\rRemoved 20000…\r\x1b[K');
    expect(run.stdout).toBe(`Removed 20500 expired sessions from ${database.url}.\n`);
  });

  it('works with a store that does not report progress', async () => {
    const store = createMemoryStore();
    store.create('a'.repeat(64), { data: {}, createdAt: 0, expiresAt: 1, userId: null });
    const run = await runInProcess(['clear-expired', '--store', 'custom://sessions'], {
      openStore: async () => store,
    });

    expect(run).toEqual({
      code: 0,
      stdout: 'Removed 1 expired session from custom://sessions.\n',
      stderr: '',
    });
  });

  it('clears a partly drawn progress line before reporting a store error', async () => {
    const store = fakeStore({
      clearExpired: ((options?: { onProgress?(removed: number): void }) => {
        options?.onProgress?.(10);
        options?.onProgress?.(20);
        throw new Error('disk I/O error');
      }) as SessionStore['clearExpired'],
    });

    const run = await runInProcess(['clear-expired'], { openStore: async () => store, tty: true });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `\rRemoved 10…\r\x1b[KStore error at ${DEFAULT_URL}: disk I/O error\n`,
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });
});

describe('tessera-session inspect', () => {
  it('prints the live session as JSON: digest, ISO dates, owner and decoded data', async () => {
    const database = tempDatabase();
    const createdAt = Date.parse('2024-05-01T10:00:00.000Z');
    const expiresAt = Date.now() + HOUR;
    const data = JSON.parse(
      JSON.stringify({
        name: 'Ada',
        visitedAt: encodeValue('visitedAt', new Date('2024-05-01T12:00:00.000Z')),
        tagged: encodeValue('tagged', { $date: 'not a date' }),
        _auth_user_hash: 'abc123',
        _flash: [{ level: 'info', message: 'Welcome back' }],
      }).replace('{', '{"__proto__":{"admin":true},'),
    ) as StoredData;
    const id = database.addSession({ data, createdAt, expiresAt, userId: 'user-42' });

    const run = await runInProcess(['inspect', id, '--store', database.url]);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.endsWith('}\n')).toBe(true);
    expect(run.stdout).toContain('\n  "key": ');
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['key', 'createdAt', 'expiresAt', 'userId', 'data']);
    expect(printed).toMatchObject({
      key: digestSessionIdNode(id),
      createdAt: '2024-05-01T10:00:00.000Z',
      expiresAt: new Date(expiresAt).toISOString(),
      userId: 'user-42',
    });
    const printedData = printed.data as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(printedData, '__proto__')?.value).toEqual({
      admin: true,
    });
    expect(printedData).toMatchObject({
      name: 'Ada',
      visitedAt: '2024-05-01T12:00:00.000Z',
      tagged: { $date: 'not a date' },
      _auth_user_hash: 'abc123',
      _flash: [{ level: 'info', message: 'Welcome back' }],
    });
    expect(run.stdout).not.toContain(id);
    expectClosed(database);
  });

  it('prints an anonymous session with a null userId', async () => {
    const database = tempDatabase();
    const id = database.addSession();

    const run = await runInProcess(['inspect', id, '--store', database.url]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ userId: null, data: {} });
  });

  it('finds the session by its store key too, as "list" shows it', async () => {
    const database = tempDatabase();
    const id = database.addSession({ data: { name: 'Ada' } });
    const key = digestSessionIdNode(id);

    const byKey = await runInProcess(['inspect', key, '--store', database.url]);
    const byId = await runInProcess(['inspect', id, '--store', database.url]);

    expect(byKey.code).toBe(0);
    expect(byKey.stdout).toBe(byId.stdout);
    expect(JSON.parse(byKey.stdout)).toMatchObject({ key, data: { name: 'Ada' } });
  });

  it('prints the same JSON with --json, so scripts may pass it to every command that prints', async () => {
    const database = tempDatabase();
    const id = database.addSession({ data: { name: 'Ada' } });

    const plain = await runInProcess(['inspect', id, '--store', database.url]);
    const json = await runInProcess(['inspect', id, '--json', '--store', database.url]);

    expect(json).toEqual(plain);
  });

  it('accepts an id that starts with "-", as is or after "--"', async () => {
    const database = tempDatabase();
    const id = `-${generateSessionId().slice(1)}`;
    database.addSession({}, id);

    const plain = await runInProcess(['inspect', id, '--store', database.url]);
    const separated = await runInProcess(['inspect', '--store', database.url, '--', id]);

    for (const run of [plain, separated]) {
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ key: digestSessionIdNode(id) });
    }
  });

  it('exits 1 for an unknown id, naming the store and why it may be missing', async () => {
    const database = tempDatabase();
    database.addSession();

    const run = await runInProcess(['inspect', generateSessionId(), '--store', database.url]);

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `No live session has that id in ${database.url}: it expired, was destroyed, ` +
        'or the session lives in another store.\n',
    });
    expectClosed(database);
  });

  it('exits 1 for an expired session, even before clear-expired removed it', async () => {
    const database = tempDatabase();
    const id = database.addSession({ expiresAt: Date.now() - 1000 });

    const run = await runInProcess(['inspect', id, '--store', database.url]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^No live session has that id in /);
    expect(database.holds(id)).toBe(true);
  });

  it('exits 2 for a value that is neither an id nor a store key, without opening the store', async () => {
    const database = tempDatabase();
    const missing = `${database.directory}/never-created.db`;

    const run = await runInProcess(['inspect', 'sid=abc', '--store', `sqlite:${missing}`]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^Not a Tessera session id or store key: "sid=abc"\. Pass the session cookie's value .* or the store key "tessera-session list" shows \(64 hex digits\)\.\n$/,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('shortens a long rejected value in the message', async () => {
    const run = await runInProcess(['inspect', 'x'.repeat(500)]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`"${'x'.repeat(48)}…"`);
    expect(run.stderr).not.toContain('x'.repeat(49));
  });

  it('exits 2 when the id is missing or followed by another argument', async () => {
    const missing = await runInProcess(['inspect']);
    const extra = await runInProcess(['inspect', generateSessionId(), 'more']);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      '"tessera-session inspect" needs a session id or store key.\nRun "tessera-session --help" for usage.\n',
    );
    expect(extra.code).toBe(2);
    expect(extra.stderr).toBe(
      'Unexpected argument "more" for "tessera-session inspect".\nRun "tessera-session --help" for usage.\n',
    );
  });
});

describe('tessera-session stats', () => {
  it('prints how many sessions the store holds, how many expired and their bytes', async () => {
    const database = tempDatabase();
    database.addSession({ data: { name: 'Ada' } });
    database.addSession({ data: { name: 'Grace' } });
    database.addSession({ expiresAt: Date.now() - HOUR });

    const run = await runInProcess(['stats', '--store', database.url]);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const match = /^sessions: 3\nexpired: 1\nbytes: (\d+)\n$/.exec(run.stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    expectClosed(database);
  });

  it('prints the same figures as one JSON object with --json', async () => {
    const database = tempDatabase();
    database.addSession({ data: { name: 'Ada' } });
    database.addSession({ expiresAt: Date.now() - HOUR });

    const text = await runInProcess(['stats', '--store', database.url]);
    const json = await runInProcess(['stats', '--json', '--store', database.url]);

    expect(json.code).toBe(0);
    const bytes = Number(/bytes: (\d+)/.exec(text.stdout)![1]);
    expect(JSON.parse(json.stdout)).toEqual({ sessions: 2, expired: 1, bytes });
  });

  it('exits 1 when the store does not report statistics, and still closes it', async () => {
    const store = fakeStore();

    const run = await runInProcess(['stats'], { openStore: async () => store });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The fake store does not report statistics.\n',
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('runs end to end through the real executable', async () => {
    const database = tempDatabase();
    database.addSession();
    database.addSession({ expiresAt: Date.now() - HOUR });

    const [ok, bad] = await Promise.all([
      spawnCli(['stats', '--store', database.url]),
      spawnCli(['stats', '--store', 'mongodb://admin:hunter2@cache:27017']),
    ]);

    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^sessions: 2\nexpired: 1\nbytes: \d+\n$/);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('unsupported scheme "mongodb:"');
    expect(bad.stderr).not.toContain('hunter2');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expectClosed(database);
  });
});

describe('read-only commands on a SQLite store create nothing', () => {
  const COMMANDS: readonly string[][] = [
    ['stats'],
    ['list'],
    ['inspect', generateSessionId()],
    ['revoke', generateSessionId()],
    ['revoke', '--user', 'user-42'],
    ['clear-expired'],
  ];

  it.each(COMMANDS)(
    '%s: a missing database file is an error (exit 1) saying how to create it',
    async (...args) => {
      const database = tempDatabase();
      const path = join(database.directory, 'no', 'such', 'dir', 'sessions.db');
      const url = `sqlite:${path}`;

      const run = await runInProcess([...args, '--store', url]);

      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `Store error: SQLite session database ${JSON.stringify(path)} does not exist. ` +
          'The application creates it when it first starts (unless its option "createTable" is false), ' +
          `or create it now: npx tessera-session migrate --store '${url}'\n`,
      });
      expect(existsSync(join(database.directory, 'no'))).toBe(false);
    },
  );

  it.each(COMMANDS)(
    '%s: a database without the sessions table is an error (exit 1), and the table is not created',
    async (...args) => {
      const database = tempDatabase();
      const other = new Database(database.path);
      other.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY)');
      other.close();

      const run = await runInProcess([...args, '--store', database.url]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Store error: Table "tessera_sessions" does not exist in SQLite database ${JSON.stringify(database.path)}. ` +
          'The application creates it when it first starts (unless its option "createTable" is false), ' +
          `or create it now: npx tessera-session migrate --store '${database.url}'\n`,
      );
      const check = new Database(database.path, { readonly: true });
      const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      check.close();
      expect(tables).toEqual([{ name: 'accounts' }]);
    },
  );

  it('works once migrate created the database', async () => {
    const database = tempDatabase();

    const before = await runInProcess(['stats', '--store', database.url]);
    const migrate = await runInProcess(['migrate', '--store', database.url]);
    const after = await runInProcess(['stats', '--store', database.url]);

    expect(before.code).toBe(1);
    expect(migrate.code).toBe(0);
    expect(after).toEqual({ code: 0, stdout: 'sessions: 0\nexpired: 0\nbytes: 0\n', stderr: '' });
  });
});

describe('tessera-session migrate', () => {
  it('creates the SQLite database file, its table and indexes, then finds nothing to do', async () => {
    const database = tempDatabase();
    const path = join(database.directory, 'new', 'sessions.db');
    const url = `sqlite:${path}`;

    const first = await runInProcess(['migrate', '--store', url]);
    const second = await runInProcess(['migrate', '--store', url]);

    expect(first).toEqual({
      code: 0,
      stdout:
        `Created database file ${JSON.stringify(path)}, table "tessera_sessions", ` +
        'index "tessera_sessions_created_at_key", index "tessera_sessions_expires_at_key" and ' +
        `index "tessera_sessions_user_id_created_at_key" in ${url}.\n`,
      stderr: '',
    });
    expect(second).toEqual({
      code: 0,
      stdout: `Nothing to migrate: table "tessera_sessions" in ${url} is up to date.\n`,
      stderr: '',
    });
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('adds the table to an existing SQLite database that lacks it', async () => {
    const database = tempDatabase();
    const other = new Database(database.path);
    other.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY)');
    other.close();

    const run = await runInProcess(['migrate', '--store', database.url]);

    expect(run.stdout).toBe(
      'Created table "tessera_sessions", index "tessera_sessions_created_at_key", ' +
        'index "tessera_sessions_expires_at_key" and ' +
        `index "tessera_sessions_user_id_created_at_key" in ${database.url}.\n`,
    );
  });

  it("creates the files store's directory, then finds nothing to do", async () => {
    const database = tempDatabase();
    const directory = join(database.directory, 'sessions');
    const url = `file:${directory}`;

    const first = await runInProcess(['migrate', '--store', url]);
    const second = await runInProcess(['migrate', '--store', url]);

    expect(first).toEqual({
      code: 0,
      stdout: `Created directory ${JSON.stringify(directory)} in ${url}.\n`,
      stderr: '',
    });
    expect(second.stdout).toBe(`Nothing to migrate: ${url} is up to date.\n`);
    expect(existsSync(directory)).toBe(true);
  });

  it('checks that a store without a schema answers, and says there is nothing to migrate', async () => {
    const ready = vi.fn(async () => {});
    const store = fakeStore({ ready });

    const run = await runInProcess(['migrate', '--store', 'fake://cache'], {
      openStore: async () => store,
    });

    expect(run).toEqual({
      code: 0,
      stdout: 'The fake store has no schema: nothing to migrate.\n',
      stderr: '',
    });
    expect(ready).toHaveBeenCalledTimes(1);
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it("runs the store's migrate() and closes the store, even when it does not say what it did", async () => {
    const store = Object.assign(fakeStore(), { migrate: vi.fn(async () => undefined) });

    const run = await runInProcess(['migrate', '--store', 'fake://admin:hunter2@host/db'], {
      openStore: async () => store,
    });

    expect(run).toEqual({
      code: 0,
      stdout: 'Migrated the fake store in fake://admin:***@host/db.\n',
      stderr: '',
    });
    expect(store.migrate).toHaveBeenCalledTimes(1);
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('opens the store so that it creates what is missing; every other command so that it creates nothing', async () => {
    const modes: unknown[] = [];
    const openStore = vi.fn(async (_url: string, mode: unknown) => {
      modes.push(mode);
      return Object.assign(fakeStore({ stats: () => ({ count: 0, expired: 0, bytes: 0 }) }), {
        migrate: async () => undefined,
      });
    });

    await runInProcess(['migrate'], { openStore });
    await runInProcess(['stats'], { openStore });

    expect(modes).toEqual([{ create: true }, { create: false }]);
  });

  it('exits 2 for an argument after migrate', async () => {
    const run = await runInProcess(['migrate', 'now']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Unexpected argument "now" for "tessera-session migrate".\nRun "tessera-session --help" for usage.\n',
    );
  });
});

describe('tessera store selection', () => {
  it('uses --store, else a non-empty SESSION_STORE, else the library default', () => {
    expect(resolveStoreUrl('memory:', { SESSION_STORE: 'sqlite:a.db' })).toBe('memory:');
    expect(resolveStoreUrl(undefined, { SESSION_STORE: 'sqlite:a.db' })).toBe('sqlite:a.db');
    expect(resolveStoreUrl(undefined, { SESSION_STORE: '' })).toBe(DEFAULT_URL);
    expect(resolveStoreUrl(undefined, {})).toBe(DEFAULT_URL);
  });

  it('opens the store SESSION_STORE names when --store is not given', async () => {
    const database = tempDatabase();
    database.addSession();

    const run = await runInProcess(['stats'], { env: { SESSION_STORE: database.url } });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sessions: 1\n/);
  });

  it('exits 2 with the masked URL for an unsupported scheme', async () => {
    const run = await runInProcess(['clear-expired'], {
      env: { SESSION_STORE: 'mongodb://admin:hunter2@cache:27017/0' },
    });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Store URL "mongodb://admin:***@cache:27017/0" has an unsupported scheme "mongodb:"; supported: ${SUPPORTED_STORE_SCHEMES.join(', ')}.\n`,
    );
  });

  it('exits 2 for a store URL that is not a URL', async () => {
    const run = await runInProcess(['stats', '--store', 'sessions.db']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Store URL "sessions\.db" is not a URL; use e\.g\./);
  });

  it('exits 2 for a bad parameter in the URL, before anything is opened', async () => {
    const database = tempDatabase();
    const url = `file:${database.directory}/sessions?mode=fast`;

    const run = await runInProcess(['migrate', '--store', url]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has a query or fragment, which the files store does not read/);
    expect(existsSync(join(database.directory, 'sessions'))).toBe(false);
  });

  it.each([
    ['stats', 'memory:'],
    ['list', 'memory:?maxEntries=10'],
    ['migrate', 'memory:'],
    ['stats', 'sqlite::memory:'],
  ])(
    '%s exits 2 for %s: a store inside one process would be a new, empty one',
    async (command, url) => {
      const openStore = vi.fn();

      const run = await runInProcess([command, '--store', url], { openStore });

      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /lives inside the process that opens it: this command would open an empty one of its own\. Pass --store the URL of the store your application uses \(sqlite:, file:, redis:, postgres:, mysql:\)\.\n$/,
      );
      expect(run.stderr).toContain(`(${url})`);
      expect(openStore).not.toHaveBeenCalled();
    },
  );

  it('exits 2 for a cookie store: its sessions live in the browser, not on the server', async () => {
    const store = createSignedCookieStore({ secrets: [randomBytes(32).toString('hex')] });

    const run = await runInProcess(['list'], { openStore: async () => store });

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "The signed-cookie store keeps sessions in the browser's cookies, not on the server: " +
        'there are none here to list, count, clear or revoke.\n',
    });
  });

  it('exits 1 with the store URL when the store cannot be read', async () => {
    const database = tempDatabase();
    writeFileSync(database.path, 'this is not a SQLite database, just some text '.repeat(40));

    const run = await runInProcess(['stats', '--store', database.url]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Store error at ${database.url}: SQLite database ${JSON.stringify(database.path)} cannot be read: ` +
        'file is not a database. Check that the path (option "path", or the store URL) names the session database.\n',
    );
  });

  it('exits 1, not 2, when a store with a good URL fails as it opens', async () => {
    const database = tempDatabase();
    // A file where the directory should be: the URL is fine, the file system is not.
    writeFileSync(join(database.directory, 'taken'), '');
    const url = `file:${join(database.directory, 'taken', 'sessions')}`;

    const run = await runInProcess(['migrate', '--store', url]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Store error at ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: createFileStore: cannot use the directory`,
      ),
    );
  });

  it('takes a SessionConfigError from a custom opener as a bad URL (exit 2), anything else as a store failure (exit 1)', async () => {
    const badUrl = await runInProcess(['stats', '--store', 'custom://x'], {
      openStore: async () => {
        throw new SessionConfigError('Store URL "custom://x" names no database.');
      },
    });
    const bug = await runInProcess(['stats'], {
      openStore: () => {
        throw new SyntaxError('opener bug');
      },
    });

    expect(badUrl).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Store URL "custom://x" names no database.\n',
    });
    expect(bug).toEqual({
      code: 1,
      stdout: '',
      stderr: `Store error at ${DEFAULT_URL}: opener bug\n`,
    });
  });

  it("says which driver to install when the store's driver package is missing", async () => {
    const missing = Object.assign(
      new Error("Cannot find package 'pg' imported from /srv/app/node_modules/x.js"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );

    const run = await runInProcess(['stats', '--store', 'postgres://app@db/prod'], {
      openStore: async () => {
        throw missing;
      },
    });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "Store error at postgres://app@db/prod: Cannot find package 'pg' imported from " +
        "/srv/app/node_modules/x.js. Install the store's driver: npm install pg\n",
    });
  });

  it("runs the store's ready() before a command, and reports its failure as a store failure", async () => {
    const store = fakeStore({
      ready: async () => {
        throw new SessionConfigError('Cannot reach Redis at redis://cache:6379 (ECONNREFUSED).');
      },
    });

    const run = await runInProcess(['stats', '--store', 'redis://cache:6379'], {
      openStore: async () => store,
    });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Store error: Cannot reach Redis at redis://cache:6379 (ECONNREFUSED).\n',
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('closes the store when a command fails, and reports a failing close', async () => {
    const failingRead = fakeStore({
      read: () => {
        throw new Error('connection reset');
      },
    });
    const failingClose = fakeStore({
      stats: () => ({ count: 0, expired: 0, bytes: 0 }),
    });
    failingClose.close.mockImplementation(() => {
      throw new Error('close failed');
    });

    const read = await runInProcess(['inspect', generateSessionId()], {
      openStore: async () => failingRead,
    });
    const close = await runInProcess(['stats'], { openStore: async () => failingClose });

    expect(read).toEqual({
      code: 1,
      stdout: '',
      stderr: `Store error at ${DEFAULT_URL}: connection reset\n`,
    });
    expect(failingRead.close).toHaveBeenCalledTimes(1);
    expect(close.code).toBe(1);
    expect(close.stderr).toBe(`Store error at ${DEFAULT_URL}: close failed\n`);
  });
});

describe('tessera command line', () => {
  it('prints the usage on stdout and exits 0 for --help, -h and help, without opening a store', async () => {
    const openStore = vi.fn();
    for (const args of [['--help'], ['-h'], ['help'], ['stats', '--help'], ['inspect', '-h']]) {
      const run = await runInProcess(args, { openStore });
      expect(run).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    }
    expect(openStore).not.toHaveBeenCalled();
    for (const command of ['stats', 'list', 'inspect <id or key>', 'revoke --user <id>']) {
      expect(USAGE).toContain(command);
    }
    expect(USAGE).toContain('clear-expired');
    expect(USAGE).toContain('SESSION_STORE');
    expect(USAGE).toContain('Exit codes: 0 done; 1 the store failed');
  });

  it("prints the package's version with --version, without opening a store", async () => {
    const openStore = vi.fn();

    const inProcess = await runInProcess(['--version'], { openStore });
    const spawned = await spawnCli(['stats', '--version']);

    expect(inProcess).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    expect(spawned).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    expect(openStore).not.toHaveBeenCalled();
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const run = await runInProcess([]);

    expect(run).toEqual({ code: 2, stdout: '', stderr: `No command given.\n\n${USAGE}\n` });
  });

  it('exits 2 for an unknown command', async () => {
    const run = await runInProcess(['clearsessions']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`Unknown command "clearsessions".\n\n${USAGE}\n`);
  });

  it('exits 2 for an unknown option or a missing --store value', async () => {
    const unknown = await runInProcess(['stats', '--verbose']);
    const short = await runInProcess(['stats', '-x']);
    const missing = await runInProcess(['stats', '--store']);

    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Unknown option "--verbose".\nRun "tessera-session --help" for usage.\n',
    });
    expect(short.stderr).toBe('Unknown option "-x".\nRun "tessera-session --help" for usage.\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Option '--store <value>' argument missing\n/);
  });

  it.each([
    { args: ['stats', '--limit', '5'], flag: '--limit' },
    { args: ['stats', '--user', 'user-42'], flag: '--user' },
    { args: ['inspect', generateSessionId(), '--show-data'], flag: '--show-data' },
    { args: ['clear-expired', '--json'], flag: '--json' },
    { args: ['migrate', '--json'], flag: '--json' },
    { args: ['revoke', '--user', 'user-42', '--json'], flag: '--json' },
  ])('exits 2 for an option the command does not take: $args', async ({ args, flag }) => {
    const openStore = vi.fn();

    const run = await runInProcess(args, { openStore });

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `Option ${flag} does not apply to "tessera-session ${args[0]}".\nRun "tessera-session --help" for usage.\n`,
    });
    expect(openStore).not.toHaveBeenCalled();
  });

  it('exits 2 for an argument after a command that takes none', async () => {
    const run = await runInProcess(['stats', 'now']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Unexpected argument "now" for "tessera-session stats".\nRun "tessera-session --help" for usage.\n',
    );
  });

  it('accepts --store before the command', async () => {
    const database = tempDatabase();
    database.create();

    const run = await runInProcess(['--store', database.url, 'stats']);

    expect(run).toEqual({ code: 0, stdout: 'sessions: 0\nexpired: 0\nbytes: 0\n', stderr: '' });
  });

  it('answers exit code 1 with the stack, instead of rejecting, for a failure of the CLI itself', async () => {
    const stderr = captureOutput();
    const stdout = {
      write: () => {
        throw new Error('stdout is gone');
      },
    };

    const code = await runCli(['--help'], { stdout, stderr, env: {} });

    expect(code).toBe(1);
    expect(stderr.text).toMatch(/^Unexpected error in tessera: Error: stdout is gone\n\s+at /);
  });
});

describe('progress reporter', () => {
  it('shows nothing for a run that finishes in one batch', () => {
    const stderr = captureOutput(true);
    const progress = createProgressReporter(stderr, 'Removed');

    progress.report(42);
    progress.finish();

    expect(stderr.text).toBe('');
  });

  it('names what it counts', () => {
    const stderr = captureOutput(false);
    const progress = createProgressReporter(stderr, 'Examined');

    progress.report(1000);
    progress.report(2000);
    progress.finish();

    expect(stderr.text).toBe('Examined 1000…\n');
  });
});

describe('the files store from the command line', () => {
  it('fails (exit 1) on a missing directory without creating it, naming it and how to create it', async () => {
    const database = tempDatabase();
    const directory = join(database.directory, 'sessions');

    const run = await runInProcess(['list', '--store', `file:${directory}`]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Store error at file:${directory}: Session directory ${JSON.stringify(directory)} does not exist. ` +
        'The application creates it when it first starts (unless its option "createDirectory" is false), ' +
        `or create it now: npx tessera-session migrate --store 'file://${directory}'\n`,
    );
    expect(existsSync(directory)).toBe(false);
  });

  it('counts the sessions of a directory the application created', async () => {
    const database = tempDatabase();
    const directory = join(database.directory, 'sessions');
    const app = createFileStore({ directory });
    await app.create(digestSessionIdNode(generateSessionId()), {
      data: { cart: ['book'] },
      createdAt: Date.now(),
      expiresAt: Date.now() + HOUR,
      userId: null,
    });
    await app.close();

    const run = await runInProcess(['stats', '--store', `file:${directory}`]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sessions: 1\nexpired: 0\nbytes: \d+\n$/);
  });
});
