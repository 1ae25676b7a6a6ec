/**
 * tessera-session/opentelemetry on the server stores: PostgreSQL's, MySQL's
 * and Redis's spans carry the semantic conventions' `db.system.name`
 * (`postgresql`, `mysql`, `redis`; MariaDB, which the MySQL store serves, is
 * `mysql`, as the store cannot tell them apart) and, where the store has a
 * table, `db.collection.name` and the span name's target; a Redis that
 * refuses connections gives error spans, `error.type`, and the store error
 * counter.
 */
import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { SessionStoreError } from '../../src/core/index.js';
import { LOAD_SPAN_NAME, SESSION_METRIC_NAMES as METRIC } from '../../src/opentelemetry/index.js';
import { createMysqlStore, type MysqlStore } from '../../src/stores/mysql/index.js';
import { createPostgresStore, type PostgresStore } from '../../src/stores/postgres/index.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { createTestManager, request } from '../core/harness.js';
import { freePort } from '../helpers/listen.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { parentIdOf, startTelemetry, type Telemetry } from './telemetry.js';

const postgres = await probeServer('postgres', SERVER_URLS.postgres);
const redis = await probeServer('redis', SERVER_URLS.redis);
const mysql = await probeServer('mysql', SERVER_URLS.mysql);
/** This file's table and key prefix, removed at the end. */
const RUN = `tessera_otel_${randomBytes(4).toString('hex')}`;

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = startTelemetry();
});

afterEach(async () => {
  await telemetry.close();
});

describeWithServer(postgres, 'spans and metrics on PostgreSQL', () => {
  const table = `${RUN}_sessions`;
  let store: PostgresStore;

  afterAll(async () => {
    await store?.close();
    const admin = new pg.Pool({ connectionString: SERVER_URLS.postgres, max: 1 });
    await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    await admin.end();
  });

  it('names store spans "{operation} {table}" with db.system.name postgresql and db.collection.name', async () => {
    store = createPostgresStore({ url: SERVER_URLS.postgres, table });
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.set('n', 2));

    const read = telemetry.spansNamed(`read ${table}`);
    expect(read).toHaveLength(1);
    expect(read[0]!.kind).toBe(SpanKind.CLIENT);
    expect(read[0]!.attributes).toEqual({
      'tessera.store': 'postgres',
      'db.system.name': 'postgresql',
      'db.collection.name': table,
      'db.operation.name': 'read',
    });
    expect(parentIdOf(read[0]!)).toBe(
      telemetry.spansNamed(LOAD_SPAN_NAME)[0]!.spanContext().spanId,
    );
    expect(telemetry.spansNamed(`create ${table}`)).toHaveLength(1);
    expect(telemetry.spansNamed(`update ${table}`)).toHaveLength(1);
    const updates = await telemetry.histogram(METRIC.storeDuration, {
      'db.system.name': 'postgresql',
      'db.operation.name': 'update',
      'db.collection.name': table,
    });
    expect(updates.map((point) => point.count)).toEqual([1]);
  });
});

describeWithServer(mysql, 'spans on MySQL or MariaDB', () => {
  const table = `${RUN}_sessions`;
  let store: MysqlStore | undefined;

  afterAll(async () => {
    await store?.close();
    const admin = mysqlPromise.createPool(SERVER_URLS.mysql);
    await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
    await admin.end();
  });

  it('names store spans "{operation} {table}" with db.system.name mysql, MariaDB included', async () => {
    store = createMysqlStore({ url: SERVER_URLS.mysql, table });
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.get('n'));

    const [read] = telemetry.spansNamed(`read ${table}`);
    expect(read?.attributes).toEqual({
      'tessera.store': 'mysql',
      'db.system.name': 'mysql',
      'db.collection.name': table,
      'db.operation.name': 'read',
    });
  });
});

describeWithServer(redis, 'spans and metrics on Redis', () => {
  const prefix = `${RUN}:`;
  let store: RedisStore | undefined;

  afterAll(async () => {
    await store?.close();
    const raw = createClient({ url: SERVER_URLS.redis });
    await raw.connect();
    const keys: string[] = [];
    for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      keys.push(...batch);
    }
    if (keys.length > 0) await raw.del(keys);
    await raw.close();
  });

  it('gives store spans db.system.name redis and, with no collection, the operation as name', async () => {
    store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.login('ann'));

    const names = telemetry
      .spans()
      .filter((span) => span.kind === SpanKind.CLIENT)
      .map((span) => span.name);
    expect(names).toEqual(['create', 'read', 'rotate']);
    for (const span of telemetry.spans().filter((s) => s.kind === SpanKind.CLIENT)) {
      expect(span.attributes['db.system.name']).toBe('redis');
      expect(span.attributes['db.collection.name']).toBeUndefined();
    }
    expect(await telemetry.counted(METRIC.rotated, { 'tessera.store': 'redis' })).toBe(1);
  });
});

it('records a Redis that refuses connections: error spans, error.type, the store error counter', async () => {
  const unreachable = createRedisStore({
    url: `redis://127.0.0.1:${await freePort()}`,
    connectTimeout: 500,
    onError: () => {},
  });
  try {
    const manager = createTestManager({ store: unreachable });
    const cookie = `sessionid=${'A'.repeat(32)}`;

    await expect(manager.load({ cookie, secure: false })).rejects.toBeInstanceOf(SessionStoreError);

    const [read] = telemetry.spansNamed('read');
    expect(read?.status.code).toBe(SpanStatusCode.ERROR);
    const errorType = read?.attributes['error.type'];
    expect(typeof errorType).toBe('string');
    expect(read?.status.message).toBe(errorType);
    const [load] = telemetry.spansNamed(LOAD_SPAN_NAME);
    expect(load?.attributes['tessera.load.outcome']).toBe('error');
    expect(load?.status.code).toBe(SpanStatusCode.ERROR);
    expect(parentIdOf(read!)).toBe(load?.spanContext().spanId);
    expect(
      await telemetry.counted(METRIC.storeErrors, {
        'db.operation.name': 'read',
        'db.system.name': 'redis',
        'error.type': errorType as string,
      }),
    ).toBe(1);
    const [duration] = await telemetry.histogram(METRIC.storeDuration, {
      'error.type': errorType as string,
    });
    expect(duration?.count).toBe(1);
  } finally {
    await unreachable.close();
  }
});
