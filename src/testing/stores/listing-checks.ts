/**
 * The checks of the optional listing methods: `listUserSessions`,
 * `destroyUserSessions`, `listSessions` and `stats`. Each is skipped when the
 * store leaves its method out.
 * @module
 */

import assert from 'node:assert/strict';
import type { ListSessionsOptions, StoredData, UserSessionInfo } from '../../core/store.js';
import { type CheckBody, group, lacks, type StoreCheck } from './check.js';
import {
  delta,
  expiredRecord,
  keysOf,
  liveRecord,
  MINUTE,
  randomKey,
  randomUserId,
  richData,
} from './fixtures.js';
import { present } from './record-checks.js';

const DAY = 24 * 60 * MINUTE;

/** Invalid `limit`s that `listSessions` must refuse, naming the option. */
const INVALID_LIMITS: readonly unknown[] = [0, -1, 1.5, Number.NaN, '10'];

/** The checks of the listing methods. */
export function listingChecks(): StoreCheck[] {
  return [
    ...group('store.listUserSessions()', [
      [
        'lists only that user’s unexpired sessions',
        async (store) => {
          if (store.listUserSessions === undefined) return lacks('listUserSessions');
          const userId = randomUserId();
          const first = randomKey();
          const second = randomKey();
          const firstRecord = liveRecord({ device: 'laptop' }, { userId });
          await store.create(first, firstRecord);
          await store.create(second, liveRecord({ device: 'phone' }, { userId }));
          await store.create(randomKey(), expiredRecord({ device: 'old' }, { userId }));
          await store.create(
            randomKey(),
            liveRecord({ device: 'other' }, { userId: randomUserId() }),
          );
          await store.create(randomKey(), liveRecord({ device: 'anonymous' }));

          const sessions = await store.listUserSessions(userId);

          assert.deepEqual(keysOf(sessions).sort(), [first, second].sort());
          assert.deepEqual(
            sessions.find((session) => session.key === first),
            {
              key: first,
              createdAt: firstRecord.createdAt,
              expiresAt: firstRecord.expiresAt,
              data: { device: 'laptop' },
            } satisfies UserSessionInfo,
          );
        },
      ],
      [
        'answers an empty list for a user without sessions',
        async (store) => {
          if (store.listUserSessions === undefined) return lacks('listUserSessions');
          assert.deepEqual(await store.listUserSessions(randomUserId()), []);
        },
      ],
      [
        'follows ownership changed by update',
        async (store) => {
          if (store.listUserSessions === undefined) return lacks('listUserSessions');
          const userId = randomUserId();
          const key = randomKey();
          await store.create(key, liveRecord({ a: 1 }));

          await store.update(key, delta({}, [], { userId }));
          assert.deepEqual(keysOf(await store.listUserSessions(userId)), [key]);

          await store.update(key, delta({}, [], { userId: null }));
          assert.deepEqual(await store.listUserSessions(userId), []);
        },
      ],
    ]),

    ...group('store.destroyUserSessions()', [
      [
        'destroys every session of the user but exceptKey, and answers how many',
        async (store) => {
          if (store.destroyUserSessions === undefined) return lacks('destroyUserSessions');
          const userId = randomUserId();
          const current = randomKey();
          const others = [randomKey(), randomKey()];
          const stranger = randomKey();
          await store.create(current, liveRecord({ which: 'current' }, { userId }));
          for (const key of others)
            await store.create(key, liveRecord({ which: 'other' }, { userId }));
          await store.create(
            stranger,
            liveRecord({ which: 'stranger' }, { userId: randomUserId() }),
          );

          assert.equal(await store.destroyUserSessions(userId, { exceptKey: current }), 2);

          assert.deepEqual(present(await store.read(current), 'the kept session').data, {
            which: 'current',
          });
          for (const key of others) assert.equal(await store.read(key), null);
          assert.deepEqual(present(await store.read(stranger), 'another user’s session').data, {
            which: 'stranger',
          });
        },
      ],
      [
        'destroys them all when no exceptKey is given',
        async (store) => {
          if (store.destroyUserSessions === undefined) return lacks('destroyUserSessions');
          const userId = randomUserId();
          const keys = [randomKey(), randomKey()];
          for (const key of keys) await store.create(key, liveRecord({}, { userId }));

          assert.equal(await store.destroyUserSessions(userId), 2);

          for (const key of keys) assert.equal(await store.read(key), null);
          assert.equal(await store.destroyUserSessions(userId), 0);
        },
      ],
    ]),

    ...group('store.listSessions()', [
      [
        'lists the newest live sessions first, at most `limit`, each with its key, owner, times and data',
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          // Created "tomorrow", so that they are the newest of the store whatever earlier checks wrote.
          const tomorrow = Date.now() + DAY;
          const userId = randomUserId();
          const [older, newer, newest] = [randomKey(), randomKey(), randomKey()];
          const expiresAt = Date.now() + 10 * MINUTE;
          await store.create(older, liveRecord({ n: 1 }, { createdAt: tomorrow + 1, expiresAt }));
          await store.create(
            newest,
            liveRecord(richData(), { createdAt: tomorrow + 3, expiresAt, userId }),
          );
          await store.create(newer, liveRecord({ n: 2 }, { createdAt: tomorrow + 2, expiresAt }));
          // Newer than all of them, but expired: never listed.
          await store.create(randomKey(), expiredRecord({ n: 4 }, { createdAt: tomorrow + 4 }));

          const listed = await store.listSessions({ limit: 2 });

          assert.deepEqual(listed, [
            { key: newest, userId, createdAt: tomorrow + 3, expiresAt, data: richData() },
            { key: newer, userId: null, createdAt: tomorrow + 2, expiresAt, data: { n: 2 } },
          ]);
          const more = await store.listSessions({ limit: 3 });
          assert.deepEqual(keysOf(more), [newest, newer, older]);
        },
      ],
      [
        'orders sessions created in the same millisecond by key, greatest first',
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          const later = Date.now() + 2 * DAY;
          const keys = [randomKey(), randomKey(), randomKey()];
          for (const key of keys) await store.create(key, liveRecord({}, { createdAt: later }));

          const listed = await store.listSessions({ limit: 3 });

          assert.deepEqual(keysOf(listed), [...keys].sort().reverse());
        },
      ],
      [
        'lists only one user’s live sessions with `userId`, newest first',
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          const userId = randomUserId();
          const now = Date.now();
          const [first, second, third] = [randomKey(), randomKey(), randomKey()];
          await store.create(
            first,
            liveRecord({ device: 'laptop' }, { userId, createdAt: now - 3 }),
          );
          await store.create(
            third,
            liveRecord({ device: 'tablet' }, { userId, createdAt: now - 1 }),
          );
          await store.create(
            second,
            liveRecord({ device: 'phone' }, { userId, createdAt: now - 2 }),
          );
          await store.create(randomKey(), expiredRecord({ device: 'old' }, { userId }));
          await store.create(
            randomKey(),
            liveRecord({ device: 'other' }, { userId: randomUserId() }),
          );
          await store.create(randomKey(), liveRecord({ device: 'anonymous' }));

          const all = await store.listSessions({ limit: 10, userId });
          const newestOnly = await store.listSessions({ limit: 1, userId });

          assert.deepEqual(
            all.map((session) => [session.key, session.data, session.userId]),
            [
              [third, { device: 'tablet' }, userId],
              [second, { device: 'phone' }, userId],
              [first, { device: 'laptop' }, userId],
            ],
          );
          assert.deepEqual(keysOf(newestOnly), [third]);
          assert.deepEqual(await store.listSessions({ limit: 10, userId: randomUserId() }), []);
        },
      ],
      [
        'keeps "__proto__" in listed data as plain data',
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          const userId = randomUserId();
          const data = JSON.parse('{"__proto__": {"admin": true}, "other": 2}') as StoredData;
          await store.create(randomKey(), liveRecord(data, { userId }));

          const [listed] = await store.listSessions({ limit: 1, userId });

          const listedData = present(listed, 'the listed session').data;
          assert.equal(Object.getPrototypeOf(listedData), Object.prototype);
          assert.deepEqual(Object.getOwnPropertyDescriptor(listedData, '__proto__')?.value, {
            admin: true,
          });
          assert.equal(({} as Record<string, unknown>).admin, undefined);
        },
      ],
      ...INVALID_LIMITS.map((limit): [string, CheckBody] => [
        `refuses limit ${typeof limit === 'string' ? JSON.stringify(limit) : String(limit)}, naming the option`,
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          const options = { limit } as ListSessionsOptions;
          await assert.rejects(
            async () => store.listSessions?.(options),
            /"limit" must be a positive integer/,
          );
        },
      ]),
      [
        'refuses an unknown option rather than ignoring it',
        async (store) => {
          if (store.listSessions === undefined) return lacks('listSessions');
          const options = { limit: 1, user: 'alice' } as unknown as ListSessionsOptions;
          await assert.rejects(async () => store.listSessions?.(options), /unknown option "user"/);
        },
      ],
    ]),

    ...group('store.stats()', [
      [
        'counts records, expired records and bytes of data',
        async (store) => {
          if (store.stats === undefined) return lacks('stats');
          await store.create(randomKey(), liveRecord({ text: 'x'.repeat(100) }));
          await store.create(randomKey(), expiredRecord({ text: 'y'.repeat(100) }));

          const stats = await store.stats();

          // Lower bounds only: on a shared server, other writers change the totals.
          assert.ok(stats.count >= 2, `count ${stats.count}`);
          assert.ok(stats.expired >= 1, `expired ${stats.expired}`);
          assert.ok(
            stats.expired <= stats.count,
            `expired ${stats.expired} > count ${stats.count}`,
          );
          assert.ok(stats.bytes >= 200, `bytes ${stats.bytes}`);
        },
      ],
    ]),
  ];
}
