import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/store.js';
import {
  createMemoryStore,
  DEFAULT_MEMORY_STORE_OPTIONS,
  type MemoryStoreOptions,
} from '../../src/stores/memory/index.js';
import { describeStoreConformance } from './conformance.js';

describeStoreConformance('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

/** A record valid until `expiresAt` on whatever clock the store uses. */
function recordUntil(expiresAt: number, data: SessionRecord['data'] = {}): SessionRecord {
  return { data, createdAt: 0, expiresAt, userId: null };
}

describe('createMemoryStore()', () => {
  describe('options', () => {
    it('has frozen defaults', () => {
      expect(Object.isFrozen(DEFAULT_MEMORY_STORE_OPTIONS)).toBe(true);
      expect(DEFAULT_MEMORY_STORE_OPTIONS.maxEntries).toBe(10_000);
      expect(DEFAULT_MEMORY_STORE_OPTIONS.now()).toBeGreaterThan(0);
    });

    it('accepts frozen options and leaves them unchanged', () => {
      const options = Object.freeze({ maxEntries: 5 });
      createMemoryStore(options);
      expect(options).toEqual({ maxEntries: 5 });
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10'])(
      'rejects maxEntries %s, naming the option',
      (maxEntries) => {
        expect(() => createMemoryStore({ maxEntries } as MemoryStoreOptions)).toThrow(
          /option "maxEntries" must be a positive integer/,
        );
      },
    );

    it('rejects a now that is not a function, naming the option', () => {
      expect(() => createMemoryStore({ now: 5 } as unknown as MemoryStoreOptions)).toThrow(
        /option "now" must be a function/,
      );
    });
  });

  it('answers synchronously, not with promises', () => {
    const store = createMemoryStore();
    const results = [
      store.create('k', recordUntil(Date.now() + 60_000)),
      store.read('k'),
      store.update('k', { set: { a: 1 }, remove: [], expiresAt: Date.now() + 60_000 }),
      store.touch('k', Date.now() + 60_000),
      store.clearExpired(),
      store.stats(),
      store.destroy('k'),
    ];
    for (const result of results) expect(result).not.toBeInstanceOf(Promise);
  });

  it('decides expiry with the injected clock', () => {
    let time = 1_000;
    const store = createMemoryStore({ now: () => time });
    store.create('k', recordUntil(2_000, { a: 1 }));

    expect(store.read('k')).not.toBeNull();
    time = 2_000;
    expect(store.read('k')).toBeNull();
    expect(store.stats()).toEqual({ count: 0, expired: 0, bytes: 0 });
  });

  describe('eviction', () => {
    const far = () => Date.now() + 60_000;

    it('never holds more than maxEntries records', () => {
      const store = createMemoryStore({ maxEntries: 10 });
      for (let index = 0; index < 100; index += 1) {
        store.create(`key${index}`, recordUntil(far(), { index }));
        expect(store.stats().count).toBeLessThanOrEqual(10);
      }
      expect(store.read('key89')).toBeNull();
      expect(store.read('key90')?.data).toEqual({ index: 90 });
      expect(store.read('key99')?.data).toEqual({ index: 99 });
    });

    it('evicts the least recently used record: reads and writes count as use', () => {
      const store = createMemoryStore({ maxEntries: 3 });
      store.create('a', recordUntil(far()));
      store.create('b', recordUntil(far()));
      store.create('c', recordUntil(far()));
      store.create('d', recordUntil(far())); // evicts a, the oldest

      store.read('b'); // order now c, d, b
      store.update('c', { set: { used: true }, remove: [], expiresAt: far() }); // d, b, c
      store.create('e', recordUntil(far())); // evicts d

      expect(store.read('a')).toBeNull();
      expect(store.read('d')).toBeNull();
      expect(store.read('b')).not.toBeNull();
      expect(store.read('c')?.data).toEqual({ used: true });
      expect(store.read('e')).not.toBeNull();
    });

    it('counts touch as use', () => {
      const store = createMemoryStore({ maxEntries: 2 });
      store.create('a', recordUntil(far()));
      store.create('b', recordUntil(far()));
      store.touch('a', far());
      store.create('c', recordUntil(far())); // evicts b

      expect(store.read('a')).not.toBeNull();
      expect(store.read('b')).toBeNull();
    });

    it('does not evict when a failed create meets an existing key', () => {
      const store = createMemoryStore({ maxEntries: 2 });
      store.create('a', recordUntil(far()));
      store.create('b', recordUntil(far()));

      expect(store.create('a', recordUntil(far(), { again: true }))).toBe(false);

      expect(store.read('a')?.data).toEqual({});
      expect(store.read('b')).not.toBeNull();
    });

    // Issue 10 §3: 60 anonymous requests to a page that writes the session logged a user out.
    it('keeps a logged-in record through 60 anonymous creates into maxEntries 50', () => {
      const store = createMemoryStore({ maxEntries: 50 });
      store.create('alice', { ...recordUntil(far(), { cart: ['book'] }), userId: 'alice' });

      for (let index = 0; index < 60; index += 1) {
        store.create(`anonymous${index}`, recordUntil(far(), { index }));
      }

      expect(store.read('alice')).toMatchObject({ userId: 'alice', data: { cart: ['book'] } });
      expect(store.stats().count).toBe(50);
      expect(store.read('anonymous10')).toBeNull(); // the 11 oldest anonymous ones made room
      expect(store.read('anonymous11')?.data).toEqual({ index: 11 });
    });

    it('evicts a logged-in record only when no anonymous one is left, the least recently used first', () => {
      const store = createMemoryStore({ maxEntries: 3 });
      const user = (userId: string): SessionRecord => ({ ...recordUntil(far()), userId });
      store.create('u1', user('u1'));
      store.create('u2', user('u2'));
      store.create('a', recordUntil(far()));
      store.read('u1'); // u2 is now the least recently used logged-in record

      store.create('u3', user('u3')); // evicts a, the only anonymous record
      expect(store.read('a')).toBeNull();
      expect(store.stats().count).toBe(3);

      store.create('b', recordUntil(far())); // none anonymous left: evicts u2
      expect(store.read('u2')).toBeNull();
      expect(store.read('u1')).not.toBeNull();
      expect(store.read('u3')).not.toBeNull();
      expect(store.read('b')).not.toBeNull();
    });

    it('protects a session from the moment an update records its user (login)', () => {
      const store = createMemoryStore({ maxEntries: 2 });
      store.create('visitor', recordUntil(far()));
      store.update('visitor', { set: {}, remove: [], expiresAt: far(), userId: 'carol' });

      store.create('x', recordUntil(far()));
      store.create('y', recordUntil(far())); // evicts x, not the older logged-in visitor

      expect(store.read('visitor')?.userId).toBe('carol');
      expect(store.read('x')).toBeNull();
      expect(store.read('y')).not.toBeNull();
    });
  });

  it('counts bytes of UTF-8 data in stats', () => {
    const store = createMemoryStore();
    store.create('k', recordUntil(Date.now() + 60_000, { text: 'é' }));
    // {"text":"é"} is 12 characters, 13 bytes.
    expect(store.stats()).toEqual({ count: 1, expired: 0, bytes: 13 });
  });

  describe('listing pages (issue 13 §2)', () => {
    const HOUR = 3_600_000;
    /** A store on a fixed clock holding `count` sessions created a minute apart. */
    function storeWithSessions(count: number) {
      const time = 100 * HOUR;
      const store = createMemoryStore({ now: () => time });
      for (let index = 0; index < count; index += 1) {
        store.create(`key${String(index).padStart(3, '0')}`, {
          data: { index },
          createdAt: time - (count - index) * 60_000,
          // The oldest sessions were used last: the reverse order.
          expiresAt: time + HOUR + (count - index) * 1_000,
          userId: index % 3 === 0 ? 'ann' : null,
        });
      }
      return store;
    }

    it('answers pages, counts and overviews synchronously', () => {
      const store = storeWithSessions(3);
      for (const result of [
        store.pageSessions({ limit: 2 }),
        store.countSessions(),
        store.describeSessions({ hours: 2, topUsers: 1 }),
      ]) {
        expect(result).not.toBeInstanceOf(Promise);
      }
    });

    it('pages through every session by creation, newest first, with the cursor', () => {
      const store = storeWithSessions(25);
      const keys: string[] = [];
      let cursor: string | undefined;
      for (let pages = 1; ; pages += 1) {
        const page = store.pageSessions({ limit: 10, cursor });
        keys.push(...page.sessions.map((session) => session.key));
        if (page.nextCursor === null) {
          expect(pages).toBe(3);
          break;
        }
        cursor = page.nextCursor;
      }
      expect(keys).toEqual(
        Array.from({ length: 25 }, (_, index) => `key${String(24 - index).padStart(3, '0')}`),
      );
    });

    it("pages by last use ('lastUsed': the stored expiry), latest first", () => {
      const store = storeWithSessions(5);
      const first = store.pageSessions({ limit: 3, order: 'lastUsed' });
      const second = store.pageSessions({
        limit: 3,
        order: 'lastUsed',
        cursor: first.nextCursor ?? undefined,
      });
      expect([...first.sessions, ...second.sessions].map((session) => session.key)).toEqual([
        'key000',
        'key001',
        'key002',
        'key003',
        'key004',
      ]);
      expect(second.nextCursor).toBeNull();
    });

    it("lists and counts one user's sessions, reporting the records it examined", () => {
      const store = storeWithSessions(10);
      const progress: number[] = [];
      const page = store.pageSessions({
        limit: 10,
        userId: 'ann',
        onProgress: (examined) => progress.push(examined),
      });
      expect(page.sessions.map((session) => session.key)).toEqual([
        'key009',
        'key006',
        'key003',
        'key000',
      ]);
      expect(page.sessions[0]).toEqual({
        key: 'key009',
        userId: 'ann',
        createdAt: 100 * HOUR - 60_000,
        expiresAt: 101 * HOUR + 1_000,
        data: { index: 9 },
      });
      expect(progress.at(-1)).toBe(10);
      expect(store.countSessions({ userId: 'ann' })).toBe(4);
      expect(store.countSessions()).toBe(10);
    });

    it('leaves expired sessions out of pages, counts and the overview', () => {
      let time = 10 * HOUR;
      const store = createMemoryStore({ now: () => time });
      store.create('old', { data: {}, createdAt: time, expiresAt: time + 1_000, userId: 'ann' });
      store.create('new', { data: {}, createdAt: time, expiresAt: time + HOUR, userId: 'ann' });
      time += 2_000;
      expect(store.pageSessions({ limit: 5 }).sessions.map((session) => session.key)).toEqual([
        'new',
      ]);
      expect(store.countSessions({ userId: 'ann' })).toBe(1);
      expect(store.describeSessions({ hours: 1, topUsers: 5 }).live).toBe(1);
    });

    it('measures the UTF-8 bytes of the data as JSON in the overview', () => {
      const time = 10 * HOUR;
      const store = createMemoryStore({ now: () => time });
      store.create('small', {
        data: { text: 'é' },
        createdAt: time,
        expiresAt: time + HOUR,
        userId: 'ann',
      });
      store.create('large', {
        data: { text: 'x'.repeat(2_000) },
        createdAt: time - HOUR,
        expiresAt: time + HOUR,
        userId: null,
      });
      const overview = store.describeSessions({ hours: 2, topUsers: 5 });
      expect(overview).toMatchObject({
        at: time,
        live: 2,
        users: 1,
        sizesMeasured: 2,
        topUsers: [{ userId: 'ann', sessions: 1 }],
        createdPerHour: [
          { hour: 9 * HOUR, sessions: 1 },
          { hour: 10 * HOUR, sessions: 1 },
        ],
        expiringPerHour: [
          { hour: 10 * HOUR, sessions: 0 },
          { hour: 11 * HOUR, sessions: 2 },
        ],
      });
      expect(overview.sizes.map((bucket) => bucket.sessions)).toEqual([1, 0, 1, 0, 0, 0]);
    });

    it('refuses a malformed cursor with a TypeError naming the option', () => {
      const store = storeWithSessions(1);
      expect(() => store.pageSessions({ limit: 5, cursor: 'not a cursor' })).toThrow(
        /option "cursor"/,
      );
    });
  });

  it('empties itself on close', () => {
    const store = createMemoryStore();
    store.create('k', recordUntil(Date.now() + 60_000));
    store.close();
    expect(store.read('k')).toBeNull();
  });
});
