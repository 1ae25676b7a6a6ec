/**
 * `tessera-session legacy-count`: how many sessions an express-session store
 * still holds, on the real servers: connect-redis keys under a prefix (SCAN
 * MATCH, the prefix matched as written) and connect-pg-simple's live rows.
 */
import { randomBytes } from 'node:crypto';
import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpressSessionStoreLike } from '../../src/stores/express-session/index.js';
import { openConnectPgSimple } from '../helpers/connect-pg-simple.js';
import { findClosedPort } from '../helpers/ports.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { runInProcess } from './cli-fixtures.js';

const RUN = randomBytes(4).toString('hex');
const HOUR = 3_600_000;
const [redis, postgres] = await Promise.all([
  probeServer('redis', SERVER_URLS.redis),
  probeServer('postgres', SERVER_URLS.postgres),
]);

/** `url` with `name=value` in its query. */
function withParameter(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** An express-session record, as express-session hands it to its store. */
function sessionRecord(data: object): never {
  return {
    cookie: {
      originalMaxAge: HOUR,
      expires: new Date(Date.now() + HOUR),
      httpOnly: true,
      path: '/',
    },
    ...data,
  } as never;
}

function storeSet(store: ExpressSessionStoreLike, sid: string, data: object): Promise<void> {
  return new Promise((resolve, reject) => {
    store.set(sid, sessionRecord(data), (error) => (error ? reject(error) : resolve()));
  });
}

describeWithServer(redis, 'legacy-count on connect-redis', () => {
  const client = createClient({ url: SERVER_URLS.redis });
  // Glob characters in the prefix: they must match themselves only.
  const prefix = `tessera-legacy-count-${RUN}:[s]*:`;
  const lookalike = `tessera-legacy-count-${RUN}:s-other:`;
  const legacy = new ConnectRedisStore({ client, prefix });

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    for await (const keys of client.scanIterator({ MATCH: `tessera-legacy-count-${RUN}:*` })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.quit();
  });

  it('prints how many keys connect-redis holds under ?prefix=, over as many SCAN steps as it takes', async () => {
    const url = withParameter(SERVER_URLS.redis, 'prefix', prefix);
    expect(await runInProcess(['legacy-count', '--store', url])).toEqual({
      code: 0,
      stdout: '0\n',
      stderr: '',
    });

    await storeSet(legacy as unknown as ExpressSessionStoreLike, 'ann', { user: 'ann' });
    await storeSet(legacy as unknown as ExpressSessionStoreLike, 'bob', { user: 'bob' });
    const bulk = client.multi();
    for (let index = 0; index < 1500; index += 1) {
      bulk.set(`${prefix}bulk-${index}`, '{}', { EX: 3600 });
    }
    bulk.set(`${lookalike}x`, '{}', { EX: 3600 });
    await bulk.exec();

    expect(await runInProcess(['legacy-count', '--store', url])).toEqual({
      code: 0,
      stdout: '1502\n',
      stderr: '',
    });
  });

  it('prints JSON with --json', async () => {
    const url = withParameter(SERVER_URLS.redis, 'prefix', prefix);
    const run = await runInProcess(['legacy-count', '--json', '--store', url]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      store: 'connect-redis',
      where: `prefix ${JSON.stringify(prefix)}`,
      sessions: 1502,
    });
  });

  it("counts connect-redis's default prefix sess: without ?prefix=", async () => {
    const run = await runInProcess(['legacy-count', '--json', '--store', SERVER_URLS.redis]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ where: 'prefix "sess:"' });
  });
});

describeWithServer(postgres, 'legacy-count on connect-pg-simple', () => {
  // A schema per run: connect-pg-simple names its index IDX_session_expire whatever the table.
  const schema = `tessera_legacy_count_${RUN}`;
  const { pool, store: legacy, createSchema, close } = openConnectPgSimple(schema, { max: 2 });
  beforeAll(createSchema);
  afterAll(close);

  it('prints how many live rows the table holds, naming it with ?schema= or ?table=schema.name', async () => {
    await storeSet(legacy, 'ann', { user: 'ann' });
    await storeSet(legacy, 'bob', { user: 'bob' });
    await storeSet(legacy, 'cy', { user: 'cy' });
    // A row past its expire, not pruned yet: connect-pg-simple's get() no longer reads it.
    await pool.query(
      `UPDATE ${schema}.session SET expire = now() - interval '1 minute' WHERE sid = 'cy'`,
    );

    for (const url of [
      withParameter(SERVER_URLS.postgres, 'schema', schema),
      withParameter(SERVER_URLS.postgres, 'table', `${schema}.session`),
    ]) {
      expect(await runInProcess(['legacy-count', '--store', url])).toEqual({
        code: 0,
        stdout: '2\n',
        stderr: '',
      });
    }
    const run = await runInProcess([
      'legacy-count',
      '--json',
      '--store',
      withParameter(SERVER_URLS.postgres, 'schema', schema),
    ]);
    expect(JSON.parse(run.stdout)).toEqual({
      store: 'connect-pg-simple',
      where: `table "${schema}"."session"`,
      sessions: 2,
    });
  });

  it('exits 1 naming the table when it does not exist, and how to name the right one', async () => {
    const url = withParameter(SERVER_URLS.postgres, 'table', `${schema}.no_such_table`);
    const run = await runInProcess(['legacy-count', '--store', url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`table "${schema}"."no_such_table" does not exist`);
    expect(run.stderr).toContain('?table=');
  });
});

describe('legacy-count', () => {
  it('exits 2 for a store URL that is neither Redis nor PostgreSQL, saying which it reads', async () => {
    for (const args of [['legacy-count', '--store', 'sqlite:./sessions.db'], ['legacy-count']]) {
      const run = await runInProcess(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('legacy-count counts the sessions of connect-redis');
      expect(run.stderr).toContain('connect-pg-simple');
    }
  });

  it('exits 1 naming the server (password masked) when it cannot be reached', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await findClosedPort()}`;
    const run = await runInProcess(['legacy-count', '--store', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Store error at redis:\/\/:\*+@127\.0\.0\.1:\d+/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('is in the usage, with --json', async () => {
    const run = await runInProcess(['--help']);
    expect(run.stdout).toContain('legacy-count [--json]');
    expect(run.stdout).toContain('stats, list, inspect, legacy-count: print JSON.');
  });
});
