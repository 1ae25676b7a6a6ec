/**
 * tessera-session/opentelemetry's spans, recorded by the real SDK through
 * real sessions on the memory store and SQLite: a span per load and commit
 * (INTERNAL), a CLIENT span per store operation following the semantic
 * conventions for database client spans, nested under the request's span and
 * under the load or commit they belong to, with nothing of the session in them.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SessionInterruptedError,
  type SessionManager,
  type SessionOptions,
  type SessionStore,
} from '../../src/core/index.js';
import { COMMIT_SPAN_NAME, LOAD_SPAN_NAME } from '../../src/opentelemetry/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { createTestManager, keyOf, request } from '../core/harness.js';
import { everythingRecorded, parentIdOf, startTelemetry, type Telemetry } from './telemetry.js';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = startTelemetry();
});

afterEach(async () => {
  await telemetry.close();
});

/** The one ended span of `name`, failing when there is not exactly one. */
function only(name: string): ReadableSpan {
  const spans = telemetry.spansNamed(name);
  expect(spans.map((span) => span.name)).toEqual([name]);
  return spans[0]!;
}

/** The commit spans' plans, in the order they ended. */
function commitPlans(): unknown[] {
  return telemetry
    .spansNamed(COMMIT_SPAN_NAME)
    .map((span) => span.attributes['tessera.commit.plan']);
}

const STORES: { name: string; open(): SessionStore; system: string | undefined; read: string }[] = [
  { name: 'memory', open: () => createMemoryStore(), system: undefined, read: 'read memory' },
  // SQLite's store exposes no table name: the span name's {target} is left out (semconv "Name").
  {
    name: 'sqlite',
    open: () => createSqliteStore({ path: ':memory:' }),
    system: 'sqlite',
    read: 'read',
  },
];

