import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Session,
  SessionConfigError,
  type SessionStore,
  SessionStoreError,
} from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createTestManager, keyOf, request } from './harness.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('session.login(userId)', () => {
  it('gives the session a new id and kills the old one, keeping the data', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const anonymous = await request(manager, undefined, (s) => s.set('cart', ['book']));
    const login = await request(manager, anonymous.cookie, (s) => s.login('ann'));
    expect(login.cookie).toBeDefined();
    expect(login.cookie).not.toBe(anonymous.cookie);
    expect(store.read(keyOf(anonymous.cookie!))).toBeNull();
    const after = await request(manager, login.cookie, (s) => [s.userId, s.get('cart')]);
    expect(after.result).toEqual(['ann', ['book']]);
  });
  it('never turns an id an attacker planted before login into the logged-in session (passport CVE-2022-25896)', async () => {
    const manager = createTestManager();
    // The attacker gets a valid anonymous session and plants its cookie in the victim's browser.
    const planted = await request(manager, undefined, (s) => s.set('lang', 'en'));
    const victim = await request(manager, planted.cookie, (s) => s.login('victim'));
    // Riding the planted id afterwards gives the attacker nothing.
    const attacker = await request(manager, planted.cookie, (s) => [s.userId, s.isNew, s.size]);
    expect(attacker.result).toEqual([null, true, 0]);
    const real = await request(manager, victim.cookie, (s) => s.userId);
    expect(real.result).toBe('victim');
  });
  it('rotates the CSRF token, even when none existed, so a token from before login is refused', async () => {
    const manager = createTestManager();
    const before = await request(manager, undefined, (s) => s.csrfToken());
    const login = await request(manager, before.cookie, (s) => {
      s.login('ann');
      return s.csrfToken();
    });
    expect(login.result).not.toBe(before.result);
    const after = await request(manager, login.cookie, (s) => [
      s.isValidCsrfToken(before.result),
      s.isValidCsrfToken(login.result),
    ]);
    expect(after.result).toEqual([false, true]);
    const fresh = new Session({}, { cookieAge: 60, expireAtBrowserClose: false });
    fresh.login('bob');
    expect(fresh.isValidCsrfToken(fresh.csrfToken())).toBe(true);
  });
  it('records the owner in the stored record, so the store indexes it', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const login = await request(manager, undefined, (s) => s.login('ann'));
    expect(store.read(keyOf(login.cookie!))?.userId).toBe('ann');
    expect(store.listUserSessions('ann').map((info) => info.key)).toEqual([keyOf(login.cookie!)]);
    // Later writes keep the owner.
    await request(manager, login.cookie, (s) => s.set('theme', 'dark'));
    expect(store.read(keyOf(login.cookie!))?.userId).toBe('ann');
  });
  it('moves the session to the new user when another user logs in on it', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const ann = await request(manager, undefined, (s) => s.login('ann'));
    const bob = await request(manager, ann.cookie, (s) => s.login('bob'));
    expect(store.listUserSessions('ann')).toEqual([]);
    expect(store.listUserSessions('bob').map((info) => info.key)).toEqual([keyOf(bob.cookie!)]);
  });
  it('throws, saying what to pass, for a user id that is not a non-empty string', () => {
    const session = new Session({}, { cookieAge: 60, expireAtBrowserClose: false });
    expect(() => session.login('')).toThrow(/non-empty string/);
    expect(() => session.login(42 as unknown as string)).toThrow(/String\(id\)/);
    expect(session.userId).toBeNull();
  });
});

describe('session.logout()', () => {
  it('removes data, record, owner and cookie; a copied cookie replayed later is dead (CVE-2024-31999)', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const login = await request(manager, undefined, (s) => {
      s.login('ann');
      s.set('cart', ['book']);
    });
    const logout = await request(manager, login.cookie, (s) => s.logout());
    expect(logout.setCookie).toMatch(/^sessionid=; Max-Age=0/);
    expect(store.read(keyOf(login.cookie!))).toBeNull();
    expect(store.listUserSessions('ann')).toEqual([]);
    const replay = await request(manager, login.cookie, (s) => [s.userId, s.get('cart'), s.isNew]);
    expect(replay.result).toEqual([null, undefined, true]);
  });
});

