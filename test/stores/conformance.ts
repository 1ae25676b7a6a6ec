/**
 * The behaviour every session store must show, as one vitest `describe` block.
 * A store's test file plugs its store in:
 *
 * ```ts
 * describeStoreConformance('redis', async () => {
 *   const store = createRedisStore({ url: process.env.REDIS_URL });
 *   return { store, cleanup: () => store.close?.() };
 * });
 * ```
 *
 * `setup` runs once before the block and `cleanup` once after it. Each test
 * uses fresh random keys (64 hex characters, like the SHA-256 digests the core
 * passes), so stores backed by a shared server need no emptying between tests;
 * counts are therefore asserted as lower bounds where other writers could interfere.
 * Time is real: expiry is tested with past timestamps and, once, a short wait.
 */

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SessionDelta,
  SessionRecord,
  SessionStore,
  StoredData,
} from '../../src/core/store.js';
import { describeManagerRules } from './manager-rules.js';

/** What a store's test file hands to {@link describeStoreConformance}. */
export interface StoreConformanceContext {
  /** The store under test. */
  store: SessionStore;
  /** Runs once after every test of the block: close the store, remove its files. */
  cleanup?: () => Promise<void> | void;
  /** Not supported: stores are tested against the real clock. */
  advanceTime?: never;
  /**
   * The backend drops expired records by itself (Redis TTL), so `clearExpired`
   * may find nothing left to remove and answer 0; what must hold is that the
   * expired records are gone and the live ones stay.
   */
  expiresOnItsOwn?: boolean;
}

const MINUTE = 60_000;

/** A fresh store key shaped like the core's: a SHA-256 digest in hex. */
function randomKey(): string {
  return randomBytes(32).toString('hex');
}

/** A user id no other test uses. */
function randomUserId(): string {
  return `user-${randomBytes(8).toString('hex')}`;
}

/** A record that stays valid for the whole test. */
function liveRecord(data: StoredData, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

/** A record whose expiry has already passed. */
function expiredRecord(data: StoredData, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now - 2 * MINUTE, expiresAt: now - MINUTE, userId: null, ...fields };
}

/** A delta that keeps the record valid for the whole test. */
function delta(
  set: StoredData,
  remove: readonly string[] = [],
  fields: Partial<SessionDelta> = {},
): SessionDelta {
  return { set, remove, expiresAt: Date.now() + MINUTE, ...fields };
}

/** Data exercising what JSON can hold. */
function richData(): StoredData {
  return {
    string: 'plain',
    unicode: 'héllo 日本語 🎉 e\u0301 \u2028\u2029 "quoted" \\ back\nslash \u0000 nul',
    integer: 42,
    negative: -7,
    float: 3.25,
    large: Number.MAX_SAFE_INTEGER,
    yes: true,
    no: false,
    nothing: null,
    emptyString: '',
    emptyObject: {},
    emptyArray: [],
    list: [1, 'two', { three: [3] }, null, [true]],
    nested: { a: { b: { c: { d: ['deep'] } } } },
  };
}

/**
 * Declares the store conformance suite: the guarantees of `SessionStore`
 * (see `src/core/store.ts`) checked against the store `setup` answers.
 */
