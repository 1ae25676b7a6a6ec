import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SessionDataError,
  type SessionRecord,
  type SessionStore,
  SessionStoreError,
} from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createTestManager, keyOf, request } from './harness.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('session.flush()', () => {
  it('removes the data, the record and the cookie; the old id is dead', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.set('user', 'ann'));
    const flushed = await request(manager, first.cookie, (s) => s.flush());
    expect(flushed.setCookie).toMatch(
      /^sessionid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(await store.read(keyOf(first.cookie!))).toBeNull();
    const replay = await request(manager, first.cookie, (s) => s.get('user'));
    expect(replay.result).toBeUndefined();
  });
  it('puts data set after the flush into a new session with a new id', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.set('user', 'ann'));
    const next = await request(manager, first.cookie, (s) => {
      s.flush();
      s.set('fresh', true);
    });
    expect(next.cookie).not.toBe(first.cookie);
    expect(await store.read(keyOf(first.cookie!))).toBeNull();
    const later = await request(manager, next.cookie, (s) => s.entries());
    expect(later.result).toEqual([['fresh', true]]);
  });
});

describe('session.cycleKey()', () => {
  it('keeps the data under a new id and deletes the old record', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.set('cart', ['apple']));
    const login = await request(manager, first.cookie, (s) => {
      s.cycleKey();
      s.set('user', 'ann');
    });
    expect(login.cookie).not.toBe(first.cookie);
    expect(await store.read(keyOf(first.cookie!))).toBeNull();
    const after = await request(manager, login.cookie, (s) => [s.get('cart'), s.get('user')]);
    expect(after.result).toEqual([['apple'], 'ann']);
    const old = await request(manager, first.cookie, (s) => s.get('user'));
    expect(old.result).toBeUndefined();
  });
  it('keeps the creation time, so an absolute timeout still counts from the first visit', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const cycled = await request(manager, first.cookie, (s) => s.regenerate());
    const after = await request(manager, cycled.cookie, (s) => s.createdAt.getTime());
    expect(after.result).toBe(first.session.createdAt.getTime());
  });
  it('creates nothing for an empty anonymous session', async () => {
    const manager = createTestManager();
    const visit = await request(manager, undefined, (s) => s.cycleKey());
    expect(visit.setCookie).toBeUndefined();
  });
});

describe('session expiry (Django semantics)', () => {
  it('defaults to cookieAge: two weeks', async () => {
    const session = await createTestManager().load({ cookie: undefined, secure: false });
    expect(session.getExpiryAge()).toBe(1_209_600);
    expect(Math.abs(session.getExpiryDate().getTime() - (Date.now() + 1_209_600_000))).toBeLessThan(
      2000,
    );
    expect(session.expiresAtBrowserClose).toBe(false);
  });
  it('setExpiry(seconds) sets the age and the cookie Max-Age', async () => {
    const manager = createTestManager();
    const visit = await request(manager, undefined, (s) => {
      s.setExpiry(300);
      return s.getExpiryAge();
    });
    expect(visit.result).toBe(300);
    expect(visit.setCookie).toMatch(/Max-Age=300;/);
  });
  it('setExpiry(Date) expires at that date', async () => {
    const manager = createTestManager();
    const at = new Date(Date.now() + 3_600_000);
    const visit = await request(manager, undefined, (s) => {
      s.setExpiry(at);
      return s.getExpiryDate();
    });
    expect(visit.result.getTime()).toBe(at.getTime());
    expect(visit.setCookie).toMatch(/Max-Age=(3599|3600);/);
  });
  it('setExpiry(0) expires at browser close: no Max-Age', async () => {
    const manager = createTestManager();
    const visit = await request(manager, undefined, (s) => {
      s.setExpiry(0);
      s.set('n', 1);
      return s.expiresAtBrowserClose;
    });
    expect(visit.result).toBe(true);
    expect(visit.setCookie).not.toMatch(/Max-Age|Expires/);
  });
  it('setExpiry(null) returns to the default', async () => {
    const session = await createTestManager().load({ cookie: undefined, secure: false });
    session.setExpiry(10);
    session.setExpiry(null);
    expect(session.getExpiryAge()).toBe(1_209_600);
  });
  it('expireAtBrowserClose option sends session cookies', async () => {
    const manager = createTestManager({ expireAtBrowserClose: true });
    const visit = await request(manager, undefined, (s) => s.set('n', 1));
    expect(visit.setCookie).not.toMatch(/Max-Age/);
  });
  it('never returns an expired session, even while the store still holds it', async () => {
    // A store that ignores expiry, written on the public interface: the core must not trust it.
    const records = new Map<string, SessionRecord>();
    const forgetful: SessionStore = {
      name: 'forgetful',
      read: (key) => structuredClone(records.get(key) ?? null),
      create: (key, record) => {
        records.set(key, structuredClone(record));
        return true;
      },
      update: () => true,
      rotate: () => true,
      touch: () => true,
      destroy: (key) => void records.delete(key),
      clearExpired: () => 0,
    };
    const manager = createTestManager({ store: forgetful });
    const visit = await request(manager, undefined, (s) => {
      s.setExpiry(1);
      s.set('n', 1);
    });
    records.get(keyOf(visit.cookie!))!.expiresAt = Date.now() - 1;
    const later = await request(manager, visit.cookie, (s) => s.get('n'));
    expect(later.result).toBeUndefined();
    expect(later.session.isNew).toBe(true);
  });
  it('ends a session at absoluteTimeout however active it is', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const manager = createTestManager({
      absoluteTimeout: 3600,
      saveEveryRequest: true,
      touchAfter: 0,
    });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(700_000); // active every 700 s, 4200 s in all
      await request(manager, first.cookie, (s) => s.set('n', i));
    }
    const late = await request(manager, first.cookie, (s) => s.get('n'));
    expect(late.result).toBeUndefined();
  });
});

