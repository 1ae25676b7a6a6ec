import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { resolveStoreUrl } from '../../src/cli/open-store.js';
import { createProgressReporter } from '../../src/cli/progress.js';
import { runCli } from '../../src/cli/run-cli.js';
import { USAGE } from '../../src/cli/usage.js';
import {
  encodeValue,
  generateSessionId,
  type SessionStore,
  type StoredData,
} from '../../src/core/index.js';
import { maskStoreUrl, SUPPORTED_STORE_SCHEMES } from '../../src/stores/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { freePort } from '../helpers/listen.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import {
  captureOutput,
  createTempDatabase,
  runInProcess,
  type TempDatabase,
} from './cli-fixtures.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const postgres = await probeServer('postgres', SERVER_URLS.postgres);
const HOUR = 3_600_000;

let databases: TempDatabase[] = [];

function tempDatabase(): TempDatabase {
  const database = createTempDatabase();
  databases.push(database);
  return database;
}

afterEach(() => {
  for (const database of databases) {
    database.remove();
    expect(existsSync(database.directory)).toBe(false);
  }
  databases = [];
});

/** better-sqlite3 removes the WAL file when the last connection closes: its absence shows the CLI closed the store. */
function expectClosed(database: TempDatabase): void {
  expect(existsSync(`${database.path}-wal`)).toBe(false);
}

/** A store double: every method a spy; `overrides` replace some. */
function fakeStore(overrides: Partial<SessionStore> = {}): SessionStore & {
  close: ReturnType<typeof vi.fn>;
} {
  return {
    name: 'fake',
    read: vi.fn(() => null),
    create: vi.fn(() => true),
    update: vi.fn(() => true),
    touch: vi.fn(() => true),
    destroy: vi.fn(),
    clearExpired: vi.fn(() => 0),
    close: vi.fn(),
    ...overrides,
  } as SessionStore & { close: ReturnType<typeof vi.fn> };
}