export function describeStoreConformance(
  name: string,
  setup: () => Promise<StoreConformanceContext>,
): void {
  describe(`${name} store conformance`, () => {
    let context: StoreConformanceContext | undefined;
    /** The store under test; only valid inside tests. */
    const store = (): SessionStore => {
      if (context === undefined) throw new Error('the store setup did not complete');
      return context.store;
    };

    beforeAll(async () => {
      context = await setup();
    });

    afterAll(async () => {
      await context?.cleanup?.();
    });

    it('has a short name for messages', () => {
      expect(typeof store().name).toBe('string');
      expect(store().name.length).toBeGreaterThan(0);
    });

    describe('store.read()', () => {
      it('answers null for an unknown key and creates nothing', async () => {
        const before = await store().stats?.();
        const key = randomKey();
        expect(await store().read(key)).toBeNull();
        expect(await store().read(key)).toBeNull();
        expect(await store().touch(key, Date.now() + MINUTE)).toBe(false);
        const after = await store().stats?.();
        if (before !== undefined && after !== undefined) expect(after.count).toBe(before.count);
      });

      it('returns a fresh copy each time: mutating it changes nothing stored', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ list: [1, 2], nested: { value: 'original' } }));

        const first = await store().read(key);
        expect(first).not.toBeNull();
        first!.data.added = 'by the caller';
        (first!.data.list as number[]).push(3);
        (first!.data.nested as { value: string }).value = 'changed';
        first!.expiresAt = 0;

        const second = await store().read(key);
        expect(second).not.toBe(first);
        expect(second?.data).toEqual({ list: [1, 2], nested: { value: 'original' } });
        expect(second?.expiresAt).toBeGreaterThan(Date.now());
      });

      it('never returns an expired record, even before clearExpired runs', async () => {
        const key = randomKey();
        await store().create(key, expiredRecord({ stale: true }));
        expect(await store().read(key)).toBeNull();
      });

      it('stops returning a record once its expiry passes', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ brief: true }, { expiresAt: Date.now() + 30 }));
        await sleep(50);
        expect(await store().read(key)).toBeNull();
      });
    });

    describe('store.create()', () => {
      it('stores a record that read returns intact', async () => {
        const key = randomKey();
        const userId = randomUserId();
        const record = liveRecord(richData(), { userId, createdAt: Date.now() - 1000 });

        expect(await store().create(key, record)).toBe(true);

        expect(await store().read(key)).toEqual({
          data: richData(),
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          userId,
        });
      });

      it('keeps an anonymous record anonymous (userId null)', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));
        expect((await store().read(key))?.userId).toBeNull();
      });

      it('keeps "__proto__" as plain data and leaves Object.prototype untouched', async () => {
        const key = randomKey();
        const data = JSON.parse('{"__proto__": {"x": 1}, "other": 2}') as StoredData;

        await store().create(key, liveRecord(data));
        const read = await store().read(key);

        expect(read).not.toBeNull();
        expect(Object.getPrototypeOf(read!.data)).toBe(Object.prototype);
        expect(Object.hasOwn(read!.data, '__proto__')).toBe(true);
        expect(Object.getOwnPropertyDescriptor(read!.data, '__proto__')?.value).toEqual({ x: 1 });
        expect(read!.data.other).toBe(2);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
        expect(Object.hasOwn(Object.prototype, 'x')).toBe(false);
      });

      it('stores a copy: later changes to the caller’s object are not seen', async () => {
        const key = randomKey();
        const data: StoredData = { list: [1], nested: { value: 'original' } };
        await store().create(key, liveRecord(data));

        (data.list as number[]).push(2);
        (data.nested as { value: string }).value = 'changed';
        data.added = true;

        expect((await store().read(key))?.data).toEqual({
          list: [1],
          nested: { value: 'original' },
        });
      });

      it('never overwrites an existing record', async () => {
        const key = randomKey();
        expect(await store().create(key, liveRecord({ owner: 'first' }))).toBe(true);

        expect(
          await store().create(key, liveRecord({ owner: 'second' }, { userId: 'intruder' })),
        ).toBe(false);

        const read = await store().read(key);
        expect(read?.data).toEqual({ owner: 'first' });
        expect(read?.userId).toBeNull();
      });

      it('replaces a record that has expired, as if it were absent', async () => {
        const key = randomKey();
        await store().create(key, expiredRecord({ generation: 'old' }, { userId: randomUserId() }));

        const fresh = liveRecord({ generation: 'new' });
        expect(await store().create(key, fresh)).toBe(true);

        expect(await store().read(key)).toEqual({
          data: { generation: 'new' },
          createdAt: fresh.createdAt,
          expiresAt: fresh.expiresAt,
          userId: null,
        });
      });
    });

    describe('store.update()', () => {
      it('applies set and remove and keeps the other keys', async () => {
        const key = randomKey();
        const record = liveRecord({ keep: 'kept', replace: 'old', drop: 'gone', nested: { a: 1 } });
        await store().create(key, record);

        expect(
          await store().update(key, delta({ replace: 'new', added: [1, { two: 2 }] }, ['drop'])),
        ).toBe(true);

        const read = await store().read(key);
        expect(read?.data).toEqual({
          keep: 'kept',
          replace: 'new',
          nested: { a: 1 },
          added: [1, { two: 2 }],
        });
        expect(read?.createdAt).toBe(record.createdAt);
      });

      it('moves the expiry to delta.expiresAt', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));
        const expiresAt = Date.now() + 5 * MINUTE;

        await store().update(key, delta({ b: 2 }, [], { expiresAt }));

        expect((await store().read(key))?.expiresAt).toBe(expiresAt);
      });

      it('changes the owner only when delta.userId is given', async () => {
        const key = randomKey();
        const userId = randomUserId();
        await store().create(key, liveRecord({ a: 1 }));

        await store().update(key, delta({ step: 'sign in' }, [], { userId }));
        expect((await store().read(key))?.userId).toBe(userId);

        await store().update(key, delta({ step: 'browse' }));
        expect((await store().read(key))?.userId).toBe(userId);

        await store().update(key, delta({ step: 'sign out' }, [], { userId: null }));
        expect((await store().read(key))?.userId).toBeNull();
      });

      it('keeps "__proto__" in delta.set as plain data', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));

        await store().update(key, delta(JSON.parse('{"__proto__": {"polluted": true}}')));

        const read = await store().read(key);
        expect(Object.getPrototypeOf(read!.data)).toBe(Object.prototype);
        expect(Object.getOwnPropertyDescriptor(read!.data, '__proto__')?.value).toEqual({
          polluted: true,
        });
        expect(read!.data.a).toBe(1);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it('stores a copy: later changes to delta.set are not seen', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({}));
        const set: StoredData = { list: [1] };

        await store().update(key, delta(set));
        (set.list as number[]).push(2);

        expect((await store().read(key))?.data).toEqual({ list: [1] });
      });

      it('answers false for a missing key and creates nothing (no resurrection)', async () => {
        const key = randomKey();

        expect(await store().update(key, delta({ a: 1 }))).toBe(false);

        expect(await store().read(key)).toBeNull();
      });

      it('answers false after destroy, and the record stays gone', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));
        await store().destroy(key);

        expect(await store().update(key, delta({ b: 2 }))).toBe(false);

        expect(await store().read(key)).toBeNull();
      });

      it('answers false for an expired record and does not revive it', async () => {
        const key = randomKey();
        await store().create(key, expiredRecord({ a: 1 }));

        expect(await store().update(key, delta({ b: 2 }))).toBe(false);

        expect(await store().read(key)).toBeNull();
      });

      it('loses no write when 20 updates of one record run in parallel', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ original: true }));
        const indexes = Array.from({ length: 20 }, (_, index) => index);

        const results = await Promise.all(
          indexes.map((index) => store().update(key, delta({ [`key${index}`]: index }))),
        );

        expect(results).toEqual(indexes.map(() => true));
        const expected: StoredData = { original: true };
        for (const index of indexes) expected[`key${index}`] = index;
        expect((await store().read(key))?.data).toEqual(expected);
      });

      it('lets one of 20 parallel writes of the same key win, leaving a well-formed value', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ counter: -1, other: 'kept' }));

        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            store().update(key, delta({ counter: { value: index, label: `write ${index}` } })),
          ),
        );

        const data = (await store().read(key))?.data;
        expect(data?.other).toBe('kept');
        const counter = data?.counter as { value: number; label: string };
        expect(Number.isInteger(counter.value)).toBe(true);
        expect(counter.value).toBeGreaterThanOrEqual(0);
        expect(counter.value).toBeLessThan(20);
        expect(counter).toEqual({ value: counter.value, label: `write ${counter.value}` });
      });
    });

    // Issue 10: rotating an id (cycleKey(), login()) by create(new) then
    // destroy(old) let a slow request bring back, under a new id, a session a
    // concurrent logout had destroyed. rotate() checks and moves in one step.
    describe('store.rotate()', () => {
      const rotate = (oldKey: string, newKey: string, record: SessionRecord) =>
        store().rotate(oldKey, newKey, record);

      it('moves data, createdAt, owner and expiry to the new key; the old key reads null', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({ before: true }, { userId }));
        const record = liveRecord(richData(), {
          userId,
          createdAt: Date.now() - 5000,
          expiresAt: Date.now() + 7 * MINUTE,
        });

        expect(await rotate(oldKey, newKey, record)).toBe(true);

        expect(await store().read(newKey)).toEqual({
          data: richData(),
          createdAt: record.createdAt,
          expiresAt: record.expiresAt,
          userId,
        });
        expect(await store().read(oldKey)).toBeNull();
        expect(await store().update(oldKey, delta({ late: true }))).toBe(false);
        expect(await store().read(oldKey)).toBeNull();
      });

      it('stores a copy, keeping "__proto__" as plain data', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store().create(oldKey, liveRecord({ a: 1 }));
        const data = JSON.parse('{"__proto__": {"admin": true}, "list": [1]}') as StoredData;
        const record = liveRecord(data);

        expect(await rotate(oldKey, newKey, record)).toBe(true);
        (record.data.list as number[]).push(2);

        const read = await store().read(newKey);
        expect(Object.getPrototypeOf(read!.data)).toBe(Object.prototype);
        expect(Object.getOwnPropertyDescriptor(read!.data, '__proto__')?.value).toEqual({
          admin: true,
        });
        expect(read!.data.list).toEqual([1]);
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
      });

      it('answers false for a missing key and creates nothing', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];

        expect(await rotate(oldKey, newKey, liveRecord({ a: 1 }))).toBe(false);

        expect(await store().read(newKey)).toBeNull();
        expect(await store().read(oldKey)).toBeNull();
      });

      it('answers false for an expired record and writes nothing', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store().create(oldKey, expiredRecord({ a: 1 }));

        expect(await rotate(oldKey, newKey, liveRecord({ a: 1 }))).toBe(false);

        expect(await store().read(newKey)).toBeNull();
        expect(await store().read(oldKey)).toBeNull();
        // The expired record was not revived by the attempt either.
        expect(await store().touch(oldKey, Date.now() + MINUTE)).toBe(false);
      });

      it('answers false after destroy (a concurrent logout won), and the new key reads null', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({ user: 'ann' }, { userId }));
        await store().destroy(oldKey);

        expect(await rotate(oldKey, newKey, liveRecord({ user: 'ann' }, { userId }))).toBe(false);

        expect(await store().read(newKey)).toBeNull();
        expect(await store().read(oldKey)).toBeNull();
        if (store().listUserSessions !== undefined) {
          expect(await store().listUserSessions!(userId)).toEqual([]);
        }
      });

      it('answers false after destroyUserSessions of its owner', async (context) => {
        if (store().destroyUserSessions === undefined) return context.skip();
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({ device: 'laptop' }, { userId }));
        await store().destroyUserSessions!(userId);

        expect(await rotate(oldKey, newKey, liveRecord({ device: 'laptop' }, { userId }))).toBe(
          false,
        );

        expect(await store().read(newKey)).toBeNull();
        if (store().listUserSessions !== undefined) {
          expect(await store().listUserSessions!(userId)).toEqual([]);
        }
      });

      it('never overwrites a live record under the new key: rejects or answers false, and writes nothing', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store().create(oldKey, liveRecord({ which: 'old' }));
        await store().create(newKey, liveRecord({ which: 'taken' }));

        const outcome = await (async () => rotate(oldKey, newKey, liveRecord({ which: 'moved' })))()
          .then((answer) => ({ answer }))
          .catch((error: unknown) => ({ error }));

        if ('answer' in outcome) expect(outcome.answer).toBe(false);
        expect((await store().read(newKey))?.data).toEqual({ which: 'taken' });
        expect((await store().read(oldKey))?.data).toEqual({ which: 'old' });
      });

      it('moves the key in its owner’s listing', async (context) => {
        if (store().listUserSessions === undefined) return context.skip();
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({ a: 1 }, { userId }));

        await rotate(oldKey, newKey, liveRecord({ a: 1 }, { userId }));

        const keys = (await store().listUserSessions!(userId)).map((session) => session.key);
        expect(keys).toEqual([newKey]);
      });

      it('indexes the new owner when the rotation changes it (anonymous → user → another user)', async (context) => {
        if (store().listUserSessions === undefined) return context.skip();
        const [anonymousKey, firstKey, secondKey] = [randomKey(), randomKey(), randomKey()];
        const [first, second] = [randomUserId(), randomUserId()];
        await store().create(anonymousKey, liveRecord({ step: 'browse' }));

        expect(
          await rotate(anonymousKey, firstKey, liveRecord({ step: 'login' }, { userId: first })),
        ).toBe(true);
        expect((await store().listUserSessions!(first)).map((session) => session.key)).toEqual([
          firstKey,
        ]);
        expect((await store().read(firstKey))?.userId).toBe(first);

        expect(
          await rotate(firstKey, secondKey, liveRecord({ step: 'switch' }, { userId: second })),
        ).toBe(true);
        expect(await store().listUserSessions!(first)).toEqual([]);
        expect((await store().listUserSessions!(second)).map((session) => session.key)).toEqual([
          secondKey,
        ]);
      });

      it('lets a destroyUserSessions after the rotation reach the new key', async (context) => {
        if (store().destroyUserSessions === undefined) return context.skip();
        const [oldKey, newKey] = [randomKey(), randomKey()];
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({}));

        await rotate(oldKey, newKey, liveRecord({ signedIn: true }, { userId }));

        expect(await store().destroyUserSessions!(userId)).toBe(1);
        expect(await store().read(newKey)).toBeNull();
      });

      it('lets exactly one of two parallel rotations of one key win', async () => {
        const oldKey = randomKey();
        const userId = randomUserId();
        await store().create(oldKey, liveRecord({ a: 1 }, { userId }));
        const newKeys = [randomKey(), randomKey()];

        const answers = await Promise.all(
          newKeys.map((newKey) => rotate(oldKey, newKey, liveRecord({ to: newKey }, { userId }))),
        );

        expect(answers.filter((answer) => answer)).toEqual([true]);
        const winner = newKeys[answers.indexOf(true)]!;
        const loser = newKeys[answers.indexOf(false)]!;
        expect((await store().read(winner))?.data).toEqual({ to: winner });
        expect(await store().read(loser)).toBeNull();
        expect(await store().read(oldKey)).toBeNull();
        if (store().listUserSessions !== undefined) {
          const keys = (await store().listUserSessions!(userId)).map((session) => session.key);
          expect(keys).toEqual([winner]);
        }
      });

      it('lets a rotation and a parallel destroy of the old key leave no live session behind, or only the new one', async () => {
        const [oldKey, newKey] = [randomKey(), randomKey()];
        await store().create(oldKey, liveRecord({ a: 1 }));

        const [rotated] = await Promise.all([
          rotate(oldKey, newKey, liveRecord({ a: 2 })),
          store().destroy(oldKey),
        ]);

        expect(await store().read(oldKey)).toBeNull();
        // Either the rotation came first (and the destroy found nothing), or the destroy did.
        if (rotated) expect((await store().read(newKey))?.data).toEqual({ a: 2 });
        else expect(await store().read(newKey)).toBeNull();
      });
    });

    describe('store.touch()', () => {
      it('extends the expiry of an existing record and keeps its data', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }, { userId: 'owner' }));
        const expiresAt = Date.now() + 10 * MINUTE;

        expect(await store().touch(key, expiresAt)).toBe(true);

        const read = await store().read(key);
        expect(read?.expiresAt).toBe(expiresAt);
        expect(read?.data).toEqual({ a: 1 });
        expect(read?.userId).toBe('owner');
      });

      it('answers false for a missing key and creates nothing', async () => {
        const key = randomKey();

        expect(await store().touch(key, Date.now() + MINUTE)).toBe(false);

        expect(await store().read(key)).toBeNull();
      });

      it('answers false for an expired record and does not revive it', async () => {
        const key = randomKey();
        await store().create(key, expiredRecord({ a: 1 }));

        expect(await store().touch(key, Date.now() + MINUTE)).toBe(false);

        expect(await store().read(key)).toBeNull();
      });
    });

    describe('store.destroy()', () => {
      it('removes the record', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));

        await store().destroy(key);

        expect(await store().read(key)).toBeNull();
      });

      it('accepts a key that does not exist', async () => {
        await store().destroy(randomKey());
      });

      it('lets the key be created again afterwards', async () => {
        const key = randomKey();
        await store().create(key, liveRecord({ generation: 1 }));
        await store().destroy(key);

        expect(await store().create(key, liveRecord({ generation: 2 }))).toBe(true);
        expect((await store().read(key))?.data).toEqual({ generation: 2 });
      });
    });

    describe('store.clearExpired()', () => {
      it('removes only expired records and answers how many', async () => {
        await store().clearExpired();
        const expiredKeys = [randomKey(), randomKey(), randomKey()];
        const liveKeys = [randomKey(), randomKey()];
        for (const key of expiredKeys) await store().create(key, expiredRecord({ key }));
        for (const key of liveKeys) await store().create(key, liveRecord({ key }));

        const removed = await store().clearExpired();

        // At least ours: on a shared server, other writers' records may expire too.
        expect(Number.isInteger(removed)).toBe(true);
        const least = context?.expiresOnItsOwn === true ? 0 : expiredKeys.length;
        expect(removed).toBeGreaterThanOrEqual(least);
        for (const key of liveKeys) expect((await store().read(key))?.data).toEqual({ key });
        for (const key of expiredKeys) expect(await store().read(key)).toBeNull();
        const stats = await store().stats?.();
        if (stats !== undefined) expect(stats.count).toBeGreaterThanOrEqual(liveKeys.length);
      });
    });

    describe('store.listUserSessions()', () => {
      it('lists only that user’s unexpired sessions', async (context) => {
        if (store().listUserSessions === undefined) return context.skip();
        const userId = randomUserId();
        const first = randomKey();
        const second = randomKey();
        const firstRecord = liveRecord({ device: 'laptop' }, { userId });
        await store().create(first, firstRecord);
        await store().create(second, liveRecord({ device: 'phone' }, { userId }));
        await store().create(randomKey(), expiredRecord({ device: 'old' }, { userId }));
        await store().create(
          randomKey(),
          liveRecord({ device: 'other' }, { userId: randomUserId() }),
        );
        await store().create(randomKey(), liveRecord({ device: 'anonymous' }));

        const sessions = await store().listUserSessions!(userId);

        expect(sessions.map((session) => session.key).sort()).toEqual([first, second].sort());
        expect(sessions.find((session) => session.key === first)).toEqual({
          key: first,
          createdAt: firstRecord.createdAt,
          expiresAt: firstRecord.expiresAt,
          data: { device: 'laptop' },
        });
      });

      it('answers an empty list for a user without sessions', async (context) => {
        if (store().listUserSessions === undefined) return context.skip();

        expect(await store().listUserSessions!(randomUserId())).toEqual([]);
      });

      it('follows ownership changed by update', async (context) => {
        if (store().listUserSessions === undefined) return context.skip();
        const userId = randomUserId();
        const key = randomKey();
        await store().create(key, liveRecord({ a: 1 }));

        await store().update(key, delta({}, [], { userId }));
        expect((await store().listUserSessions!(userId)).map((session) => session.key)).toEqual([
          key,
        ]);

        await store().update(key, delta({}, [], { userId: null }));
        expect(await store().listUserSessions!(userId)).toEqual([]);
      });
    });

    describe('store.destroyUserSessions()', () => {
      it('destroys every session of the user but exceptKey, and answers how many', async (context) => {
        if (store().destroyUserSessions === undefined) return context.skip();
        const userId = randomUserId();
        const current = randomKey();
        const others = [randomKey(), randomKey()];
        const stranger = randomKey();
        await store().create(current, liveRecord({ which: 'current' }, { userId }));
        for (const key of others)
          await store().create(key, liveRecord({ which: 'other' }, { userId }));
        await store().create(
          stranger,
          liveRecord({ which: 'stranger' }, { userId: randomUserId() }),
        );

        expect(await store().destroyUserSessions!(userId, { exceptKey: current })).toBe(2);

        expect((await store().read(current))?.data).toEqual({ which: 'current' });
        for (const key of others) expect(await store().read(key)).toBeNull();
        expect((await store().read(stranger))?.data).toEqual({ which: 'stranger' });
      });

      it('destroys them all when no exceptKey is given', async (context) => {
        if (store().destroyUserSessions === undefined) return context.skip();
        const userId = randomUserId();
        const keys = [randomKey(), randomKey()];
        for (const key of keys) await store().create(key, liveRecord({}, { userId }));

        expect(await store().destroyUserSessions!(userId)).toBe(2);

        for (const key of keys) expect(await store().read(key)).toBeNull();
        expect(await store().destroyUserSessions!(userId)).toBe(0);
      });
    });

    describe('store.listSessions()', () => {
      const DAY = 24 * 60 * MINUTE;

      it('lists the newest live sessions first, at most `limit`, each with its key, owner, times and data', async (context) => {
        if (store().listSessions === undefined) return context.skip();
        // Created "tomorrow", so that they are the newest of the store whatever earlier tests wrote.
        const tomorrow = Date.now() + DAY;
        const userId = randomUserId();
        const [older, newer, newest] = [randomKey(), randomKey(), randomKey()];
        const expiresAt = Date.now() + 10 * MINUTE;
        await store().create(older, liveRecord({ n: 1 }, { createdAt: tomorrow + 1, expiresAt }));
        await store().create(
          newest,
          liveRecord(richData(), { createdAt: tomorrow + 3, expiresAt, userId }),
        );
        await store().create(newer, liveRecord({ n: 2 }, { createdAt: tomorrow + 2, expiresAt }));
        // Newer than all of them, but expired: never listed.
        await store().create(randomKey(), expiredRecord({ n: 4 }, { createdAt: tomorrow + 4 }));

        const listed = await store().listSessions!({ limit: 2 });

        expect(listed).toEqual([
          { key: newest, userId, createdAt: tomorrow + 3, expiresAt, data: richData() },
          { key: newer, userId: null, createdAt: tomorrow + 2, expiresAt, data: { n: 2 } },
        ]);
        const more = await store().listSessions!({ limit: 3 });
        expect(more.map((session) => session.key)).toEqual([newest, newer, older]);
      });

      it('orders sessions created in the same millisecond by key, greatest first', async (context) => {
        if (store().listSessions === undefined) return context.skip();
        const later = Date.now() + 2 * DAY;
        const keys = [randomKey(), randomKey(), randomKey()];
        for (const key of keys) await store().create(key, liveRecord({}, { createdAt: later }));

        const listed = await store().listSessions!({ limit: 3 });

        expect(listed.map((session) => session.key)).toEqual([...keys].sort().reverse());
      });

      it('lists only one user’s live sessions with `userId`, newest first', async (context) => {
        if (store().listSessions === undefined) return context.skip();
        const userId = randomUserId();
        const now = Date.now();
        const [first, second, third] = [randomKey(), randomKey(), randomKey()];
        await store().create(
          first,
          liveRecord({ device: 'laptop' }, { userId, createdAt: now - 3 }),
        );
        await store().create(
          third,
          liveRecord({ device: 'tablet' }, { userId, createdAt: now - 1 }),
        );
        await store().create(
          second,
          liveRecord({ device: 'phone' }, { userId, createdAt: now - 2 }),
        );
        await store().create(randomKey(), expiredRecord({ device: 'old' }, { userId }));
        await store().create(
          randomKey(),
          liveRecord({ device: 'other' }, { userId: randomUserId() }),
        );
        await store().create(randomKey(), liveRecord({ device: 'anonymous' }));

        const all = await store().listSessions!({ limit: 10, userId });
        const newestOnly = await store().listSessions!({ limit: 1, userId });

        expect(all.map((session) => [session.key, session.data, session.userId])).toEqual([
          [third, { device: 'tablet' }, userId],
          [second, { device: 'phone' }, userId],
          [first, { device: 'laptop' }, userId],
        ]);
        expect(newestOnly.map((session) => session.key)).toEqual([third]);
        expect(await store().listSessions!({ limit: 10, userId: randomUserId() })).toEqual([]);
      });

      it('keeps "__proto__" in listed data as plain data', async (context) => {
        if (store().listSessions === undefined) return context.skip();
        const userId = randomUserId();
        const data = JSON.parse('{"__proto__": {"admin": true}, "other": 2}') as StoredData;
        await store().create(randomKey(), liveRecord(data, { userId }));

        const [listed] = await store().listSessions!({ limit: 1, userId });

        expect(Object.getPrototypeOf(listed!.data)).toBe(Object.prototype);
        expect(Object.getOwnPropertyDescriptor(listed!.data, '__proto__')?.value).toEqual({
          admin: true,
        });
        expect(({} as Record<string, unknown>).admin).toBeUndefined();
      });

      it.for([0, -1, 1.5, Number.NaN, '10'])(
        'refuses limit %j, naming the option',
        async (limit, context) => {
          if (store().listSessions === undefined) return context.skip();
          await expect(
            (async () => store().listSessions!({ limit: limit as number }))(),
          ).rejects.toThrow(/"limit" must be a positive integer/);
        },
      );

      it('refuses an unknown option rather than ignoring it', async (context) => {
        if (store().listSessions === undefined) return context.skip();
        const options = { limit: 1, user: 'alice' } as unknown as { limit: number };
        await expect((async () => store().listSessions!(options))()).rejects.toThrow(
          /unknown option "user"/,
        );
      });
    });

    describe('store.stats()', () => {
      it('counts records, expired records and bytes of data', async (context) => {
        if (store().stats === undefined) return context.skip();
        await store().create(randomKey(), liveRecord({ text: 'x'.repeat(100) }));
        await store().create(randomKey(), expiredRecord({ text: 'y'.repeat(100) }));

        const stats = await store().stats!();

        // Lower bounds only: on a shared server, other writers change the totals.
        expect(stats.count).toBeGreaterThanOrEqual(2);
        expect(stats.expired).toBeGreaterThanOrEqual(1);
        expect(stats.expired).toBeLessThanOrEqual(stats.count);
        expect(stats.bytes).toBeGreaterThanOrEqual(200);
      });
    });

    describeManagerRules(store);
  });
}
