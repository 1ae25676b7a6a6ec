import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SessionConfigError,
  SessionDataError,
  SessionInterruptedError,
  type SessionStore,
} from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { countCalls, writes } from './counting-store.js';
import { createTestManager, keyOf, request } from './harness.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('rule 1: no cookie, no I/O; no change, no cookie', () => {
  it('does no store I/O for a request without a session cookie', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const result = await request(manager, undefined, (s) => s.get('anything'));
    expect(calls).toEqual({});
    expect(result.setCookie).toBeUndefined();
  });
  it('does no store I/O for an unrelated cookie', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    await request(manager, 'theme=dark; lang=en');
    expect(calls).toEqual({});
  });
  it('sends no Set-Cookie for a session that was never modified', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const second = await request(manager, first.cookie, (s) => s.get('n'));
    expect(second.setCookie).toBeUndefined();
  });
  it('deletes the cookie and the record when the session is emptied', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const second = await request(manager, first.cookie, (s) => s.delete('n'));
    expect(second.setCookie).toMatch(/^sessionid=; Max-Age=0;/);
    expect(calls.destroy).toBe(1);
    expect(await store.read(keyOf(first.cookie!))).toBeNull();
  });
  it('asks for Vary: Cookie whenever the session was read', async () => {
    const manager = createTestManager();
    expect((await request(manager, undefined, (s) => s.has('x'))).vary).toBe(true);
    expect((await request(manager, undefined)).vary).toBe(false);
  });
});

describe('rule 2: only a changed session is written', () => {
  it('costs one read and no write when read but unchanged', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.set('cart', { items: ['a'] }));
    for (const key of Object.keys(calls)) delete calls[key];
    await request(manager, first.cookie, (s) => s.get('cart'));
    expect(calls).toEqual({ read: 1 });
  });
  it('refreshes expiry with saveEveryRequest as a touch, throttled by touchAfter', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store, saveEveryRequest: true, touchAfter: 60 });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const soon = await request(manager, first.cookie);
    expect(calls.touch).toBeUndefined();
    expect(soon.setCookie).toBeUndefined();
    vi.advanceTimersByTime(61_000);
    const later = await request(manager, first.cookie);
    expect(calls.touch).toBe(1);
    expect(calls.update).toBeUndefined();
    expect(later.setCookie).toMatch(/Max-Age=1209600/);
  });
  it('touches on every request with touchAfter: 0', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store, saveEveryRequest: true, touchAfter: 0 });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    await request(manager, first.cookie);
    await request(manager, first.cookie);
    expect(calls.touch).toBe(2);
  });
  it('extends an idle timeout by touching', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const manager = createTestManager({ idleTimeout: 600, touchAfter: 60 });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    vi.advanceTimersByTime(500_000);
    await request(manager, first.cookie); // activity: touch
    vi.advanceTimersByTime(500_000); // 1000 s after creation, 500 s after last activity
    const alive = await request(manager, first.cookie, (s) => s.get('n'));
    expect(alive.result).toBe(1);
    vi.advanceTimersByTime(601_000);
    const idle = await request(manager, first.cookie, (s) => s.get('n'));
    expect(idle.result).toBeUndefined();
  });
});

describe('rule 3: writes are deltas', () => {
  it('keeps every key when 20 parallel requests each set their own key', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('start', true));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(manager, first.cookie, async (s) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          s.set(`key${i}`, i);
        }),
      ),
    );
    const last = await request(manager, first.cookie, (s) => s.keys());
    expect(last.result.sort()).toEqual(
      ['start', ...Array.from({ length: 20 }, (_, i) => `key${i}`)].sort(),
    );
  });
  it('saves changes made inside nested values without modified = true', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) =>
      s.set('cart', { items: [] as string[] }),
    );
    const second = await request(manager, first.cookie, (s) => {
      s.get('cart').items.push('apple');
    });
    expect(second.setCookie).toBeDefined();
    const third = await request(manager, first.cookie, (s) => s.get('cart'));
    expect(third.result).toEqual({ items: ['apple'] });
  });
  it('writes only the changed keys', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const updates: unknown[] = [];
    const spying: SessionStore = {
      ...store,
      name: 'spy',
      update: (key, delta) => {
        updates.push(delta);
        return store.update(key, delta);
      },
    };
    const manager = createTestManager({ store: spying });
    const first = await request(manager, undefined, (s) =>
      s.update({ a: 1, b: { deep: 1 }, c: 3 }),
    );
    await request(manager, first.cookie, (s) => {
      s.get('b');
      s.set('c', 4);
      s.delete('a');
    });
    expect(updates).toEqual([{ set: { c: 4 }, remove: ['a'], expiresAt: expect.any(Number) }]);
    expect(calls.update).toBe(1);
  });
});