describe('manager.listUserSessions()', () => {
  it("lists the user's live sessions with visible data, newest lastSeen first, marking the current one", async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const manager = createTestManager();
    const laptop = await request(manager, undefined, (s) => {
      s.login('ann');
      s.set('device', 'laptop');
    });
    vi.setSystemTime(new Date('2030-01-01T01:00:00Z'));
    const phone = await request(manager, undefined, (s) => {
      s.login('ann');
      s.set('device', 'phone');
    });
    await request(manager, undefined, (s) => s.login('bob'));
    vi.setSystemTime(new Date('2030-01-01T02:00:00Z'));
    await request(manager, laptop.cookie, (s) => s.set('seen', 2)); // the laptop was used last
    const current = await manager.load({ cookie: phone.cookie, secure: false });
    const list = await manager.listUserSessions('ann', { current });
    expect(list.map((entry) => [entry.data.device, entry.current])).toEqual([
      ['laptop', false],
      ['phone', true],
    ]);
    expect(list[0]).toEqual({
      key: keyOf(laptop.cookie!),
      createdAt: new Date('2030-01-01T00:00:00Z'),
      lastSeen: new Date('2030-01-01T02:00:00Z'),
      expiresAt: new Date(Date.parse('2030-01-01T02:00:00Z') + 1_209_600_000),
      data: { device: 'laptop', seen: 2 }, // no _csrf: reserved keys are hidden
      current: false,
    });
    expect(list[1]?.lastSeen).toEqual(new Date('2030-01-01T01:00:00Z'));
  });
  it('counts a read-only visit as seen only when the expiry is refreshed anyway (no extra write)', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const quiet = createTestManager();
    const refreshing = createTestManager({ saveEveryRequest: true, touchAfter: 0 });
    for (const manager of [quiet, refreshing]) {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const login = await request(manager, undefined, (s) => s.login('ann'));
      vi.setSystemTime(new Date('2030-01-01T05:00:00Z'));
      await request(manager, login.cookie, (s) => s.get('anything'));
    }
    expect((await quiet.listUserSessions('ann'))[0]?.lastSeen).toEqual(
      new Date('2030-01-01T00:00:00Z'),
    );
    expect((await refreshing.listUserSessions('ann'))[0]?.lastSeen).toEqual(
      new Date('2030-01-01T05:00:00Z'),
    );
  });
  it('derives lastSeen from a per-session setExpiry() age and an idle timeout', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    for (const [options, expiry] of [
      [{}, 600],
      [{ idleTimeout: 900 }, null],
    ] as const) {
      const manager = createTestManager(options);
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const login = await request(manager, undefined, (s) => {
        s.login('ann');
        s.setExpiry(expiry);
      });
      vi.setSystemTime(new Date('2030-01-01T00:05:00Z'));
      await request(manager, login.cookie, (s) => s.set('n', 1));
      expect((await manager.listUserSessions('ann'))[0]?.lastSeen).toEqual(
        new Date('2030-01-01T00:05:00Z'),
      );
    }
  });
  it('leaves out a session past the absolute timeout, which load() would not adopt either', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const store = createMemoryStore();
    const before = createTestManager({ store });
    const old = await request(before, undefined, (s) => s.login('ann'));
    vi.setSystemTime(new Date('2030-01-01T02:00:00Z'));
    // Redeployed with an absolute timeout of one hour: the old record is still stored, but dead.
    const after = createTestManager({ store, absoluteTimeout: 3600 });
    const fresh = await request(after, undefined, (s) => s.login('ann'));
    expect((await request(after, old.cookie, (s) => s.userId)).result).toBeNull();
    expect((await after.listUserSessions('ann')).map((entry) => entry.key)).toEqual([
      keyOf(fresh.cookie!),
    ]);
  });
  it('answers an empty list for a user without sessions', async () => {
    expect(await createTestManager().listUserSessions('nobody')).toEqual([]);
  });
  it('throws a clear error naming the store when it cannot list by user', async () => {
    const { listUserSessions: _l, destroyUserSessions: _d, ...plain } = createMemoryStore();
    const store: SessionStore = { ...plain, name: 'plain' };
    const manager = createTestManager({ store });
    await expect(manager.listUserSessions('ann')).rejects.toThrow(SessionConfigError);
    await expect(manager.listUserSessions('ann')).rejects.toThrow(/"plain".*listUserSessions\(\)/);
    await expect(manager.destroyUserSessions('ann')).rejects.toThrow(
      /"plain".*destroyUserSessions\(\)/,
    );
  });
  it('reports a failing store as SessionStoreError', async () => {
    const store: SessionStore = {
      ...createMemoryStore(),
      name: 'broken',
      listUserSessions: () => {
        throw new Error('down');
      },
    };
    await expect(createTestManager({ store }).listUserSessions('ann')).rejects.toBeInstanceOf(
      SessionStoreError,
    );
  });
  it('refuses a user id that is not a non-empty string', async () => {
    const manager = createTestManager();
    await expect(manager.listUserSessions('')).rejects.toThrow(/non-empty string/);
    await expect(manager.destroyUserSessions(7 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe('manager.destroyUserSessions()', () => {
  it('logs the user out everywhere but the given session; their cookies stop working at once', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const laptop = await request(manager, undefined, (s) => s.login('ann'));
    const phone = await request(manager, undefined, (s) => s.login('ann'));
    const tablet = await request(manager, undefined, (s) => s.login('ann'));
    const bob = await request(manager, undefined, (s) => s.login('bob'));
    const current = await manager.load({ cookie: laptop.cookie, secure: false });
    expect(await manager.destroyUserSessions('ann', { except: current })).toBe(2);
    for (const cookie of [phone.cookie, tablet.cookie]) {
      const replay = await request(manager, cookie, (s) => s.userId);
      expect(replay.result).toBeNull();
    }
    expect((await request(manager, laptop.cookie, (s) => s.userId)).result).toBe('ann');
    expect((await request(manager, bob.cookie, (s) => s.userId)).result).toBe('bob');
  });
  it('destroys every session of the user without `except`', async () => {
    const manager = createTestManager();
    await request(manager, undefined, (s) => s.login('ann'));
    await request(manager, undefined, (s) => s.login('ann'));
    expect(await manager.destroyUserSessions('ann')).toBe(2);
    expect(await manager.listUserSessions('ann')).toEqual([]);
  });
});
