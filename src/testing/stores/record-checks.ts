/**
 * The checks of the record methods every store has: `read`, `create`,
 * `update`, `touch`, `destroy`, `clearExpired`, and the store's name.
 * @module
 */

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionRecord, StoredData } from '../../core/store.js';
import { group, type StoreCheck } from './check.js';
import {
  delta,
  expiredRecord,
  liveRecord,
  MINUTE,
  randomKey,
  randomUserId,
  richData,
} from './fixtures.js';

/** `value`, asserting it is there (a record that must have been found). */
export function present<T>(value: T | null | undefined, what: string): T {
  assert.ok(value !== null && value !== undefined, `${what} is missing`);
  return value;
}

/** Asserts that `data` keeps `"__proto__"` as an own data property holding `expected`. */
export function assertProtoKeptAsData(data: StoredData, expected: unknown): void {
  assert.equal(Object.getPrototypeOf(data), Object.prototype, 'the data became another prototype');
  assert.ok(Object.hasOwn(data, '__proto__'), '"__proto__" is not an own key of the data');
  assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, expected);
  assert.equal(Object.hasOwn(Object.prototype, 'x'), false, 'Object.prototype was changed');
}

/** The checks of the record methods. */
export function recordChecks(): StoreCheck[] {
  return [
    ...group('', [
      [
        'has a short name for messages',
        async (store) => {
          assert.equal(typeof store.name, 'string');
          assert.ok(store.name.length > 0, 'the name is empty');
        },
      ],
    ]),

    ...group('store.read()', [
      [
        'answers null for an unknown key and creates nothing',
        async (store) => {
          const before = await store.stats?.();
          const key = randomKey();
          assert.equal(await store.read(key), null);
          assert.equal(await store.read(key), null);
          assert.equal(await store.touch(key, Date.now() + MINUTE), false);
          const after = await store.stats?.();
          if (before !== undefined && after !== undefined) assert.equal(after.count, before.count);
        },
      ],
      [
        'returns a fresh copy each time: mutating it changes nothing stored',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ list: [1, 2], nested: { value: 'original' } }));

          const first = present(await store.read(key), 'the record');
          first.data.added = 'by the caller';
          (first.data.list as number[]).push(3);
          (first.data.nested as { value: string }).value = 'changed';
          first.expiresAt = 0;

          const second = present(await store.read(key), 'the record read again');
          assert.notEqual(second, first);
          assert.deepEqual(second.data, { list: [1, 2], nested: { value: 'original' } });
          assert.ok(second.expiresAt > Date.now(), 'the caller changed the stored expiry');
        },
      ],
      [
        'never returns an expired record, even before clearExpired runs',
        async (store) => {
          const key = randomKey();
          await store.create(key, expiredRecord({ stale: true }));
          assert.equal(await store.read(key), null);
        },
      ],
      [
        'stops returning a record once its expiry passes',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ brief: true }, { expiresAt: Date.now() + 30 }));
          await sleep(50);
          assert.equal(await store.read(key), null);
        },
      ],
    ]),

    ...group('store.create()', [
      [
        'stores a record that read returns intact',
        async (store) => {
          const key = randomKey();
          const userId = randomUserId();
          const record = liveRecord(richData(), { userId, createdAt: Date.now() - 1000 });

          assert.equal(await store.create(key, record), true);

          assert.deepEqual(await store.read(key), {
            data: richData(),
            createdAt: record.createdAt,
            expiresAt: record.expiresAt,
            userId,
          } satisfies SessionRecord);
        },
      ],
      [
        'keeps an anonymous record anonymous (userId null)',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));
          assert.equal(present(await store.read(key), 'the record').userId, null);
        },
      ],
      [
        'keeps "__proto__" as plain data and leaves Object.prototype untouched',
        async (store) => {
          const key = randomKey();
          const data = JSON.parse('{"__proto__": {"x": 1}, "other": 2}') as StoredData;

          await store.create(key, liveRecord(data));
          const read = present(await store.read(key), 'the record');

          assertProtoKeptAsData(read.data, { x: 1 });
          assert.equal(read.data.other, 2);
          assert.equal(({} as Record<string, unknown>).x, undefined);
        },
      ],
      [
        'stores a copy: later changes to the caller’s object are not seen',
        async (store) => {
          const key = randomKey();
          const data: StoredData = { list: [1], nested: { value: 'original' } };
          await store.create(key, liveRecord(data));

          (data.list as number[]).push(2);
          (data.nested as { value: string }).value = 'changed';
          data.added = true;

          assert.deepEqual(present(await store.read(key), 'the record').data, {
            list: [1],
            nested: { value: 'original' },
          });
        },
      ],
      [
        'never overwrites an existing record',
        async (store) => {
          const key = randomKey();
          assert.equal(await store.create(key, liveRecord({ owner: 'first' })), true);

          assert.equal(
            await store.create(key, liveRecord({ owner: 'second' }, { userId: 'intruder' })),
            false,
          );

          const read = present(await store.read(key), 'the record');
          assert.deepEqual(read.data, { owner: 'first' });
          assert.equal(read.userId, null);
        },
      ],
      [
        'replaces a record that has expired, as if it were absent',
        async (store) => {
          const key = randomKey();
          await store.create(key, expiredRecord({ generation: 'old' }, { userId: randomUserId() }));

          const fresh = liveRecord({ generation: 'new' });
          assert.equal(await store.create(key, fresh), true);

          assert.deepEqual(await store.read(key), {
            data: { generation: 'new' },
            createdAt: fresh.createdAt,
            expiresAt: fresh.expiresAt,
            userId: null,
          } satisfies SessionRecord);
        },
      ],
    ]),

    ...group('store.update()', [
      [
        'applies set and remove and keeps the other keys',
        async (store) => {
          const key = randomKey();
          const record = liveRecord({
            keep: 'kept',
            replace: 'old',
            drop: 'gone',
            nested: { a: 1 },
          });
          await store.create(key, record);

          assert.equal(
            await store.update(key, delta({ replace: 'new', added: [1, { two: 2 }] }, ['drop'])),
            true,
          );

          const read = present(await store.read(key), 'the record');
          assert.deepEqual(read.data, {
            keep: 'kept',
            replace: 'new',
            nested: { a: 1 },
            added: [1, { two: 2 }],
          });
          assert.equal(read.createdAt, record.createdAt);
        },
      ],
      [
        'moves the expiry to delta.expiresAt',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));
          const expiresAt = Date.now() + 5 * MINUTE;

          await store.update(key, delta({ b: 2 }, [], { expiresAt }));

          assert.equal(present(await store.read(key), 'the record').expiresAt, expiresAt);
        },
      ],
      [
        'changes the owner only when delta.userId is given',
        async (store) => {
          const key = randomKey();
          const userId = randomUserId();
          await store.create(key, liveRecord({ a: 1 }));
          const owner = async () => present(await store.read(key), 'the record').userId;

          await store.update(key, delta({ step: 'sign in' }, [], { userId }));
          assert.equal(await owner(), userId);

          await store.update(key, delta({ step: 'browse' }));
          assert.equal(await owner(), userId);

          await store.update(key, delta({ step: 'sign out' }, [], { userId: null }));
          assert.equal(await owner(), null);
        },
      ],
      [
        'keeps "__proto__" in delta.set as plain data',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));

          await store.update(key, delta(JSON.parse('{"__proto__": {"polluted": true}}')));

          const read = present(await store.read(key), 'the record');
          assertProtoKeptAsData(read.data, { polluted: true });
          assert.equal(read.data.a, 1);
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
        },
      ],
      [
        'stores a copy: later changes to delta.set are not seen',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({}));
          const set: StoredData = { list: [1] };

          await store.update(key, delta(set));
          (set.list as number[]).push(2);

          assert.deepEqual(present(await store.read(key), 'the record').data, { list: [1] });
        },
      ],
      [
        'answers false for a missing key and creates nothing (no resurrection)',
        async (store) => {
          const key = randomKey();

          assert.equal(await store.update(key, delta({ a: 1 })), false);

          assert.equal(await store.read(key), null);
        },
      ],
      [
        'answers false after destroy, and the record stays gone',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));
          await store.destroy(key);

          assert.equal(await store.update(key, delta({ b: 2 })), false);

          assert.equal(await store.read(key), null);
        },
      ],
      [
        'answers false for an expired record and does not revive it',
        async (store) => {
          const key = randomKey();
          await store.create(key, expiredRecord({ a: 1 }));

          assert.equal(await store.update(key, delta({ b: 2 })), false);

          assert.equal(await store.read(key), null);
        },
      ],
      [
        'loses no write when 20 updates of one record run in parallel',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ original: true }));
          const indexes = Array.from({ length: 20 }, (_, index) => index);

          const results = await Promise.all(
            indexes.map((index) => store.update(key, delta({ [`key${index}`]: index }))),
          );

          assert.deepEqual(
            results,
            indexes.map(() => true),
          );
          const expected: StoredData = { original: true };
          for (const index of indexes) expected[`key${index}`] = index;
          assert.deepEqual(present(await store.read(key), 'the record').data, expected);
        },
      ],
      [
        'lets one of 20 parallel writes of the same key win, leaving a well-formed value',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ counter: -1, other: 'kept' }));

          await Promise.all(
            Array.from({ length: 20 }, (_, index) =>
              store.update(key, delta({ counter: { value: index, label: `write ${index}` } })),
            ),
          );

          const data = present(await store.read(key), 'the record').data;
          assert.equal(data.other, 'kept');
          const counter = data.counter as { value: number; label: string };
          assert.ok(Number.isInteger(counter.value), 'the counter is not an integer');
          assert.ok(counter.value >= 0 && counter.value < 20, 'the counter is not one written');
          assert.deepEqual(counter, { value: counter.value, label: `write ${counter.value}` });
        },
      ],
    ]),

    ...group('store.touch()', [
      [
        'extends the expiry of an existing record and keeps its data',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }, { userId: 'owner' }));
          const expiresAt = Date.now() + 10 * MINUTE;

          assert.equal(await store.touch(key, expiresAt), true);

          const read = present(await store.read(key), 'the record');
          assert.equal(read.expiresAt, expiresAt);
          assert.deepEqual(read.data, { a: 1 });
          assert.equal(read.userId, 'owner');
        },
      ],
      [
        'answers false for a missing key and creates nothing',
        async (store) => {
          const key = randomKey();

          assert.equal(await store.touch(key, Date.now() + MINUTE), false);

          assert.equal(await store.read(key), null);
        },
      ],
      [
        'answers false for an expired record and does not revive it',
        async (store) => {
          const key = randomKey();
          await store.create(key, expiredRecord({ a: 1 }));

          assert.equal(await store.touch(key, Date.now() + MINUTE), false);

          assert.equal(await store.read(key), null);
        },
      ],
    ]),

    ...group('store.destroy()', [
      [
        'removes the record',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));

          await store.destroy(key);

          assert.equal(await store.read(key), null);
        },
      ],
      [
        'accepts a key that does not exist',
        async (store) => {
          await store.destroy(randomKey());
        },
      ],
      [
        'lets the key be created again afterwards',
        async (store) => {
          const key = randomKey();
          await store.create(key, liveRecord({ generation: 1 }));
          await store.destroy(key);

          assert.equal(await store.create(key, liveRecord({ generation: 2 })), true);
          assert.deepEqual(present(await store.read(key), 'the record').data, { generation: 2 });
        },
      ],
    ]),

    ...group('store.clearExpired()', [
      [
        'removes only expired records and answers how many',
        async (store, context) => {
          await store.clearExpired();
          const expiredKeys = [randomKey(), randomKey(), randomKey()];
          const liveKeys = [randomKey(), randomKey()];
          for (const key of expiredKeys) await store.create(key, expiredRecord({ key }));
          for (const key of liveKeys) await store.create(key, liveRecord({ key }));

          const removed = await store.clearExpired();

          // At least ours: on a shared server, other writers' records may expire too.
          assert.ok(Number.isInteger(removed), `clearExpired answered ${removed}, not an integer`);
          const least = context.expiresOnItsOwn === true ? 0 : expiredKeys.length;
          assert.ok(
            removed >= least,
            `clearExpired answered ${removed}, expected ${least} or more`,
          );
          for (const key of liveKeys) {
            assert.deepEqual(present(await store.read(key), 'a live record').data, { key });
          }
          for (const key of expiredKeys) assert.equal(await store.read(key), null);
          const stats = await store.stats?.();
          if (stats !== undefined) assert.ok(stats.count >= liveKeys.length, 'stats lost records');
        },
      ],
    ]),
  ];
}