describe('rule 4: a concurrent flush wins', () => {
  it('drops the write of a request that finishes after a logout, with SessionInterruptedError', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('user', 'ann'));
    const slow = await manager.load({ cookie: first.cookie, secure: false });
    await request(manager, first.cookie, (s) => s.flush()); // logout elsewhere
    slow.set('cart', ['late']);
    await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);
    expect(await manager.store.read(keyOf(first.cookie!))).toBeNull();
  });
});

describe('rule 5: ids the server did not issue are never adopted', () => {
  it('gives an unknown well-formed id a fresh session and creates no record for it', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const forged = 'sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const visit = await request(manager, forged, (s) => s.get('n'));
    expect(visit.session.isNew).toBe(true);
    expect(calls.create).toBeUndefined();
    expect(visit.setCookie).toMatch(/Max-Age=0/); // the stale cookie is deleted
    const write = await request(manager, forged, (s) => s.set('n', 1));
    expect(write.cookie).not.toBe(forged);
    expect(await store.read(keyOf(forged))).toBeNull();
  });
  it('treats a malformed cookie as no session without reading the store', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    for (const value of ['', 'short', '../../etc/passwd', '%zz', '"quoted"', 'x'.repeat(5000)]) {
      const visit = await request(manager, `sessionid=${value}`, (s) => s.get('n'));
      expect(visit.session.isNew).toBe(true);
    }
    expect(calls.read).toBeUndefined();
  });
  it('writes nothing for an anonymous flush', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const visit = await request(manager, undefined, (s) => s.flush());
    expect(calls).toEqual({});
    expect(visit.setCookie).toBeUndefined();
  });
});

