/**
 * The diagnostics channels (issue 13 §1): every session load, commit and
 * store operation is a TracingChannel operation with its outcome and
 * duration, every CSRF refusal a message; nothing is published when nobody
 * listens, and nothing breaks where diagnostics_channel does not exist.
 * Real stores only: memory (synchronous), SQLite (synchronous reads,
 * asynchronous writes) and Redis (asynchronous, and unreachable on a closed port).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCsrfRequest,
  checkFetchMetadataRequest,
  createSessionHandler,
  sendCsrfFailure,
  sendFetchMetadataFailure,
} from '../../src/adapters/node/index.js';
import { diagnosticsChannels, resolveDiagnosticsChannels } from '../../src/core/diagnostics.js';
import {
  type CsrfRejectedEvent,
  createSessionManager,
  SESSION_DIAGNOSTICS_CHANNELS,
  type SessionCommitEvent,
  SessionInterruptedError,
  type SessionLoadEvent,
  type SessionManager,
  type SessionOptions,
  type SessionStore,
  SessionStoreError,
  type StoreOperationEvent,
} from '../../src/core/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { freePort, listen } from '../helpers/listen.js';
import { describeWithServer, probeServer, SERVER_URLS } from '../helpers/servers.js';
import { createTestManager, keyOf, request } from './harness.js';

type TracedName = 'load' | 'commit' | 'store';
type Phase = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
type AnyEvent = SessionLoadEvent | SessionCommitEvent | StoreOperationEvent;

/** One publication: the channel, the subchannel, the context object and a copy of it at that moment. */
interface Seen {
  channel: TracedName;
  phase: Phase;
  event: AnyEvent;
  snapshot: Record<string, unknown>;
}

