/**
 * The CLI's convention on every server-side store, against the real servers:
 * read-only commands create nothing and say how to create what is missing;
 * a refused login or an unreachable server exits 1 with the store URL
 * (password masked) and what to check; the application's sessions can be
 * listed, inspected and revoked.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { generateSessionId, type SessionStore } from '../../src/core/index.js';
import { maskStoreUrl } from '../../src/stores/index.js';
import { createMysqlStore } from '../../src/stores/mysql/index.js';
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { findClosedPort } from '../helpers/ports.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { runInProcess, spawnCli } from './cli-fixtures.js';

const RUN = randomBytes(4).toString('hex');
const HOUR = 3_600_000;
const [postgres, mariadb, redis] = await Promise.all([
  probeServer('postgres', SERVER_URLS.postgres),
  probeServer('mysql', SERVER_URLS.mysql),
  probeServer('redis', SERVER_URLS.redis),
]);

/** The read-only and maintenance commands, none of which may create anything. */
const READ_ONLY_COMMANDS: readonly string[][] = [
  ['stats'],
  ['list'],
  ['inspect', generateSessionId()],
  ['revoke', generateSessionId()],
  ['revoke', '--user', 'ada'],
  ['clear-expired'],
];

/** `url` with `name=value` added to its query. */
function withParameter(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** `url` with its user and password replaced. */
function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

/** `url` pointed at a loopback port nothing listens on. */
async function unreachable(url: string): Promise<string> {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(await findClosedPort());
  return parsed.toString();
}

/**
 * The round trip every store must support: the application writes sessions,
 * the CLI lists, inspects and revokes them (by id, by store key, by user).
 */
function itListsInspectsAndRevokes(storeUrl: () => string, openAppStore: () => SessionStore): void {
  it('lists, inspects and revokes the sessions the application wrote', async () => {
    const app = openAppStore();
    const now = Date.now();
    const ids = {
      anonymous: generateSessionId(),
      first: generateSessionId(),
      second: generateSessionId(),
    };
    const record = (createdAt: number, userId: string | null) => ({
      data: { visits: 1, _csrf_token: 'secret-token' },
      createdAt,
      expiresAt: now + HOUR,
      userId,
    });
    await app.create(digestSessionIdNode(ids.anonymous), record(now - 3000, null));
    await app.create(digestSessionIdNode(ids.first), record(now - 2000, 'ada'));
    await app.create(digestSessionIdNode(ids.second), record(now - 1000, 'ada'));
    await app.create(digestSessionIdNode(generateSessionId()), {
      ...record(now, 'ada'),
      expiresAt: now - 1000,
    });
    await app.close?.();
    const url = storeUrl();
    const shown = maskStoreUrl(url);
    const keysListed = async (...args: string[]) => {
      const run = await runInProcess(['list', '--json', ...args, '--store', url]);
      // Only progress may be on stderr: a Redis SCAN walks the whole keyspace in
      // steps, and other data on the shared server (a benchmark's) makes several.
      expect(run.stderr.replace(/^Examined \d+…\n/gm, '')).toBe('');
      return (JSON.parse(run.stdout) as { key: string }[]).map((session) => session.key);
    };

    expect(await keysListed()).toEqual(
      [ids.second, ids.first, ids.anonymous].map(digestSessionIdNode),
    );
    expect(await keysListed('--user', 'ada')).toEqual(
      [ids.second, ids.first].map(digestSessionIdNode),
    );
    const text = await runInProcess(['list', '--store', url]);
    expect(text.stdout).toContain('2 keys, ');
    expect(text.stdout).not.toContain('secret-token');
    const inspected = await runInProcess(['inspect', ids.first, '--store', url]);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ userId: 'ada', data: { visits: 1 } });

    const byKey = await runInProcess([
      'revoke',
      digestSessionIdNode(ids.anonymous),
      '--store',
      url,
    ]);
    const byUser = await runInProcess(['revoke', '--user', 'ada', '--store', url]);
    const again = await runInProcess(['revoke', ids.first, '--store', url]);

    expect(byKey).toEqual({ code: 0, stdout: `Revoked 1 session in ${shown}.\n`, stderr: '' });
    expect(byUser.code).toBe(0);
    expect(byUser.stderr).toBe('');
    // The store keys it revoked, newest first, then how many.
    expect(byUser.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${digestSessionIdNode(ids.second)}  created `)),
      expect.stringMatching(new RegExp(`^${digestSessionIdNode(ids.first)}  created `)),
      `Revoked 2 sessions of user "ada" in ${shown}.`,
    ]);
    expect(again.stdout).toBe(`Revoked 0 sessions: no live session has that id in ${shown}.\n`);
    expect(await keysListed()).toEqual([]);
    expect((await runInProcess(['inspect', ids.first, '--store', url])).code).toBe(1);
  });
}

/** The arguments of a `Next page: tessera-session list …` line (single-quoted words unquoted). */
function nextPageArguments(line: string | undefined): string[] {
  const command = /^Next page: tessera-session (.*)$/.exec(line ?? '')?.[1];
  if (command === undefined) throw new Error(`not a next-page line: ${JSON.stringify(line)}`);
  return command.split(' ').map((word) => word.replace(/^'(.*)'$/, '$1'));
}

/**
 * Issue 13 §2 on every store: the CLI pages through the application's
 * sessions with the cursor each page prints, in both orders, counts them, and
 * `revoke --user --dry-run` shows a user's sessions without revoking them.
 */
function itPagesCountsAndDryRuns(storeUrl: () => string, openAppStore: () => SessionStore): void {
  it('pages with --cursor in both orders, counts with --count, and shows with revoke --dry-run', async () => {
    const app = openAppStore();
    const now = Date.now();
    const userId = `pager-${RUN}`;
    // Five sessions a second apart, the oldest used last; three of them the user's.
    const keys = Array.from({ length: 5 }, () => digestSessionIdNode(generateSessionId()));
    for (const [index, key] of keys.entries()) {
      await app.create(key, {
        data: { index },
        createdAt: now - (5 - index) * 1000,
        expiresAt: now + HOUR - index * 1000,
        userId: index % 2 === 0 ? userId : null,
      });
    }
    await app.close?.();
    const url = storeUrl();
    const pageThrough = async (...args: string[]) => {
      const listed: string[] = [];
      let next: string[] | undefined = ['list', '--limit', '2', ...args, '--store', url];
      while (next !== undefined) {
        const run = await runInProcess(next);
        expect(run.code).toBe(0);
        const lines = run.stdout.trimEnd().split('\n');
        const last = lines.at(-1)?.startsWith('Next page: ') ? lines.pop() : undefined;
        // The table's rows (after its header) start with the store key.
        listed.push(...lines.slice(1).map((line) => line.slice(0, 64)));
        next = last === undefined ? undefined : nextPageArguments(last);
      }
      return listed.filter((key) => keys.includes(key));
    };

    expect(await pageThrough('--user', userId)).toEqual([keys[4], keys[2], keys[0]]);
    expect(await pageThrough('--user', userId, '--order', 'last-used')).toEqual([
      keys[0],
      keys[2],
      keys[4],
    ]);
    const everyone = await pageThrough();
    expect(everyone).toEqual([...keys].reverse());
    const count = await runInProcess(['list', '--count', '--user', userId, '--store', url]);
    expect(count).toEqual({ code: 0, stdout: '3\n', stderr: '' });
    const total = Number((await runInProcess(['list', '--count', '--store', url])).stdout);
    expect(total).toBeGreaterThanOrEqual(5);

    const dry = await runInProcess(['revoke', '--user', userId, '--dry-run', '--store', url]);
    const dryLines = dry.stdout.trimEnd().split('\n');
    expect(dryLines.slice(0, -1).map((line) => line.slice(0, 64))).toEqual([
      keys[4],
      keys[2],
      keys[0],
    ]);
    expect(dryLines.at(-1)).toBe(
      `Would revoke 3 sessions of user "${userId}" in ${maskStoreUrl(url)} (--dry-run: nothing was revoked).`,
    );
    expect((await runInProcess(['list', '--count', '--user', userId, '--store', url])).stdout).toBe(
      '3\n',
    );
    await runInProcess(['revoke', '--user', userId, '--store', url]);
    expect((await runInProcess(['list', '--count', '--user', userId, '--store', url])).stdout).toBe(
      '0\n',
    );
    for (const key of keys) await runInProcess(['revoke', key, '--store', url]);
  });
}

describeWithServer(postgres, 'tessera-session on PostgreSQL', () => {
  const table = `tessera_cli_${RUN}`;
  const url = withParameter(SERVER_URLS.postgres, 'table', table);
  const shown = maskStoreUrl(url);
  let admin: pg.Pool;

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: SERVER_URLS.postgres, max: 1 });
    admin.on('error', () => {});
  });

  afterAll(async () => {
    await admin.query(`DROP TABLE IF EXISTS "${table}", "${table}_missing"`);
    await admin.end();
  });

  async function tableExists(name: string): Promise<boolean> {
    const result = await admin.query('SELECT to_regclass($1) IS NOT NULL AS found', [`"${name}"`]);
    return result.rows[0]?.found === true;
  }

  it.each(READ_ONLY_COMMANDS)(
    '%s: a missing table is an error (exit 1) naming it and the migrate command, and is not created',
    async (...args) => {
      const missing = `${table}_missing`;

      const run = await runInProcess([
        ...args,
        '--store',
        withParameter(SERVER_URLS.postgres, 'table', missing),
      ]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Store error: Table "${missing}" does not exist in ${maskStoreUrl(SERVER_URLS.postgres)}; ` +
          `run "npx tessera-session migrate --store '${maskStoreUrl(SERVER_URLS.postgres)}?table=${missing}'" or pass createTable: true.\n`,
      );
      expect(await tableExists(missing)).toBe(false);
    },
  );

  it('even with ?createTable=true in the URL, a read-only command creates no table', async () => {
    const missing = `${table}_missing`;
    const url = withParameter(
      withParameter(SERVER_URLS.postgres, 'table', missing),
      'createTable',
      'true',
    );

    const run = await runInProcess(['stats', '--store', url]);

    expect(run.code).toBe(1);
    expect(await tableExists(missing)).toBe(false);
  });

  it('creates the table named by ?table= and its indexes with migrate, then finds nothing to do', async () => {
    const first = await runInProcess(['migrate', '--store', url]);
    const second = await spawnCli(['migrate', '--store', url]);

    expect(first).toEqual({
      code: 0,
      stdout:
        `Created table "${table}", index "${table}_expires_at_idx", index "${table}_user_id_idx", ` +
        `index "${table}_created_idx", index "${table}_lastused_idx" and index "${table}_user_page_idx" ` +
        `in ${shown}.\n`,
      stderr: '',
    });
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

  itListsInspectsAndRevokes(
    () => url,
    () => createPostgresStore({ url: SERVER_URLS.postgres, table }),
  );

  itPagesCountsAndDryRuns(
    () => url,
    () => createPostgresStore({ url: SERVER_URLS.postgres, table }),
  );

  it('a role the server refuses exits 1 with the URL, password masked, and what to check', async () => {
    const role = `tessera_nobody_${RUN}`;
    const refused = withParameter(
      withCredentials(SERVER_URLS.postgres, role, 'hunter2'),
      'table',
      table,
    );

    for (const command of [['stats'], ['migrate']]) {
      const run = await runInProcess([...command, '--store', refused]);

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `Store error: PostgreSQL session store at ${maskStoreUrl(withCredentials(SERVER_URLS.postgres, role, 'hunter2'))}: ` +
          `role "${role}" does not exist; check the user name in the URL and the server's pg_hba.conf.\n`,
      );
      expect(run.stderr).not.toContain('hunter2');
    }
  });

  it('a server that does not answer exits 1 with the URL and what to check', async () => {
    const down = withCredentials(await unreachable(SERVER_URLS.postgres), 'app', 'hunter2');

    for (const command of [['stats'], ['migrate']]) {
      const run = await runInProcess([...command, '--store', down]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^Store error: PostgreSQL session store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/\w+: .*ECONNREFUSED.*check the host and port in the URL, and that PostgreSQL is running\.\n$/,
      );
      expect(run.stderr).not.toContain('hunter2');
      expect(run.stderr).not.toContain('reconnects by itself');
    }
  });
});