for (const { name, open, system, read } of STORES) {
  describe(`spans on the ${name} store`, () => {
    let store: SessionStore;
    let manager: SessionManager;

    beforeEach(() => {
      store = open();
      manager = createTestManager({ store });
    });

    afterEach(async () => {
      await store.close?.();
    });

    it('records a commit span with plan create and outcome saved, and a create span under it', async () => {
      await request(manager, undefined, (session) => session.set('cart', ['apple']));

      const commit = only(COMMIT_SPAN_NAME);
      expect(commit.kind).toBe(SpanKind.INTERNAL);
      expect(commit.attributes).toEqual({
        'tessera.store': name,
        'tessera.commit.plan': 'create',
        'tessera.commit.outcome': 'saved',
      });
      expect(commit.status.code).toBe(SpanStatusCode.UNSET);
      const create = only(name === 'memory' ? 'create memory' : 'create');
      expect(create.kind).toBe(SpanKind.CLIENT);
      expect(parentIdOf(create)).toBe(commit.spanContext().spanId);
    });

    it('names a store span "{db.operation.name} {target}" with the database attributes', async () => {
      const first = await request(manager, undefined, (session) => session.set('n', 1));
      await request(manager, first.cookie, (session) => session.get('n'));

      const span = only(read);
      expect(span.kind).toBe(SpanKind.CLIENT);
      const expected: Record<string, string> = {
        'tessera.store': name,
        'db.operation.name': 'read',
      };
      if (system !== undefined) expected['db.system.name'] = system;
      expect(span.attributes).toEqual(expected);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('records a load span with outcome found, the read span under it', async () => {
      const first = await request(manager, undefined, (session) => session.set('n', 1));
      await request(manager, first.cookie, (session) => session.get('n'));

      const load = only(LOAD_SPAN_NAME);
      expect(load.kind).toBe(SpanKind.INTERNAL);
      expect(load.attributes).toEqual({ 'tessera.store': name, 'tessera.load.outcome': 'found' });
      expect(parentIdOf(only(read))).toBe(load.spanContext().spanId);
    });

    it('records outcome missing for a cookie whose session is gone', async () => {
      const first = await request(manager, undefined, (session) => session.set('n', 1));
      await store.destroy(keyOf(first.cookie!));

      await request(manager, first.cookie, (session) => session.get('n'));

      expect(only(LOAD_SPAN_NAME).attributes['tessera.load.outcome']).toBe('missing');
    });

    it('records no load span for a request without a session cookie', async () => {
      await request(manager, undefined, (session) => session.get('n'));
      expect(telemetry.spansNamed(LOAD_SPAN_NAME)).toEqual([]);
    });

    it('records each commit plan: nothing, delta, rotate (login), destroy (flush)', async () => {
      const first = await request(manager, undefined, (session) => session.set('n', 1));
      await request(manager, first.cookie, (session) => session.get('n'));
      await request(manager, first.cookie, (session) => session.set('n', 2));
      const loggedIn = await request(manager, first.cookie, (session) => session.login('ann'));
      await request(manager, loggedIn.cookie, (session) => session.flush());

      expect(commitPlans()).toEqual(['create', 'nothing', 'delta', 'rotate', 'destroy']);
      const outcomes = telemetry
        .spansNamed(COMMIT_SPAN_NAME)
        .map((span) => span.attributes['tessera.commit.outcome']);
      expect(outcomes).toEqual(['saved', 'saved', 'saved', 'saved', 'saved']);
      const rotate = telemetry
        .spans()
        .find((span) => span.attributes['db.operation.name'] === 'rotate');
      const rotateCommit = telemetry.spansNamed(COMMIT_SPAN_NAME)[3]!;
      expect(parentIdOf(rotate!)).toBe(rotateCommit.spanContext().spanId);
    });

    it('records plan touch when an unchanged session’s expiry is refreshed', async () => {
      const options: SessionOptions = { store, saveEveryRequest: true, touchAfter: 0 };
      const touching = createTestManager(options);
      const first = await request(touching, undefined, (session) => session.set('n', 1));
      await request(touching, first.cookie, (session) => session.get('n'));

      expect(commitPlans()).toEqual(['create', 'touch']);
      expect(
        telemetry.spans().some((span) => span.attributes['db.operation.name'] === 'touch'),
      ).toBe(true);
    });

    it('records an interrupted save as outcome interrupted, not as an error', async () => {
      const first = await request(manager, undefined, (session) => session.set('user', 'ann'));
      const slow = await manager.load({ cookie: first.cookie, secure: false });
      await request(manager, first.cookie, (session) => session.flush()); // a logout elsewhere
      slow.set('cart', ['late']);

      await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);

      const interrupted = telemetry.spansNamed(COMMIT_SPAN_NAME).at(-1)!;
      expect(interrupted.attributes['tessera.commit.outcome']).toBe('interrupted');
      expect(interrupted.attributes['tessera.commit.plan']).toBe('delta');
      expect(interrupted.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('nests the load and the commit under the request’s span', async () => {
      const first = await request(manager, undefined, (session) => session.set('n', 1));

      const { span } = await telemetry.inRequestSpan(() =>
        request(manager, first.cookie, (session) => session.set('n', 2)),
      );

      const requestId = span.spanContext().spanId;
      const load = only(LOAD_SPAN_NAME);
      const delta = telemetry.spansNamed(COMMIT_SPAN_NAME).at(-1)!;
      expect(parentIdOf(load)).toBe(requestId);
      expect(parentIdOf(delta)).toBe(requestId);
      expect(load.spanContext().traceId).toBe(span.spanContext().traceId);
      const update = telemetry.spans().find((s) => s.attributes['db.operation.name'] === 'update')!;
      expect(parentIdOf(update)).toBe(delta.spanContext().spanId);
    });

    it('never records the session id, its store key or its data', async () => {
      const secret = 'card-4111-1111-1111-1111';
      const first = await request(manager, undefined, (session) => session.set('secret', secret));
      const id = first.cookie!.split('=')[1]!;
      await request(manager, first.cookie, (session) => session.set('secret', `${secret}!`));
      await request(manager, first.cookie, (session) => session.login('user-ann@example.com'));

      const recorded = everythingRecorded(telemetry.spans(), await telemetry.collect());
      expect(recorded).toContain('tessera.commit.plan'); // something was recorded
      for (const forbidden of [id, keyOf(first.cookie!), secret, 'secret', 'user-ann']) {
        expect(recorded).not.toContain(forbidden);
      }
    });
  });
}

describe('store operations outside a request', () => {
  it('records clearExpired as a root CLIENT span', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const manager = createTestManager({ store });

    await manager.clearExpired();

    const span = only('clearExpired');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(parentIdOf(span)).toBeUndefined();
    expect(span.attributes['db.system.name']).toBe('sqlite');
    store.close();
  });
});

describe('a cookie store with a revocation store', () => {
  it('names the cookie store on loads and commits, and the revocation store on its operations', async () => {
    const revocation = createMemoryStore();
    const store = createSignedCookieStore({
      secrets: ['otel-test-secret-0123456789abcdefghijklmnopqrstuvwxyz'],
      revocation,
    });
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (session) => session.set('n', 1));
    await request(manager, first.cookie, (session) => session.flush());

    const load = only(LOAD_SPAN_NAME);
    expect(load.attributes['tessera.store']).toBe('signed-cookie');
    const stored = telemetry.spans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(stored.length).toBeGreaterThan(0);
    for (const span of stored) {
      expect(span.attributes['tessera.store']).toBe('memory');
      expect(span.name).toMatch(/ memory$/);
    }
    expect(stored.map((span) => span.attributes['db.operation.name'])).toContain('read');
    expect(parentIdOf(stored[0]!)).toBe(load.spanContext().spanId);
  });
});