describe('sessions outside requests (Django SessionStore(session_key=…))', () => {
  it('opens a session by id, changes it and saves it', async () => {
    const manager = createTestManager();
    const visit = await request(manager, undefined, (s) => s.set('credits', 10));
    const session = await manager.open(visit.session.id);
    expect(session.get('credits')).toBe(10);
    session.set('credits', 20);
    await session.save();
    const later = await request(manager, visit.cookie, (s) => s.get('credits'));
    expect(later.result).toBe(20);
  });
  it('creates a session from a script and gives it an id', async () => {
    const manager = createTestManager();
    const session = await manager.open();
    session.set('seeded', true);
    await manager.save(session);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const reopened = await manager.open(session.id);
    expect(reopened.get('seeded')).toBe(true);
  });
  it('opens a fresh session for an unknown or malformed id', async () => {
    const manager = createTestManager();
    expect((await manager.open('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).isNew).toBe(true);
    expect((await manager.open('../etc')).isNew).toBe(true);
  });
  it('clears expired sessions', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const manager = createTestManager({ cookieAge: 60 });
    await request(manager, undefined, (s) => s.set('n', 1));
    await request(manager, undefined, (s) => s.set('n', 2));
    vi.advanceTimersByTime(61_000);
    await request(manager, undefined, (s) => s.set('n', 3));
    expect(await manager.clearExpired()).toBe(2);
  });
});

describe('store failures through the manager', () => {
  it('reports a failing store as SessionStoreError (503), naming the store and the operation', async () => {
    const store = createMemoryStore();
    const failing: SessionStore = Object.assign(Object.create(store) as SessionStore, {
      create: () => {
        throw new Error('ECONNREFUSED');
      },
    });
    const manager = createTestManager({ store: failing });
    const failure = request(manager, undefined, (s) => s.set('n', 1));
    await expect(failure).rejects.toBeInstanceOf(SessionStoreError);
    await expect(failure).rejects.toMatchObject({ status: 503 });
    await expect(failure).rejects.toThrow(/"memory" failed during create: ECONNREFUSED/);
  });

  it('keeps a SessionDataError from the store as it is (500: the data is the app’s to fix)', async () => {
    const store = createMemoryStore();
    const refusing: SessionStore = Object.assign(Object.create(store) as SessionStore, {
      create: async () => {
        throw new SessionDataError('Session key "deep" is nested deeper than this store holds.');
      },
    });
    const manager = createTestManager({ store: refusing });
    const failure = request(manager, undefined, (s) => s.set('deep', [[[1]]]));
    await expect(failure).rejects.toBeInstanceOf(SessionDataError);
    await expect(failure).rejects.toMatchObject({ status: 500 });
  });
});