describeWithServer(mariadb, 'tessera-session on MySQL/MariaDB', () => {
  const table = `tessera_cli_${RUN}`;
  const url = withParameter(SERVER_URLS.mysql, 'table', table);
  let admin: mysql.Pool;

  beforeAll(() => {
    admin = mysql.createPool({ uri: SERVER_URLS.mysql, connectionLimit: 1 });
  });

  afterAll(async () => {
    await admin.query(`DROP TABLE IF EXISTS \`${table}\`, \`${table}_missing\``);
    await admin.end();
  });

  async function tableExists(name: string): Promise<boolean> {
    const [rows] = await admin.query(
      'SELECT COUNT(*) AS found FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
      [name],
    );
    return Number((rows as { found: number }[])[0]?.found) > 0;
  }

  it.each(READ_ONLY_COMMANDS)(
    '%s: a missing table is an error (exit 1) naming it and the migrate command, and is not created',
    async (...args) => {
      const missing = `${table}_missing`;

      const run = await runInProcess([
        ...args,
        '--store',
        withParameter(SERVER_URLS.mysql, 'table', missing),
      ]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Store error: MySQL store: table "${missing}" does not exist in the database of ${maskStoreUrl(SERVER_URLS.mysql)}. ` +
          `Create it with \`npx tessera-session migrate --store '${maskStoreUrl(SERVER_URLS.mysql)}?table=${missing}'\` ` +
          '(or store.migrate()), or pass createTable: true to let the store create it on first use.\n',
      );
      expect(await tableExists(missing)).toBe(false);
    },
  );

  it('creates the table with migrate, then finds nothing to do', async () => {
    const shown = maskStoreUrl(url);

    const first = await runInProcess(['migrate', '--store', url]);
    const second = await runInProcess(['migrate', '--store', url]);

    expect(first).toEqual({
      code: 0,
      stdout: `Created table "${table}" in ${shown}.\n`,
      stderr: '',
    });
    expect(second.stdout).toBe(`Nothing to migrate: table "${table}" in ${shown} is up to date.\n`);
  });

  itListsInspectsAndRevokes(
    () => url,
    () => createMysqlStore({ url: SERVER_URLS.mysql, table }),
  );

  itPagesCountsAndDryRuns(
    () => url,
    () => createMysqlStore({ url: SERVER_URLS.mysql, table }),
  );

  it('a wrong password exits 1 with the URL, password masked, and what to check', async () => {
    const refused = withCredentials(SERVER_URLS.mysql, `nobody_${RUN}`, 'hunter2');

    for (const command of [['stats'], ['migrate']]) {
      const run = await runInProcess([...command, '--store', refused]);

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(
          `^Store error: MySQL store: (ready|migrate)\\(\\) failed: access denied to ${escapeRegExp(maskStoreUrl(refused))}: ` +
            'check the user name and password in the URL',
        ),
      );
      expect(run.stderr).not.toContain('hunter2');
    }
  });

  it('a server that does not answer exits 1 with the URL and what to check', async () => {
    const down = await unreachable(SERVER_URLS.mysql);

    const run = await runInProcess(['stats', '--store', down]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Store error: MySQL store: ready\\(\\) failed: connection refused by ${escapeRegExp(maskStoreUrl(down))}: ` +
          'check the host and port in the URL, and that the server is running',
      ),
    );
  });
});

describeWithServer(redis, 'tessera-session on Redis', () => {
  const prefix = `tessera-cli-${RUN}:`;
  const url = withParameter(SERVER_URLS.redis, 'prefix', prefix);
  let raw: ReturnType<typeof createClient>;

  beforeAll(async () => {
    raw = createClient({ url: SERVER_URLS.redis });
    raw.on('error', () => {});
    await raw.connect();
  });

  afterAll(async () => {
    for await (const keys of raw.scanIterator({ MATCH: `${prefix}*` })) {
      if (keys.length > 0) await raw.del(keys);
    }
    await raw.close();
  });

  async function keysUnder(pattern: string): Promise<string[]> {
    const found: string[] = [];
    for await (const keys of raw.scanIterator({ MATCH: pattern })) found.push(...keys);
    return found;
  }

  it('has nothing to create: every command works on an empty prefix, and writes nothing there', async () => {
    const empty = withParameter(SERVER_URLS.redis, 'prefix', `tessera-cli-${RUN}-empty:`);

    const stats = await runInProcess(['stats', '--store', empty]);
    const list = await runInProcess(['list', '--store', empty]);
    const migrate = await runInProcess(['migrate', '--store', empty]);

    expect(stats).toEqual({ code: 0, stdout: 'sessions: 0\nexpired: 0\nbytes: 0\n', stderr: '' });
    expect(list.stdout).toBe(`No live sessions in ${empty}.\n`);
    expect(migrate.stdout).toBe('The redis store has no schema: nothing to migrate.\n');
    expect(await keysUnder(`tessera-cli-${RUN}-empty:*`)).toEqual([]);
  });

  itListsInspectsAndRevokes(
    () => url,
    () => createRedisStore({ url: SERVER_URLS.redis, prefix }),
  );

  itPagesCountsAndDryRuns(
    () => url,
    () => createRedisStore({ url: SERVER_URLS.redis, prefix }),
  );

  it('refused credentials exit 1 with the URL, password masked, and what to check', async () => {
    const refused = withCredentials(SERVER_URLS.redis, `nobody-${RUN}`, 'hunter2');

    for (const command of [['stats'], ['migrate']]) {
      const run = await runInProcess([...command, '--store', refused]);

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^Store error: Redis at ${escapeRegExp(maskStoreUrl(refused))} refused the credentials \\(WRONGPASS .*\\)\\. ` +
            'Check the user and password in the URL',
        ),
      );
      expect(run.stderr).not.toContain('hunter2');
    }
  });

  it('a server that does not answer exits 1, without the running application’s "reconnects by itself"', async () => {
    const down = await unreachable(SERVER_URLS.redis);

    const run = await spawnCli(['list', '--store', down]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^Store error: Cannot reach Redis at ${escapeRegExp(maskStoreUrl(down))} \\(.*ECONNREFUSED.*\\)\\. ` +
          'Check the host and port in the URL, that the Redis server is running',
      ),
    );
    expect(run.stderr).not.toContain('reconnects by itself');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