const PHASES: readonly Phase[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
const TRACED: readonly TracedName[] = ['load', 'commit', 'store'];

/** Subscribes to every channel; `stop()` unsubscribes. */
function recordEvents() {
  const seen: Seen[] = [];
  const csrf: CsrfRejectedEvent[] = [];
  const subscriptions = TRACED.map((channel) => {
    const handlers = Object.fromEntries(
      PHASES.map((phase) => [
        phase,
        (event: unknown) => {
          const context = event as AnyEvent;
          seen.push({ channel, phase, event: context, snapshot: { ...context } });
        },
      ]),
    ) as unknown as diagnosticsChannel.TracingChannelSubscribers<object>;
    const tracing = diagnosticsChannel.tracingChannel(SESSION_DIAGNOSTICS_CHANNELS[channel]);
    tracing.subscribe(handlers);
    return () => tracing.unsubscribe(handlers);
  });
  const onCsrf = (message: unknown) => csrf.push(message as CsrfRejectedEvent);
  diagnosticsChannel.subscribe(SESSION_DIAGNOSTICS_CHANNELS.csrfRejected, onCsrf);
  return {
    seen,
    csrf,
    /** The publications of one channel, optionally only those of `operation` (store). */
    of(channel: TracedName, operation?: string): Seen[] {
      return seen.filter(
        (entry) =>
          entry.channel === channel &&
          (operation === undefined || (entry.event as StoreOperationEvent).operation === operation),
      );
    },
    clear() {
      seen.length = 0;
      csrf.length = 0;
    },
    stop() {
      for (const unsubscribe of subscriptions) unsubscribe();
      diagnosticsChannel.unsubscribe(SESSION_DIAGNOSTICS_CHANNELS.csrfRejected, onCsrf);
    },
  };
}

type Recorder = ReturnType<typeof recordEvents>;

/** The subchannels one operation was published on, in order. */
function phasesOf(entries: readonly Seen[]): Phase[] {
  return entries.map((entry) => entry.phase);
}

/** What the operation's context held when it ended (`end` of a synchronous one, `asyncEnd` otherwise). */
function ended(entries: readonly Seen[]): Record<string, unknown> {
  const last = entries.findLast((entry) => entry.phase === 'asyncEnd' || entry.phase === 'end');
  if (!last) throw new Error(`no end among ${phasesOf(entries).join(', ')}`);
  return last.snapshot;
}

const SYNC_OK: Phase[] = ['start', 'end'];
const ASYNC_OK: Phase[] = ['start', 'end', 'asyncStart', 'asyncEnd'];
const ASYNC_FAILED: Phase[] = ['start', 'end', 'error', 'asyncStart', 'asyncEnd'];
const SYNC_FAILED: Phase[] = ['start', 'error', 'end'];

/** Fields a context may have: nothing else (no id, no key, no data, no result). */
const ALLOWED_FIELDS = new Set([
  'storeName',
  'store',
  'operation',
  'plan',
  'outcome',
  'durationMs',
  'error',
]);

/** Checks that no context of `recorder` holds anything but the contract's fields, nor `secrets`. */
function expectPrivate(recorder: Recorder, secrets: readonly string[]): void {
  for (const { snapshot } of recorder.seen) {
    for (const field of Object.keys(snapshot)) expect(ALLOWED_FIELDS).toContain(field);
    const { store: _store, error: _error, ...plain } = snapshot;
    const text = JSON.stringify(plain);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

function idOf(cookie: string): string {
  return cookie.split('=')[1]!;
}

let recorder: Recorder;
afterEach(() => {
  recorder?.stop();
});

describe('resolving diagnostics_channel', () => {
  it('answers no-op channels without the module, and sessions work on them', async () => {
    for (const missing of [undefined, null, {}, { channel() {} }]) {
      const channels = resolveDiagnosticsChannels(missing);
      expect(channels.available).toBe(false);
      for (const name of TRACED) {
        const channel = channels[name];
        expect(channel.hasSubscribers).toBe(false);
        expect(() => channel.start.publish({})).not.toThrow();
        expect(channel.start.runStores?.({}, () => 42)).toBe(42);
      }
      expect(channels.csrfRejected.hasSubscribers).toBe(false);
    }
  });

  it('answers the real channels, by the contract names, with Node’s module', () => {
    const channels = resolveDiagnosticsChannels(diagnosticsChannel);
    expect(channels.available).toBe(true);
    expect(diagnosticsChannels.available).toBe(true);
    expect(SESSION_DIAGNOSTICS_CHANNELS).toEqual({
      load: 'tessera:session:load',
      commit: 'tessera:session:commit',
      store: 'tessera:store',
      csrfRejected: 'tessera:csrf:rejected',
    });
    expect(Object.isFrozen(SESSION_DIAGNOSTICS_CHANNELS)).toBe(true);
    const seen: unknown[] = [];
    const onStart = (message: unknown) => seen.push(message);
    diagnosticsChannel.subscribe('tracing:tessera:store:start', onStart);
    try {
      expect(channels.store.hasSubscribers).toBe(true);
      channels.store.start.publish({ probe: true });
      expect(seen).toEqual([{ probe: true }]);
    } finally {
      diagnosticsChannel.unsubscribe('tracing:tessera:store:start', onStart);
    }
    expect(channels.store.hasSubscribers).toBe(false);
  });

  it('runs sessions on a runtime without diagnostics_channel (no process.getBuiltinModule)', () => {
    const url = (path: string) => new URL(path, import.meta.url).href;
    // A child process whose process.getBuiltinModule is gone before the core loads.
    const script = `
      Object.defineProperty(process, 'getBuiltinModule', { value: undefined });
      const core = await import(${JSON.stringify(url('../../src/core/index.ts'))});
      const { diagnosticsChannels } = await import(${JSON.stringify(url('../../src/core/diagnostics.ts'))});
      const { createMemoryStore } = await import(${JSON.stringify(url('../../src/stores/memory/index.ts'))});
      const dc = await import('node:diagnostics_channel');
      let published = 0;
      const count = () => { published++; };
      for (const name of Object.values(core.SESSION_DIAGNOSTICS_CHANNELS).slice(0, 3)) {
        dc.tracingChannel(name).subscribe({ start: count, end: count, asyncStart: count, asyncEnd: count, error: count });
      }
      dc.subscribe(core.SESSION_DIAGNOSTICS_CHANNELS.csrfRejected, count);
      const lines = [];
      const manager = core.createSessionManager({ store: createMemoryStore(), debug: { write: (line) => lines.push(line) } });
      const fresh = await manager.load({ cookie: undefined, secure: false });
      fresh.set('counter', 1);
      const cookie = (await manager.commit(fresh)).setCookie.split(';')[0];
      const again = await manager.load({ cookie, secure: false });
      again.set('counter', again.get('counter') + 1);
      await manager.commit(again);
      const refused = core.checkCsrf({ method: 'POST' }, again);
      const reread = await manager.load({ cookie, secure: false });
      console.log(JSON.stringify({ available: diagnosticsChannels.available, counter: reread.get('counter'), refused, published, lines }));
    `;
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: '' } },
    );
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      available: boolean;
      counter: number;
      refused: boolean;
      published: number;
      lines: string[];
    };
    expect(result).toMatchObject({ available: false, counter: 2, refused: false, published: 0 });
    // The debug output is written directly: it works without the channels.
    expect(result.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tessera load memory found \d+\.\d\d ms$/),
        expect.stringMatching(/^tessera commit memory delta saved \d+\.\d\d ms$/),
        'tessera csrf rejected: missing-token',
      ]),
    );
  });
});