/** Runs the real executable (through tsx) and answers its exit code and output. */
function spawnCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.SESSION_STORE;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', ...args],
      { cwd: REPO_ROOT, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
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
    const run = await runInProcess(['clear-expired', '--store', 'memory:'], {
      openStore: async () => store,
    });

    expect(run).toEqual({
      code: 0,
      stdout: 'Removed 1 expired session from memory:.\n',
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
      stderr: '\rRemoved 10…\r\x1b[KStore error: disk I/O error\n',
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

  it('exits 1 with "No live session with that id." for an unknown id', async () => {
    const database = tempDatabase();
    database.addSession();

    const run = await runInProcess(['inspect', generateSessionId(), '--store', database.url]);

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'No live session with that id.\n' });
    expectClosed(database);
  });

  it('exits 1 for an expired session, even before clear-expired removed it', async () => {
    const database = tempDatabase();
    const id = database.addSession({ expiresAt: Date.now() - 1000 });

    const run = await runInProcess(['inspect', id, '--store', database.url]);

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'No live session with that id.\n' });
    expect(database.holds(id)).toBe(true);
  });

  it('exits 2 for a value that is not a Tessera id, without opening the store', async () => {
    const database = tempDatabase();
    const missing = `${database.directory}/never-created.db`;

    const run = await runInProcess(['inspect', 'sid=abc', '--store', `sqlite:${missing}`]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^Not a Tessera session id: "sid=abc"\. Pass the session cookie's value/,
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
      '"tessera-session inspect" needs a session id.\nRun "tessera-session --help" for usage.\n',
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

describe('tessera-session migrate', () => {
  it('says a store without a schema has nothing to migrate, and exits 0', async () => {
    const database = tempDatabase();

    const memory = await runInProcess(['migrate', '--store', 'memory:']);
    const sqlite = await runInProcess(['migrate', '--store', database.url]);

    expect(memory).toEqual({
      code: 0,
      stdout: 'The memory store has no schema: nothing to migrate.\n',
      stderr: '',
    });
    expect(sqlite.code).toBe(0);
    expect(sqlite.stdout).toBe('The sqlite store has no schema: nothing to migrate.\n');
    expectClosed(database);
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

  it('exits 2 with a clear message, the password masked, when PostgreSQL cannot be reached', async () => {
    const port = await freePort();

    const run = await runInProcess([
      'migrate',
      '--store',
      `postgres://app:hunter2@127.0.0.1:${port}/app?table=sessions`,
    ]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^PostgreSQL session store at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app: .*ECONNREFUSED.*check the host and port in the URL`,
      ),
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('exits 2 for an argument after migrate', async () => {
    const run = await runInProcess(['migrate', 'now']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Unexpected argument "now" for "tessera-session migrate".\nRun "tessera-session --help" for usage.\n',
    );
  });
});

describeWithServer(postgres, 'tessera-session migrate on PostgreSQL', () => {
  const table = `tessera_cli_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER_URLS.postgres}?table=${table}`;
  const shown = maskStoreUrl(url);
  let admin: pg.Pool;

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: SERVER_URLS.postgres, max: 1 });
    admin.on('error', () => {});
  });

  afterAll(async () => {
    await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    await admin.end();
  });

  it('creates the table named by ?table= and its indexes, then finds nothing to do', async () => {
    const first = await runInProcess(['migrate', '--store', url]);

    expect(first).toEqual({
      code: 0,
      stdout:
        `Created table "${table}", index "${table}_expires_at_idx" and index "${table}_user_id_idx" ` +
        `in ${shown}.\n`,
      stderr: '',
    });
    const found = await admin.query('SELECT to_regclass($1) IS NOT NULL AS found', [`"${table}"`]);
    expect(found.rows).toEqual([{ found: true }]);

    const second = await runInProcess(['migrate', '--store', url]);
    expect(second).toEqual({
      code: 0,
      stdout: `Nothing to migrate: table "${table}" in ${shown} is up to date.\n`,
      stderr: '',
    });
  });

  it('leaves a table an application with createTable: false can use', async () => {
    await runInProcess(['migrate', '--store', url]);
    const store = createPostgresStore({ url: SERVER_URLS.postgres, table, createTable: false });

    await store.ready();
    expect(
      await store.create('a'.repeat(64), { data: {}, createdAt: 0, expiresAt: 1, userId: null }),
    ).toBe(true);
    await store.close();

    const stats = await runInProcess(['stats', '--store', url]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^sessions: 1\nexpired: 1\n/);
    const cleared = await runInProcess(['clear-expired', '--store', url]);
    expect(cleared.stdout).toBe(`Removed 1 expired session from ${shown}.\n`);
  });

  it('runs end to end through the real executable, which then exits', async () => {
    const run = await spawnCli(['migrate', '--store', url]);

    expect(run).toEqual({
      code: 0,
      stdout: `Nothing to migrate: table "${table}" in ${shown} is up to date.\n`,
      stderr: '',
    });
  });
});

describe('tessera store selection', () => {
  it('uses --store, else a non-empty SESSION_STORE, else the library default', () => {
    expect(resolveStoreUrl('memory:', { SESSION_STORE: 'sqlite:a.db' })).toBe('memory:');
    expect(resolveStoreUrl(undefined, { SESSION_STORE: 'sqlite:a.db' })).toBe('sqlite:a.db');
    expect(resolveStoreUrl(undefined, { SESSION_STORE: '' })).toBe('sqlite:.tessera/sessions.db');
    expect(resolveStoreUrl(undefined, {})).toBe('sqlite:.tessera/sessions.db');
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

  it('exits 1 with "Store error: …" when the store cannot be read', async () => {
    const database = tempDatabase();
    writeFileSync(database.path, 'this is not a SQLite database, just some text '.repeat(40));

    const run = await runInProcess(['stats', '--store', database.url]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Store error: file is not a database\n');
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

    expect(read).toEqual({ code: 1, stdout: '', stderr: 'Store error: connection reset\n' });
    expect(failingRead.close).toHaveBeenCalledTimes(1);
    expect(close.code).toBe(1);
    expect(close.stderr).toBe('Store error: close failed\n');
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
    expect(USAGE).toContain('clear-expired');
    expect(USAGE).toContain('inspect <session id>');
    expect(USAGE).toContain('SESSION_STORE');
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

  it('exits 2 for an argument after a command that takes none', async () => {
    const run = await runInProcess(['stats', 'now']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Unexpected argument "now" for "tessera-session stats".\nRun "tessera-session --help" for usage.\n',
    );
  });

  it('accepts --store before the command', async () => {
    const database = tempDatabase();

    const run = await runInProcess(['--store', database.url, 'stats']);

    expect(run).toEqual({ code: 0, stdout: 'sessions: 0\nexpired: 0\nbytes: 0\n', stderr: '' });
  });

  it('reports any failure to open the store as a store error', async () => {
    const run = await runInProcess(['stats'], {
      openStore: () => {
        throw new SyntaxError('opener bug');
      },
    });

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'Store error: opener bug\n' });
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

describe('clear-expired progress reporter', () => {
  it('shows nothing for a run that finishes in one batch', () => {
    const stderr = captureOutput(true);
    const progress = createProgressReporter(stderr);

    progress.report(42);
    progress.finish();

    expect(stderr.text).toBe('');
  });
});
