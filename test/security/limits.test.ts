/**
 * Limits on what a session may hold: data over `maxSize`, nesting deeper than
 * 64 levels and cycles are refused with a clear error naming the key — and a
 * refused save writes nothing: the stored record stays exactly as it was.
 * (Unbounded sessions are a DoS on the store; deep nesting can exhaust the stack.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSessionManager,
  digestSessionIdWebCrypto,
  MAX_VALUE_DEPTH,
  SessionDataError,
  type SessionManager,
} from '../../src/core/index.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js';

const NAME = 'sessionid';
const MAX_SIZE = 4_096;

/** An object nested `depth` levels deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

describe('session data limits', () => {
  let store: MemoryStore;
  let manager: SessionManager;
  let id: string;
  let key: string;

  beforeEach(async () => {
    store = createMemoryStore();
    manager = createSessionManager({ store, maxSize: MAX_SIZE });
    const session = await manager.open();
    session.set('counter', 1);
    session.set('profile', { name: 'ann', tags: ['a'] });
    await manager.save(session);
    id = session.id!;
    key = await digestSessionIdWebCrypto(id);
  });

  const load = () => manager.load({ cookie: `${NAME}=${id}`, secure: false });
  const stored = async () => JSON.stringify(await store.read(key));

  it('refuses a new session over maxSize, naming the limit and the option; nothing is stored', async () => {
    const session = await manager.open();
    session.set('blob', 'x'.repeat(MAX_SIZE));
    const error = await manager.save(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionDataError);
    expect((error as Error).message).toMatch(
      /over the 4096-byte limit \(option "maxSize"\); nothing was saved/,
    );
    expect(store.stats().count).toBe(1); // only the session of beforeEach
  });

  it('refuses an update that grows a session over maxSize; the record is unchanged', async () => {
    const before = await stored();
    const session = await load();
    session.set('counter', 2); // a valid change in the same request
    session.set('blob', 'é'.repeat(MAX_SIZE / 2)); // 2 bytes per character in UTF-8
    await expect((async () => manager.commit(session, { status: 200 }))()).rejects.toThrow(
      SessionDataError,
    );
    expect(await stored()).toBe(before);
    expect((await load()).get('counter')).toBe(1);
  });

  it(`refuses nesting deeper than ${MAX_VALUE_DEPTH}, naming the key`, async () => {
    const session = await load();
    expect(() => session.set('deep', nested(MAX_VALUE_DEPTH + 1))).toThrow(SessionDataError);
    expect(() => session.set('deep', nested(MAX_VALUE_DEPTH + 1))).toThrow(
      new RegExp(`key "deep".*deeper than ${MAX_VALUE_DEPTH}`),
    );
    // Just inside the limit is fine.
    expect(() => session.set('ok', nested(MAX_VALUE_DEPTH - 2))).not.toThrow();
  });

  it('refuses a cycle, naming the key and where it is', async () => {
    const session = await load();
    const loop: Record<string, unknown> = { a: { b: {} } };
    (loop.a as { b: Record<string, unknown> }).b.back = loop;
    expect(() => session.set('loop', loop)).toThrow(/key "loop".*loop\.a\.b\.back.*cycle/);
  });

  it('an object made cyclic or too deep in place fails the save, and nothing of the request is saved', async () => {
    const before = await stored();
    for (const spoil of [
      (profile: Record<string, unknown>) => {
        profile.self = profile;
      },
      (profile: Record<string, unknown>) => {
        profile.deep = nested(MAX_VALUE_DEPTH + 5);
      },
    ]) {
      const session = await load();
      session.set('counter', 99);
      spoil(session.get('profile') as Record<string, unknown>);
      // commit() may throw synchronously (nothing to await yet) or reject: catch both.
      const error = await (async () => manager.commit(session, { status: 200 }))().catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SessionDataError);
      expect((error as Error).message).toMatch(/key "profile"/);
      expect(await stored()).toBe(before);
    }
  });

  it('refuses values JSON cannot hold, naming the key (TypeError-like SessionDataError)', async () => {
    const session = await load();
    for (const value of [() => 1, Symbol('s'), 1n, Number.NaN, new Map(), undefined]) {
      expect(() => session.set('bad', value as never)).toThrow(/"bad"/);
    }
    expect(session.has('bad')).toBe(false);
  });
});