describe('on the memory store (synchronous)', () => {
  let store: SessionStore;
  let manager: SessionManager;
  beforeAll(() => {
    store = createMemoryStore();
    manager = createTestManager({ store });
  });

  it('publishes nothing for a request without a cookie that writes nothing', async () => {
    recorder = recordEvents();
    const session = await manager.load({ cookie: undefined, secure: false });
    recorder.clear(); // the load of a cookie-less request publishes nothing:
    expect(recorder.seen).toEqual([]);
    session.get('anything');
    manager.commit(session);
    expect(recorder.of('load')).toEqual([]);
    expect(phasesOf(recorder.of('commit'))).toEqual(SYNC_OK);
    expect(ended(recorder.of('commit'))).toMatchObject({ plan: 'nothing', outcome: 'saved' });
    expect(recorder.of('store')).toEqual([]);
  });

  it('publishes a create commit and its store create, then a found load, synchronously', async () => {
    recorder = recordEvents();
    const first = await request(manager, undefined, (s) => s.set('secret', 'swordfish-value'));
    const commit = recorder.of('commit');
    expect(phasesOf(commit)).toEqual(ASYNC_OK); // writes go through the async engine
    expect(commit[0]!.snapshot).toEqual({ storeName: 'memory', store, plan: 'create' });
    expect(ended(commit)).toEqual({
      storeName: 'memory',
      store,
      plan: 'create',
      outcome: 'saved',
      durationMs: expect.any(Number),
    });
    const create = recorder.of('store', 'create');
    expect(phasesOf(create)).toEqual(SYNC_OK);
    expect(ended(create)).toEqual({
      storeName: 'memory',
      store,
      operation: 'create',
      outcome: 'ok',
      durationMs: expect.any(Number),
    });
    // One context object per operation, the same on every subchannel.
    expect(new Set(commit.map((entry) => entry.event)).size).toBe(1);

    recorder.clear();
    const loaded = manager.load({ cookie: first.cookie, secure: false });
    expect(loaded).not.toBeInstanceOf(Promise); // still synchronous when traced
    const load = recorder.of('load');
    expect(phasesOf(load)).toEqual(SYNC_OK);
    expect(load[0]!.snapshot).toEqual({ storeName: 'memory', store });
    expect(ended(load)).toEqual({
      storeName: 'memory',
      store,
      outcome: 'found',
      durationMs: expect.any(Number),
    });
    expect(phasesOf(recorder.of('store', 'read'))).toEqual(SYNC_OK);
    expect((ended(load).durationMs as number) >= 0).toBe(true);
    expectPrivate(recorder, [idOf(first.cookie!), keyOf(first.cookie!), 'swordfish-value']);
  });

  it('publishes a missing load for an unknown well-formed id, and nothing for a malformed one', async () => {
    recorder = recordEvents();
    await manager.load({ cookie: 'sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secure: false });
    expect(ended(recorder.of('load'))).toMatchObject({ outcome: 'missing' });
    expect(ended(recorder.of('store', 'read'))).toMatchObject({ outcome: 'ok' });
    recorder.clear();
    await manager.load({ cookie: 'sessionid=not-an-id', secure: false });
    expect(recorder.seen).toEqual([]);
  });

  it('publishes the plan of every commit: nothing, touch, delta, rotate (login, cycleKey), destroy', async () => {
    const touching = createTestManager({ store, saveEveryRequest: true, touchAfter: 0 });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    recorder = recordEvents();
    const plans: string[] = [];
    const outcomeOfLast = () => {
      const last = ended(recorder.of('commit'));
      plans.push(`${last.plan} ${last.outcome}`);
      recorder.clear();
    };
    await request(manager, first.cookie, (s) => s.get('n'));
    outcomeOfLast();
    await request(touching, first.cookie, (s) => s.get('n'));
    outcomeOfLast();
    await request(manager, first.cookie, (s) => s.set('n', 2));
    outcomeOfLast();
    const rotated = await request(manager, first.cookie, (s) => s.login('user-1'));
    outcomeOfLast();
    const cycled = await request(manager, rotated.cookie, (s) => s.cycleKey());
    outcomeOfLast();
    await request(manager, cycled.cookie, (s) => s.logout());
    expect(phasesOf(recorder.of('store', 'destroy'))).toEqual(SYNC_OK);
    outcomeOfLast();
    expect(plans).toEqual([
      'nothing saved',
      'touch saved',
      'delta saved',
      'rotate saved',
      'rotate saved',
      'destroy saved',
    ]);
  });

  it('publishes an interrupted commit when a concurrent logout won', async () => {
    const first = await request(manager, undefined, (s) => s.set('user', 'ann'));
    const slow = await manager.load({ cookie: first.cookie, secure: false });
    await request(manager, first.cookie, (s) => s.flush()); // logout elsewhere
    slow.set('cart', ['late']);
    recorder = recordEvents();
    await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);
    const commit = recorder.of('commit');
    expect(phasesOf(commit)).toEqual(ASYNC_FAILED);
    expect(ended(commit)).toEqual({
      storeName: 'memory',
      store,
      plan: 'delta',
      outcome: 'interrupted',
      durationMs: expect.any(Number),
      error: expect.any(SessionInterruptedError),
    });
    // The store answered (false): its operation succeeded.
    expect(ended(recorder.of('store', 'update'))).toMatchObject({ outcome: 'ok' });
  });

  it('publishes the manager’s own store operations', async () => {
    const first = await request(manager, undefined, (s) => s.login('user-ops'));
    recorder = recordEvents();
    await manager.clearExpired();
    await manager.listUserSessions('user-ops');
    await manager.destroyUserSessions('user-ops');
    const operations = recorder
      .of('store')
      .filter((entry) => entry.phase === 'end')
      .map((entry) => `${entry.snapshot.operation} ${entry.snapshot.outcome}`);
    expect(operations).toEqual([
      'clearExpired ok',
      'listUserSessions ok',
      'destroyUserSessions ok',
    ]);
    expectPrivate(recorder, [idOf(first.cookie!), keyOf(first.cookie!), 'user-ops']);
  });

  it('publishes nothing while nobody listens: a subscriber added after sees none from before', async () => {
    const counted: unknown[] = [];
    const count = (event: unknown) => counted.push(event);
    const handlers = { start: count, end: count, asyncStart: count, asyncEnd: count, error: count };
    const load = diagnosticsChannel.tracingChannel(SESSION_DIAGNOSTICS_CHANNELS.load);
    load.subscribe(handlers);
    load.unsubscribe(handlers);
    expect(diagnosticsChannels.load.hasSubscribers).toBe(false);
    expect(diagnosticsChannels.commit.hasSubscribers).toBe(false);
    expect(diagnosticsChannels.store.hasSubscribers).toBe(false);
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    await request(manager, first.cookie, (s) => s.set('n', 2));
    // A commit started while nobody listened must not report when it ends later either.
    const session = await manager.load({ cookie: first.cookie, secure: false });
    session.set('n', 3);
    const pending = manager.commit(session);
    recorder = recordEvents();
    await pending;
    expect(recorder.seen).toEqual([]);
    expect(counted).toEqual([]);
  });
});

describe('on SQLite (synchronous reads, asynchronous writes)', () => {
  let store: ReturnType<typeof createSqliteStore>;
  let manager: SessionManager;
  beforeAll(() => {
    store = createSqliteStore({ path: ':memory:' });
    manager = createTestManager({ store });
  });

  it('publishes a synchronous found load and an asynchronous delta commit', async () => {
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    recorder = recordEvents();
    const session = manager.load({ cookie: first.cookie, secure: false });
    expect(session).not.toBeInstanceOf(Promise);
    expect(phasesOf(recorder.of('load'))).toEqual(SYNC_OK);
    expect(ended(recorder.of('load'))).toMatchObject({ storeName: 'sqlite', outcome: 'found' });
    recorder.clear();
    await request(manager, first.cookie, (s) => s.set('n', 2));
    expect(phasesOf(recorder.of('store', 'update'))).toEqual(ASYNC_OK);
    expect(ended(recorder.of('commit'))).toEqual({
      storeName: 'sqlite',
      store,
      plan: 'delta',
      outcome: 'saved',
      durationMs: expect.any(Number),
    });
  });

  it('publishes a store error thrown synchronously before end (a closed database)', async () => {
    const closing = createSqliteStore({ path: ':memory:' });
    const doomed = createTestManager({ store: closing });
    const first = await request(doomed, undefined, (s) => s.set('n', 1));
    await closing.close();
    recorder = recordEvents();
    expect(() => doomed.load({ cookie: first.cookie, secure: false })).toThrow(SessionStoreError);
    const read = recorder.of('store', 'read');
    expect(phasesOf(read)).toEqual(SYNC_FAILED);
    expect(read[1]!.snapshot).toMatchObject({ outcome: 'error', error: expect.any(Error) });
    expect(ended(read)).toMatchObject({ operation: 'read', outcome: 'error' });
    expect(phasesOf(recorder.of('load'))).toEqual(SYNC_FAILED);
    expect(ended(recorder.of('load'))).toMatchObject({
      outcome: 'error',
      error: expect.any(SessionStoreError),
    });
  });
});

describe('on a cookie store', () => {
  const SECRET = 'diagnostics-test-secret-0123456789abcdefghijklmnop';

  it('names the cookie store, with no server store when it has no revocation', async () => {
    const cookieStore = createSignedCookieStore({ secrets: [SECRET] });
    const manager = createSessionManager({ store: cookieStore });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    recorder = recordEvents();
    await request(manager, first.cookie, (s) => s.set('n', 2));
    expect(ended(recorder.of('load'))).toEqual({
      storeName: cookieStore.name,
      store: undefined,
      outcome: 'found',
      durationMs: expect.any(Number),
    });
    expect(ended(recorder.of('commit'))).toMatchObject({ plan: 'delta', store: undefined });
    expect(recorder.of('store')).toEqual([]);
  });

  it('names its revocation store as the store read and written', async () => {
    const revocation = createMemoryStore();
    const cookieStore = createSignedCookieStore({ secrets: [SECRET], revocation });
    const manager = createSessionManager({ store: cookieStore });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    recorder = recordEvents();
    await request(manager, first.cookie, (s) => s.flush());
    expect(ended(recorder.of('load'))).toMatchObject({ store: revocation, outcome: 'found' });
    expect(ended(recorder.of('commit'))).toMatchObject({ plan: 'destroy', outcome: 'saved' });
    expect(ended(recorder.of('store', 'create'))).toMatchObject({
      storeName: 'memory',
      store: revocation,
      outcome: 'ok',
    });
    recorder.clear();
    await request(manager, first.cookie, (s) => s.get('n')); // a copy of the flushed cookie
    expect(ended(recorder.of('load'))).toMatchObject({ outcome: 'missing' });
  });
});

const redis = await probeServer('redis', SERVER_URLS.redis);

describeWithServer(redis, 'on Redis (asynchronous)', () => {
  const prefix = `tessera-test-diagnostics:${randomBytes(6).toString('hex')}:`;
  let store: RedisStore;
  let manager: SessionManager;
  beforeAll(async () => {
    store = createRedisStore({ url: SERVER_URLS.redis, prefix });
    await store.ready();
    manager = createTestManager({ store });
  });
  afterAll(async () => {
    await manager?.destroyUserSessions('redis-user').catch(() => 0);
    await store?.close();
  });

  it('publishes end before the answer, then asyncStart and asyncEnd with the outcome', async () => {
    const first = await request(manager, undefined, (s) => s.login('redis-user'));
    recorder = recordEvents();
    const loading = manager.load({ cookie: first.cookie, secure: false });
    // The synchronous part has returned: start and end, no outcome yet.
    expect(phasesOf(recorder.of('load'))).toEqual(['start', 'end']);
    expect(recorder.of('load')[1]!.snapshot).toEqual({ storeName: 'redis', store });
    const session = await loading;
    expect(phasesOf(recorder.of('load'))).toEqual(ASYNC_OK);
    expect(ended(recorder.of('load'))).toEqual({
      storeName: 'redis',
      store,
      outcome: 'found',
      durationMs: expect.any(Number),
    });
    expect(phasesOf(recorder.of('store', 'read'))).toEqual(ASYNC_OK);
    session.set('n', 2);
    await manager.commit(session);
    expect(ended(recorder.of('store', 'update'))).toMatchObject({ outcome: 'ok' });
    expect(ended(recorder.of('commit'))).toMatchObject({ plan: 'delta', outcome: 'saved' });
    expectPrivate(recorder, [idOf(first.cookie!), keyOf(first.cookie!)]);
  });

  it('publishes store and load errors when Redis is unreachable (a closed port)', async () => {
    const port = await freePort();
    const down = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      prefix,
      connectTimeout: 500,
      commandTimeout: 500,
      onError: () => {},
    });
    const unreachable = createTestManager({ store: down });
    recorder = recordEvents();
    await expect(
      unreachable.load({ cookie: 'sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', secure: false }),
    ).rejects.toBeInstanceOf(SessionStoreError);
    const read = recorder.of('store', 'read');
    expect(phasesOf(read)).toEqual(ASYNC_FAILED);
    expect(ended(read)).toEqual({
      storeName: 'redis',
      store: down,
      operation: 'read',
      outcome: 'error',
      durationMs: expect.any(Number),
      error: expect.any(Error),
    });
    expect(phasesOf(recorder.of('load'))).toEqual(ASYNC_FAILED);
    expect(ended(recorder.of('load'))).toMatchObject({
      outcome: 'error',
      error: expect.any(SessionStoreError),
    });
    await down.close();
  });
});

