/**
 * tessera-session/opentelemetry's metrics, read from the real SDK's meter
 * provider through real sessions: sessions created, rotated and destroyed,
 * commits by plan and outcome, interrupted saves, the store's
 * `db.client.operation.duration` histogram, and CSRF rejections answered by
 * an adapter.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkCsrfRequest,
  checkFetchMetadataRequest,
  createSessionHandler,
  sendCsrfFailure,
  sendFetchMetadataFailure,
} from '../../src/adapters/node/index.js';
import {
  checkCsrf,
  SESSION_DIAGNOSTICS_CHANNELS,
  SessionInterruptedError,
  type SessionManager,
  type StoreOperationEvent,
} from '../../src/core/index.js';
import {
  CSRF_REJECTED_SPAN_EVENT,
  DB_CLIENT_DURATION_BUCKETS,
  SESSION_METRIC_NAMES as METRIC,
} from '../../src/opentelemetry/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore, type SqliteStore } from '../../src/stores/sqlite/index.js';
import { createTestManager, request } from '../core/harness.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = startTelemetry();
});

afterEach(async () => {
  await telemetry.close();
});

describe('session counters', () => {
  let store: SqliteStore;
  let manager: SessionManager;

  beforeEach(() => {
    store = createSqliteStore({ path: ':memory:' });
    manager = createTestManager({ store });
  });

  afterEach(() => {
    store.close();
  });

  it('counts sessions created, rotated and destroyed by the saves that did it', async () => {
    const ann = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, undefined, (session) => session.set('n', 1));
    const loggedIn = await request(manager, ann.cookie, (session) => session.login('ann'));
    await request(manager, loggedIn.cookie, (session) => session.logout());

    expect(await telemetry.counted(METRIC.created, { 'tessera.store': 'sqlite' })).toBe(2);
    expect(await telemetry.counted(METRIC.rotated)).toBe(1);
    expect(await telemetry.counted(METRIC.destroyed)).toBe(1);
  });

  it('counts commits by plan and outcome', async () => {
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.get('n'));
    await request(manager, first.cookie, (session) => session.get('n'));
    await request(manager, first.cookie, (session) => session.set('n', 2));

    const commits = (plan: string) =>
      telemetry.counted(METRIC.commits, {
        'tessera.commit.plan': plan,
        'tessera.commit.outcome': 'saved',
        'tessera.store': 'sqlite',
      });
    expect(await commits('create')).toBe(1);
    expect(await commits('nothing')).toBe(2);
    expect(await commits('delta')).toBe(1);
    expect(await telemetry.counted(METRIC.commits)).toBe(4);
  });

  it('counts an interrupted save, and no session destroyed or created by it', async () => {
    const first = await request(manager, undefined, (session) => session.set('user', 'ann'));
    const slow = await manager.load({ cookie: first.cookie, secure: false });
    await request(manager, first.cookie, (session) => session.flush()); // a logout elsewhere
    slow.set('cart', ['late']);
    await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);

    expect(await telemetry.counted(METRIC.interrupted, { 'tessera.commit.plan': 'delta' })).toBe(1);
    expect(
      await telemetry.counted(METRIC.commits, {
        'tessera.commit.plan': 'delta',
        'tessera.commit.outcome': 'interrupted',
      }),
    ).toBe(1);
    expect(await telemetry.counted(METRIC.created)).toBe(1);
    expect(await telemetry.counted(METRIC.destroyed)).toBe(1);
    expect(await telemetry.counted(METRIC.storeErrors)).toBe(0);
  });
});

describe('db.client.operation.duration', () => {
  it('records every store operation in seconds, with the semconv buckets, per operation and system', async () => {
    // The durations the core measured, as a second subscriber of the store channel sees them.
    const readMs: number[] = [];
    const channel = tracingChannel<unknown, StoreOperationEvent>(
      SESSION_DIAGNOSTICS_CHANNELS.store,
    );
    const collectReads = (event: StoreOperationEvent) => {
      if (event.operation === 'read' && event.durationMs !== undefined)
        readMs.push(event.durationMs);
    };
    const subscribers = {
      start() {},
      end: collectReads,
      asyncStart() {},
      asyncEnd: collectReads,
      error() {},
    };
    channel.subscribe(subscribers);
    const store = createSqliteStore({ path: ':memory:' });
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.set('n', 2));
    await request(manager, first.cookie, (session) => session.set('n', 3));
    channel.unsubscribe(subscribers);

    const reads = await telemetry.histogram(METRIC.storeDuration, {
      'db.operation.name': 'read',
      'db.system.name': 'sqlite',
      'tessera.store': 'sqlite',
    });
    expect(reads).toHaveLength(1);
    expect(reads[0]!.count).toBe(2);
    expect(reads[0]!.buckets.boundaries).toEqual(DB_CLIENT_DURATION_BUCKETS);
    // Seconds: the core's milliseconds divided by 1000.
    expect(readMs).toHaveLength(2);
    expect(reads[0]!.sum).toBeCloseTo((readMs[0]! + readMs[1]!) / 1000, 12);
    expect(reads[0]!.max).toBeCloseTo(Math.max(...readMs) / 1000, 12);
    const updates = await telemetry.histogram(METRIC.storeDuration, {
      'db.operation.name': 'update',
    });
    expect(updates.map((point) => point.count)).toEqual([2]);
    const creates = await telemetry.histogram(METRIC.storeDuration, {
      'db.operation.name': 'create',
    });
    expect(creates.map((point) => point.count)).toEqual([1]);
    const metric = (await telemetry.collect()).find(
      (m) => m.descriptor.name === METRIC.storeDuration,
    );
    expect(metric?.descriptor.unit).toBe('s');
    store.close();
  });

  it('has no db.system.name for a store that is no database client', async () => {
    const manager = createTestManager({ store: createMemoryStore() });
    await request(manager, undefined, (session) => session.set('n', 1));

    const [create] = await telemetry.histogram(METRIC.storeDuration, { 'tessera.store': 'memory' });
    expect(create?.count).toBe(1);
    const metric = (await telemetry.collect()).find(
      (m) => m.descriptor.name === METRIC.storeDuration,
    );
    expect(metric?.dataPoints.map((point) => point.attributes)).toEqual([
      { 'tessera.store': 'memory', 'db.operation.name': 'create' },
    ]);
  });
});

describe('CSRF rejections', () => {
  let server: RunningServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('counts the requests a node:http app refuses, by reason', async () => {
    const withSession = createSessionHandler({ store: createMemoryStore() });
    server = await listen(
      withSession(async (req, res, session) => {
        if (req.url === '/form') {
          res.end(session.csrfToken());
          return;
        }
        if (!checkCsrfRequest(req, session)) return sendCsrfFailure(res);
        res.end('done');
      }),
    );
    const client = new CookieJarClient(server.baseUrl);
    const token = (await client.get('/form')).text;

    expect((await client.request('/pay', { method: 'POST' })).status).toBe(403);
    expect(
      (await client.request('/pay', { method: 'POST', headers: { 'X-CSRF-Token': 'guessed' } }))
        .status,
    ).toBe(403);
    expect(
      (await client.request('/pay', { method: 'POST', headers: { 'X-CSRF-Token': token } })).status,
    ).toBe(200);

    expect(
      await telemetry.counted(METRIC.csrfRejections, { 'tessera.csrf.reason': 'missing-token' }),
    ).toBe(1);
    expect(
      await telemetry.counted(METRIC.csrfRejections, { 'tessera.csrf.reason': 'wrong-token' }),
    ).toBe(1);
    expect(await telemetry.counted(METRIC.csrfRejections)).toBe(2);
    await withSession.close();
  });

  it('counts the cross-site requests the Fetch Metadata check refuses, as reason cross-site', async () => {
    server = await listen((req, res) => {
      if (!checkFetchMetadataRequest(req)) return sendFetchMetadataFailure(res);
      res.end('done');
    });
    const send = (site: string) =>
      fetch(`${server?.baseUrl}/logout`, { headers: { 'Sec-Fetch-Site': site } });

    expect((await send('cross-site')).status).toBe(403);
    expect((await send('same-origin')).status).toBe(200);

    expect(
      await telemetry.counted(METRIC.csrfRejections, { 'tessera.csrf.reason': 'cross-site' }),
    ).toBe(1);
    expect(await telemetry.counted(METRIC.csrfRejections)).toBe(1);
  });

  it('adds a tessera.csrf.rejected event to the request’s span, with the reason and no token', async () => {
    const manager = createTestManager();
    const session = await manager.load({ cookie: undefined, secure: false });
    const token = session.csrfToken();
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    await telemetry.inRequestSpan(async () =>
      checkCsrf({ method: 'POST', headerToken: wrong }, session),
    );

    const [span] = telemetry.spansNamed('GET /');
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      [CSRF_REJECTED_SPAN_EVENT, { 'tessera.csrf.reason': 'wrong-token' }],
    ]);
  });
});