describe('rule 6: ids and store keys', () => {
  it('issues 32-character URL-safe ids (192 bits) that differ every time', async () => {
    const manager = createTestManager();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++)
      ids.add((await request(manager, undefined, (s) => s.set('n', i))).session.id!);
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
  it('keys the store by the SHA-256 digest of the id, never the id', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const visit = await request(manager, undefined, (s) => s.set('n', 1));
    const id = visit.session.id!;
    expect(await store.read(keyOf(visit.cookie!))).not.toBeNull();
    expect(await store.read(id)).toBeNull();
    expect(keyOf(visit.cookie!)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('rule 7: cookie defaults and checks', () => {
  it('uses Django defaults: sessionid, Path=/, HttpOnly, SameSite=Lax, no Domain', async () => {
    const manager = createTestManager();
    const visit = await request(manager, undefined, (s) => s.set('n', 1));
    expect(visit.setCookie).toMatch(
      /^sessionid=[A-Za-z0-9_-]{32}; Max-Age=1209600; Expires=[^;]+ GMT; Path=\/; HttpOnly; SameSite=Lax$/,
    );
  });
  it("adds Secure with secure: 'auto' only for HTTPS requests", async () => {
    const manager = createTestManager();
    const session = await manager.load({ cookie: undefined, secure: true });
    session.set('n', 1);
    expect((await manager.commit(session)).setCookie).toMatch(/; Secure$/);
  });
  it.each([
    [{ name: '__Host-sid' }, /requires option "cookie.secure: true"/],
    [{ name: '__Host-sid', secure: true, path: '/app' }, /__Host- prefix/],
    [{ name: '__Host-sid', secure: true, domain: 'example.com' }, /__Host- prefix/],
    [{ name: '__Secure-sid', secure: false }, /requires option "cookie.secure: true"/],
    [{ name: 'x=<script>; Max-Age=1' }, /cookie.name/],
    [{ path: '/; Domain=evil.com' }, /cookie.path/],
    [{ domain: 'evil.com; Secure' }, /cookie.domain/],
    [{ sameSite: 'none' as const }, /sameSite/],
  ])('refuses %o at creation', (cookie, message) => {
    expect(() => createTestManager({ cookie })).toThrow(SessionConfigError);
    expect(() => createTestManager({ cookie })).toThrow(message);
  });
  it('accepts a valid __Host- cookie', async () => {
    const manager = createTestManager({ cookie: { name: '__Host-sid', secure: true } });
    const visit = await request(manager, undefined, (s) => s.set('n', 1));
    expect(visit.setCookie).toMatch(/^__Host-sid=.*; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
  });
  it.each([
    ['cookieAge', { cookieAge: -1 }],
    ['cookieAge', { cookieAge: 500 * 86400 }],
    ['touchAfter', { touchAfter: 1.5 }],
    ['maxSize', { maxSize: 0 }],
    ['store', { store: {} as SessionStore }],
  ])('names option %s when it is wrong', (name, options) => {
    expect(() => createTestManager(options)).toThrow(new RegExp(`"${name}"`));
  });
  it("does not change the caller's options object", () => {
    const cookie = { name: 'sid' };
    const options = { cookie, cookieAge: 60 };
    const manager = createTestManager(options);
    expect(options).toEqual({ cookie: { name: 'sid' }, cookieAge: 60 });
    expect(Object.isFrozen(manager.options)).toBe(true);
  });
});

describe('rule 8: cookie parsing never throws', () => {
  it.each([
    ['duplicate names: the first wins', 'sessionid=bad; sessionid=alsobad'],
    ['bad percent escapes', 'sessionid=%E0%A4%A'],
    ['quoted values', 'sessionid="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"'],
    ['nameless prefix smuggling', '=__Host-sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an 8 KB header of backslashes', `sessionid="${'\\'.repeat(8192)}"`],
    ['control characters', 'sessionid=\u0000\u0001\u007f; \u00a0sessionid=x'],
    ['prototype names', '__proto__=1; constructor=2; toString=3; sessionid=__proto__'],
  ])('handles %s as "no session"', async (_label, header) => {
    const manager = createTestManager();
    const visit = await request(manager, header, (s) => s.get('n'));
    expect(visit.session.isNew).toBe(true);
  });
  it('uses the first of duplicate session cookies', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('n', 7));
    const visit = await request(
      manager,
      `${first.cookie}; sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      (s) => s.get('n'),
    );
    expect(visit.result).toBe(7);
  });
});

describe('rule 9: serialization', () => {
  it('round-trips __proto__ and constructor keys as plain data without touching Object.prototype', async () => {
    const manager = createTestManager();
    const evil = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    );
    const first = await request(manager, undefined, (s) => s.set('evil', evil));
    const again = await request(manager, first.cookie, (s) => s.get('evil'));
    expect(Object.keys(again.result)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(again.result, '__proto__')?.value).toEqual({
      polluted: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(again.result)).toBe(Object.prototype);
  });
  it('round-trips Date values as Date, nested too', async () => {
    const manager = createTestManager();
    const when = new Date('2026-01-02T03:04:05.678Z');
    const first = await request(manager, undefined, (s) => s.set('event', { when, list: [when] }));
    const again = await request(manager, first.cookie, (s) => s.get('event'));
    expect(again.result.when).toBeInstanceOf(Date);
    expect(again.result.when.getTime()).toBe(when.getTime());
    expect(again.result.list[0]).toBeInstanceOf(Date);
  });
  it('keeps user objects that look like Tessera tags intact', async () => {
    const manager = createTestManager();
    const tricky = { a: { $date: 'not a date' }, b: { $obj: 1 }, c: { $date: '2020-01-01', x: 1 } };
    const first = await request(manager, undefined, (s) => s.set('tricky', tricky));
    const again = await request(manager, first.cookie, (s) => s.get('tricky'));
    expect(again.result).toEqual(tricky);
  });
  it('fails a session over maxSize with a clear error and saves nothing', async () => {
    const manager = createTestManager({ maxSize: 1024 });
    const first = await request(manager, undefined, (s) => s.set('small', 'x'));
    const big = await manager.load({ cookie: first.cookie, secure: false });
    big.set('small', 'changed');
    big.set('big', 'y'.repeat(2000));
    await expect(manager.commit(big)).rejects.toThrow(SessionDataError);
    await expect(manager.commit(big)).rejects.toThrow(
      /over the 1024-byte limit \(option "maxSize"\)/,
    );
    const after = await request(manager, first.cookie, (s) => [s.get('small'), s.get('big')]);
    expect(after.result).toEqual(['x', undefined]);
  });
  it('refuses deep nesting with a clear error', async () => {
    const session = await createTestManager().load({ cookie: undefined, secure: false });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => session.set('deep', deep)).toThrow(/nesting is deeper than 64/);
  });
});

describe('5xx responses', () => {
  it('are neither saved nor cookied, as in Django', async () => {
    const { store, calls } = countCalls(createMemoryStore());
    const manager = createTestManager({ store });
    const visit = await request(manager, undefined, (s) => s.set('n', 1), 500);
    expect(visit.setCookie).toBeUndefined();
    expect(writes(calls)).toBe(0);
  });
});