describe('CSRF rejections through the node adapter', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  let sessions: ReturnType<typeof createSessionHandler>;
  beforeAll(async () => {
    const options: SessionOptions = { store: createMemoryStore() };
    sessions = createSessionHandler(options);
    app = await listen(
      sessions((req, res, session) => {
        if (req.method === 'GET') {
          res.end(session.csrfToken());
          return;
        }
        if (!checkCsrfRequest(req, session)) {
          sendCsrfFailure(res);
          return;
        }
        res.end('ok');
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await sessions?.close();
  });

  it('publishes missing-token and wrong-token refusals, never the token, and nothing for a good one', async () => {
    const browser = new CookieJarClient(app.baseUrl);
    const token = (await browser.get('/')).text;
    recorder = recordEvents();

    expect((await browser.request('/', { method: 'POST' })).status).toBe(403);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const refused = await browser.request('/', {
      method: 'POST',
      headers: { 'X-CSRF-Token': wrong },
    });
    expect(refused.status).toBe(403);
    const passed = await browser.request('/', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token },
    });
    expect(passed.status).toBe(200);

    expect(recorder.csrf).toEqual([{ reason: 'missing-token' }, { reason: 'wrong-token' }]);
    expect(JSON.stringify(recorder.csrf)).not.toContain(token.slice(0, 20));
  });
});

describe('Fetch Metadata rejections through the node adapter', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    app = await listen((req, res) => {
      if (!checkFetchMetadataRequest(req)) {
        sendFetchMetadataFailure(res);
        return;
      }
      res.end('ok');
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('publishes a cross-site refusal for each request it refuses, and nothing for one it lets through', async () => {
    recorder = recordEvents();
    const send = (site?: string) =>
      fetch(
        `${app.baseUrl}/logout`,
        site === undefined ? {} : { headers: { 'Sec-Fetch-Site': site } },
      );

    expect((await send('cross-site')).status).toBe(403);
    expect((await send('same-site')).status).toBe(403);
    expect((await send('same-origin')).status).toBe(200);
    expect((await send('none')).status).toBe(200);
    expect((await send()).status).toBe(200);

    expect(recorder.csrf).toEqual([{ reason: 'cross-site' }, { reason: 'cross-site' }]);
  });
});
