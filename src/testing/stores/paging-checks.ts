/**
 * The checks of the optional operations methods (issue 13): `pageSessions`,
 * `countSessions` and `describeSessions`. Each is skipped when the store
 * leaves its method out.
 *
 * The suite shares one store between its checks, and records other checks
 * wrote may expire at any moment. So the checks list one fresh user's
 * sessions where they can; where they list the whole store, they use times
 * far in the future (newer than anything else) and remove their records
 * afterwards; and the overview is checked by differences before and after
 * writing, repeated when another record expired in between.
 * @module
 */

import assert from 'node:assert/strict';
import {
  type DescribeSessionsOptions,
  type PageSessionsOptions,
  SESSION_SIZE_BUCKETS,
  type SessionListOrder,
  type SessionOverview,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
} from '../../core/store.js';
import { type CheckBody, group, lacks, type StoreCheck } from './check.js';
import { expiredRecord, keysOf, MINUTE, randomKey, randomUserId, richData } from './fixtures.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The start of the UTC hour `time` falls in. */
function hourOf(time: number): number {
  return Math.floor(time / HOUR) * HOUR;
}

let lastEpoch = 0;

/**
 * A time later than any other check writes (they stay within days of now),
 * and a day after the previous one this module handed out, so the records of
 * a check list before everything else in the store.
 */
function futureEpoch(): number {
  lastEpoch = Math.max(Date.now() + 400 * DAY, lastEpoch + DAY);
  return lastEpoch;
}

/** One record to write: its key and record. */
interface Entry {
  key: string;
  record: SessionRecord;
}

/** A live record with the given times (valid for the whole check unless `expiresAt` says otherwise). */
function entry(fields: Partial<SessionRecord> & { createdAt: number }): Entry {
  return {
    key: randomKey(),
    record: {
      data: { n: fields.createdAt },
      expiresAt: Date.now() + 30 * MINUTE,
      userId: null,
      ...fields,
    },
  };
}

async function createAll(store: SessionStore, entries: readonly Entry[]): Promise<void> {
  for (const { key, record } of entries) {
    assert.equal(await store.create(key, record), true, `create(${key}) answered false`);
  }
}

async function destroyAll(store: SessionStore, entries: readonly Entry[]): Promise<void> {
  for (const { key } of entries) await store.destroy(key);
}

/** The value `order` sorts by. */
function sortValueOf(
  session: { createdAt: number; expiresAt: number },
  order: SessionListOrder,
): number {
  return order === 'created' ? session.createdAt : session.expiresAt;
}

/** The keys of `entries` in listing order: greatest value first, ties by key, greatest first. */
function expectedOrder(entries: readonly Entry[], order: SessionListOrder): string[] {
  return [...entries]
    .sort((a, b) => {
      const byValue = sortValueOf(b.record, order) - sortValueOf(a.record, order);
      return byValue !== 0 ? byValue : a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
    })
    .map((item) => item.key);
}

/** The page-after-page walk of a listing until `nextCursor` is null. */
async function pageAll(
  store: SessionStore,
  options: Omit<PageSessionsOptions, 'cursor'>,
  laterLimit = options.limit,
  maxPages = 1000,
): Promise<{ pages: SessionSummary[][]; sessions: SessionSummary[] }> {
  const page = requirePageSessions(store);
  const pages: SessionSummary[][] = [];
  let cursor: string | undefined;
  for (;;) {
    // A cursor holds a position, not a page number: a page may have another limit than the previous.
    const limit = pages.length < 3 ? options.limit : laterLimit;
    const answer = await page({ ...options, limit, ...(cursor === undefined ? {} : { cursor }) });
    assert.ok(
      answer.sessions.length <= limit,
      `a page of limit ${limit} held ${answer.sessions.length} sessions`,
    );
    pages.push(answer.sessions);
    if (answer.nextCursor === null) break;
    assert.equal(typeof answer.nextCursor, 'string', 'nextCursor is a string or null');
    assert.ok(pages.length < maxPages, `still not at the last page after ${maxPages} pages`);
    cursor = answer.nextCursor;
  }
  return { pages, sessions: pages.flat() };
}

function requirePageSessions(store: SessionStore): NonNullable<SessionStore['pageSessions']> {
  const method = store.pageSessions;
  assert.ok(method !== undefined, 'the store has no pageSessions()');
  return method.bind(store);
}

/** Fails unless no key appears twice in `keys`. */
function assertNoRepeats(keys: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    assert.ok(!seen.has(key), `session ${key} was listed twice`);
    seen.add(key);
  }
}

/** Fails unless `sessions` are in `order`: strictly decreasing by value, then key. */
function assertListingOrder(sessions: readonly SessionSummary[], order: SessionListOrder): void {
  for (let index = 1; index < sessions.length; index += 1) {
    const before = sessions[index - 1]!;
    const after = sessions[index]!;
    const [a, b] = [sortValueOf(before, order), sortValueOf(after, order)];
    assert.ok(
      a > b || (a === b && before.key > after.key),
      `in order '${order}', ${before.key} (${a}) is listed before ${after.key} (${b})`,
    );
  }
}

/** Fails unless `call` throws or rejects with a TypeError or RangeError whose message matches `message`. */
async function assertRefused(call: () => unknown, message: RegExp): Promise<void> {
  await assert.rejects(
    async () => call(),
    (error: unknown) => {
      assert.ok(
        error instanceof TypeError || error instanceof RangeError,
        `expected a TypeError or RangeError, got ${String(error)}`,
      );
      assert.match(error.message, message);
      return true;
    },
  );
}

/** Sessions per hour of one chart, by the hour's start. */
function countsByHour(chart: SessionOverview['createdPerHour']): Map<number, number> {
  return new Map(chart.map(({ hour, sessions }) => [hour, sessions]));
}

/** Fails unless `overview` has the shape `options` asks for. */
function assertOverviewShape(overview: SessionOverview, options: DescribeSessionsOptions): void {
  const { at } = overview;
  const { hours } = options;
  assert.ok(Number.isSafeInteger(at), '`at` is a time in ms');
  assert.equal(overview.createdPerHour.length, hours, 'createdPerHour has `hours` entries');
  assert.equal(overview.expiringPerHour.length, hours, 'expiringPerHour has `hours` entries');
  const current = hourOf(at);
  assert.deepEqual(
    overview.createdPerHour.map((item) => item.hour),
    Array.from({ length: hours }, (_, index) => current - (hours - 1 - index) * HOUR),
    'createdPerHour covers the hours up to the hour of `at`, oldest first',
  );
  assert.deepEqual(
    overview.expiringPerHour.map((item) => item.hour),
    Array.from({ length: hours }, (_, index) => current + index * HOUR),
    'expiringPerHour covers the hours from the hour of `at` on',
  );
  assert.deepEqual(
    overview.sizes.map((bucket) => bucket.upTo),
    [...SESSION_SIZE_BUCKETS, null],
    'sizes has one bucket per SESSION_SIZE_BUCKETS entry and a last, unbounded one',
  );
  const measured = overview.sizes.reduce((sum, bucket) => sum + bucket.sessions, 0);
  assert.equal(
    measured,
    overview.sizesMeasured,
    'the size histogram counts sizesMeasured sessions',
  );
  assert.ok(
    overview.sizesMeasured <= overview.live,
    `sizesMeasured ${overview.sizesMeasured} > live ${overview.live}`,
  );
  assert.ok(overview.users <= overview.live, `users ${overview.users} > live ${overview.live}`);
  const charted = [...overview.createdPerHour, ...overview.expiringPerHour];
  for (const { sessions } of charted) assert.ok(Number.isInteger(sessions) && sessions >= 0);
  assert.ok(overview.topUsers.length <= options.topUsers, 'at most `topUsers` users');
  for (let index = 1; index < overview.topUsers.length; index += 1) {
    const before = overview.topUsers[index - 1]!;
    const after = overview.topUsers[index]!;
    assert.ok(
      before.sessions > after.sessions ||
        (before.sessions === after.sessions && before.userId < after.userId),
      `topUsers lists ${JSON.stringify(before)} before ${JSON.stringify(after)}`,
    );
  }
}

/** Invalid `pageSessions` options and the option the refusal must name. */
const INVALID_PAGE_OPTIONS: readonly (readonly [
  label: string,
  options: unknown,
  message: RegExp,
])[] = [
  ['no limit', {}, /"limit"/],
  ['limit 0', { limit: 0 }, /"limit"/],
  ['limit 1001', { limit: 1001 }, /"limit"/],
  ['limit 1.5', { limit: 1.5 }, /"limit"/],
  ['limit "10"', { limit: '10' }, /"limit"/],
  ['order "newest"', { limit: 1, order: 'newest' }, /"order"/],
  ['userId 42', { limit: 1, userId: 42 }, /"userId"/],
  ['a malformed cursor', { limit: 1, cursor: 'not a cursor!' }, /"cursor"/],
  ['a cursor of garbage base64url', { limit: 1, cursor: 'AAAAAAAAAAAA' }, /"cursor"/],
  ['an empty cursor', { limit: 1, cursor: '' }, /"cursor"/],
  ['a cursor that is not a string', { limit: 1, cursor: 12 }, /"cursor"/],
  ['an unknown option', { limit: 1, user: 'alice' }, /unknown option "user"/],
];

/** The checks of the operations methods. */
export function pagingChecks(): StoreCheck[] {
  return [
    ...group('store.pageSessions()', [
      [
        'lists the newest live sessions first by creation, each with its key, owner, times and data',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const epoch = futureEpoch();
          const userId = randomUserId();
          const expiresAt = Date.now() + 30 * MINUTE;
          const older = entry({ createdAt: epoch + 1, expiresAt, data: { n: 1 } });
          const newest = entry({ createdAt: epoch + 3, expiresAt, userId, data: richData() });
          const newer = entry({ createdAt: epoch + 2, expiresAt, data: { n: 2 } });
          // The newest of all, but expired: never listed.
          const expired = {
            key: randomKey(),
            record: expiredRecord({ n: 4 }, { createdAt: epoch + 4 }),
          };
          const entries = [older, newest, newer, expired];
          try {
            await createAll(store, entries);

            const page = await store.pageSessions({ limit: 2 });
            const ordered = await store.pageSessions({ limit: 3, order: 'created' });

            assert.deepEqual(page.sessions, [
              { key: newest.key, userId, createdAt: epoch + 3, expiresAt, data: richData() },
              { key: newer.key, userId: null, createdAt: epoch + 2, expiresAt, data: { n: 2 } },
            ] satisfies SessionSummary[]);
            assert.equal(typeof page.nextCursor, 'string', 'a full page has a nextCursor');
            assert.deepEqual(keysOf(ordered.sessions), [newest.key, newer.key, older.key]);
          } finally {
            await destroyAll(store, entries);
          }
        },
      ],
      [
        "lists by last use (the record's expiry), latest first, with order 'lastUsed'",
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const epoch = futureEpoch();
          const now = Date.now();
          // Created in the opposite order of their expiry, so the two orders differ.
          const first = entry({ createdAt: now - 3, expiresAt: epoch + 1 });
          const second = entry({ createdAt: now - 2, expiresAt: epoch + 3 });
          const third = entry({ createdAt: now - 1, expiresAt: epoch + 2 });
          const entries = [first, second, third];
          try {
            await createAll(store, entries);

            const page = await store.pageSessions({ limit: 3, order: 'lastUsed' });

            assert.deepEqual(keysOf(page.sessions), [second.key, third.key, first.key]);
            assert.deepEqual(
              page.sessions.map((session) => session.expiresAt),
              [epoch + 3, epoch + 2, epoch + 1],
            );
          } finally {
            await destroyAll(store, entries);
          }
        },
      ],
      ...(['created', 'lastUsed'] as const).map((order): [string, CheckBody] => [
        `pages through every live session of a user exactly once, across ties, in order '${order}'`,
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const userId = randomUserId();
          const now = Date.now();
          // 23 sessions, created and expiring four to a millisecond: a page
          // boundary falls inside a tie, so the cursor must break it by key.
          const entries = Array.from({ length: 23 }, (_, index) =>
            entry({
              userId,
              createdAt: now - 1000 + Math.floor(index / 4),
              expiresAt: now + 30 * MINUTE + Math.floor(index / 4),
            }),
          );
          await createAll(store, entries);
          await store.create(randomKey(), expiredRecord({}, { userId }));
          await store.create(randomKey(), { ...entries[0]!.record, userId: randomUserId() });
          await store.create(randomKey(), { ...entries[0]!.record, userId: null });

          const { pages, sessions } = await pageAll(store, { limit: 5, order, userId });

          assertNoRepeats(keysOf(sessions));
          assert.deepEqual(keysOf(sessions), expectedOrder(entries, order));
          assert.deepEqual(
            pages.map((page) => page.length),
            [5, 5, 5, 5, 3],
          );
          for (const session of sessions) assert.equal(session.userId, userId);
        },
      ]),
      ...(['created', 'lastUsed'] as const).map((order): [string, CheckBody] => [
        `pages through the whole store with every session listed once, in order '${order}'`,
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const epoch = futureEpoch();
          // The newest of the store, three to a millisecond.
          const entries = Array.from({ length: 12 }, (_, index) => {
            const time = epoch + Math.floor(index / 3);
            return entry(
              order === 'created'
                ? { createdAt: time, expiresAt: Date.now() + 30 * MINUTE }
                : { createdAt: Date.now(), expiresAt: time },
            );
          });
          try {
            await createAll(store, entries);

            // Pages of 5 through ours (ties across page ends), then larger ones through the rest.
            const { sessions } = await pageAll(store, { limit: 5, order }, 200);

            // Other checks' sessions may expire during the walk; none may repeat or be out of order.
            assertNoRepeats(keysOf(sessions));
            assertListingOrder(sessions, order);
            assert.deepEqual(
              keysOf(sessions.slice(0, entries.length)),
              expectedOrder(entries, order),
            );
          } finally {
            await destroyAll(store, entries);
          }
        },
      ]),
      [
        'answers nextCursor null on the last page; after an exactly full last page, an empty page with null',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const userId = randomUserId();
          const now = Date.now();
          const entries = Array.from({ length: 4 }, (_, index) =>
            entry({ userId, createdAt: now - index }),
          );
          await createAll(store, entries);

          const partial = await store.pageSessions({ limit: 5, userId });
          const full = await store.pageSessions({ limit: 4, userId });

          assert.equal(partial.sessions.length, 4);
          assert.equal(
            partial.nextCursor,
            null,
            'a page with fewer than limit sessions is the last',
          );
          assert.deepEqual(keysOf(full.sessions), expectedOrder(entries, 'created'));
          if (full.nextCursor !== null) {
            const after = await store.pageSessions({ limit: 4, userId, cursor: full.nextCursor });
            assert.deepEqual(after, { sessions: [], nextCursor: null });
          }
          assert.deepEqual(await store.pageSessions({ limit: 10, userId: randomUserId() }), {
            sessions: [],
            nextCursor: null,
          });
        },
      ],
      [
        'continues after the position of the cursor: a session created meanwhile with a newer time is not on the next page, a destroyed one does not break it',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const userId = randomUserId();
          const now = Date.now();
          const entries = Array.from({ length: 6 }, (_, index) =>
            entry({ userId, createdAt: now - 100 - index }),
          );
          await createAll(store, entries);
          const expected = expectedOrder(entries, 'created');

          const first = await store.pageSessions({ limit: 3, userId });
          assert.deepEqual(keysOf(first.sessions), expected.slice(0, 3));
          assert.ok(first.nextCursor !== null, 'a full page has a nextCursor');
          const newcomer = entry({ userId, createdAt: now });
          await createAll(store, [newcomer]);
          // The last session of the first page, which the cursor points after.
          await store.destroy(expected[2]!);
          const second = await store.pageSessions({ limit: 3, userId, cursor: first.nextCursor });

          assert.deepEqual(keysOf(second.sessions), expected.slice(3));
          const restart = await store.pageSessions({ limit: 1, userId });
          assert.deepEqual(keysOf(restart.sessions), [newcomer.key], 'a first page shows it');
        },
      ],
      [
        'lists only the live sessions of `userId`: not expired ones, not anonymous ones, not other users’',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const userId = randomUserId();
          const now = Date.now();
          const mine = [
            entry({ userId, createdAt: now - 2 }),
            entry({ userId, createdAt: now - 1 }),
          ];
          await createAll(store, mine);
          await store.create(randomKey(), expiredRecord({}, { userId, createdAt: now }));
          await store.create(randomKey(), expiredRecord({}, { userId, createdAt: now - 3 }));
          await createAll(store, [
            entry({ userId: randomUserId(), createdAt: now }),
            entry({ userId: null, createdAt: now }),
          ]);

          for (const order of ['created', 'lastUsed'] as const) {
            const page = await store.pageSessions({ limit: 10, order, userId });
            assert.deepEqual(keysOf(page.sessions), expectedOrder(mine, order));
            assert.equal(page.nextCursor, null);
          }
        },
      ],
      [
        'never lists an expired session, even the newest of the store',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const epoch = futureEpoch();
          const expired = [
            { key: randomKey(), record: expiredRecord({}, { createdAt: epoch + 5 }) },
            { key: randomKey(), record: expiredRecord({}, { createdAt: epoch + 6 }) },
          ];
          const live = entry({ createdAt: epoch + 1 });
          const entries = [...expired, live];
          try {
            await createAll(store, entries);

            const page = await store.pageSessions({ limit: 1 });

            assert.deepEqual(keysOf(page.sessions), [live.key]);
          } finally {
            await destroyAll(store, entries);
          }
        },
      ],
      ...INVALID_PAGE_OPTIONS.map(([label, options, message]): [string, CheckBody] => [
        `refuses ${label} with a TypeError or RangeError naming the option`,
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          await assertRefused(() => store.pageSessions?.(options as PageSessionsOptions), message);
        },
      ]),
      [
        'refuses the cursor of the other order, naming the option',
        async (store) => {
          if (store.pageSessions === undefined) return lacks('pageSessions');
          const userId = randomUserId();
          const now = Date.now();
          await createAll(store, [
            entry({ userId, createdAt: now - 1 }),
            entry({ userId, createdAt: now }),
          ]);
          const byCreation = await store.pageSessions({ limit: 1, userId });
          const byUse = await store.pageSessions({ limit: 1, userId, order: 'lastUsed' });
          assert.ok(byCreation.nextCursor !== null && byUse.nextCursor !== null);

          await assertRefused(
            () =>
              store.pageSessions?.({
                limit: 1,
                userId,
                order: 'lastUsed',
                cursor: byCreation.nextCursor ?? '',
              }),
            /"cursor"/,
          );
          await assertRefused(
            () => store.pageSessions?.({ limit: 1, userId, cursor: byUse.nextCursor ?? '' }),
            /"cursor"/,
          );
        },
      ],
    ]),

    ...group('store.countSessions()', [
      [
        'counts the live sessions of one user',
        async (store) => {
          if (store.countSessions === undefined) return lacks('countSessions');
          const userId = randomUserId();
          const now = Date.now();
          await createAll(store, [
            entry({ userId, createdAt: now }),
            entry({ userId, createdAt: now }),
            entry({ userId, createdAt: now - 1 }),
            entry({ userId: randomUserId(), createdAt: now }),
            entry({ userId: null, createdAt: now }),
          ]);
          await store.create(randomKey(), expiredRecord({}, { userId }));

          assert.equal(await store.countSessions({ userId }), 3);
          assert.equal(await store.countSessions({ userId: randomUserId() }), 0);
        },
      ],
      [
        'counts every live session, anonymous ones included, and no expired one',
        async (store) => {
          if (store.countSessions === undefined) return lacks('countSessions');
          const count = store.countSessions.bind(store);
          // Other checks' sessions may expire meanwhile, which only lowers the
          // count: try again until a difference is taken with none expiring.
          const differences: number[] = [];
          for (let attempt = 0; attempt < 3; attempt += 1) {
            const before = await count();
            await createAll(store, [
              entry({ createdAt: Date.now() }),
              entry({ createdAt: Date.now(), userId: randomUserId() }),
            ]);
            await store.create(randomKey(), expiredRecord({}));
            const after = await count({});
            differences.push(after - before);
            assert.ok(
              after - before <= 2,
              `the count grew by ${after - before} after creating 2 live sessions and 1 expired`,
            );
            if (after - before === 2) return undefined;
          }
          assert.fail(
            `the count grew by ${differences.join(', ')} after creating 2 live sessions each time`,
          );
        },
      ],
      [
        'refuses an unknown option or a userId that is not a string, naming it',
        async (store) => {
          if (store.countSessions === undefined) return lacks('countSessions');
          const count = store.countSessions.bind(store);
          await assertRefused(() => count({ user: 'alice' } as never), /unknown option "user"/);
          await assertRefused(() => count({ userId: 42 } as never), /"userId"/);
        },
      ],
    ]),

    ...group('store.describeSessions()', [
      [
        'counts live sessions and users, sessions created and expiring per hour and sizes',
        async (store) => {
          if (store.describeSessions === undefined) return lacks('describeSessions');
          const describe = store.describeSessions.bind(store);
          const options = { hours: 24, topUsers: 100 };
          // Other checks' sessions may expire between the two overviews, which
          // only lowers the figures: try again until the live count grew by
          // exactly ours, then every difference must be ours.
          let failure: string | undefined;
          for (let attempt = 0; attempt < 3; attempt += 1) {
            const before = await describe(options);
            assertOverviewShape(before, options);
            const now = Date.now();
            const base = hourOf(now);
            const [alice, bob] = [randomUserId(), randomUserId()];
            // Well inside hours 3 and 2 before this one and 4 and 5 after it,
            // where no other check writes, so a new hour starting meanwhile moves nothing.
            const created = [base - 3 * HOUR, base - 3 * HOUR, base - 2 * HOUR].map(
              (hour) => hour + 30 * MINUTE,
            );
            const expiring = [base + 4 * HOUR, base + 5 * HOUR, base + 5 * HOUR].map(
              (hour) => hour + 30 * MINUTE,
            );
            const data = { pad: 'x'.repeat(2000) };
            const entries = [
              entry({ userId: alice, createdAt: created[0]!, expiresAt: expiring[0]!, data }),
              entry({ userId: alice, createdAt: created[1]!, expiresAt: expiring[1]!, data }),
              entry({ userId: bob, createdAt: created[2]!, expiresAt: expiring[2]!, data }),
            ];
            await createAll(store, entries);
            await store.create(
              randomKey(),
              expiredRecord(data, { userId: randomUserId(), createdAt: created[0]! }),
            );
            const after = await describe(options);
            assertOverviewShape(after, options);
            await destroyAll(store, entries);

            assert.ok(after.at >= before.at, '`at` is the time of the figures');
            const grew = after.live - before.live;
            assert.ok(
              grew <= 3,
              `live grew by ${grew} after creating 3 live sessions and 1 expired`,
            );
            if (grew !== 3) {
              failure = `live grew by ${grew} after creating 3 live sessions`;
              continue;
            }
            assert.equal(
              after.users - before.users,
              2,
              'users counts distinct users with a live session',
            );
            const differenceAt = (
              chart: 'createdPerHour' | 'expiringPerHour',
              hour: number,
            ): number =>
              (countsByHour(after[chart]).get(hour) ?? 0) -
              (countsByHour(before[chart]).get(hour) ?? 0);
            assert.equal(
              differenceAt('createdPerHour', hourOf(created[0]!)),
              2,
              'created 3 hours ago',
            );
            assert.equal(
              differenceAt('createdPerHour', hourOf(created[2]!)),
              1,
              'created 2 hours ago',
            );
            assert.equal(
              differenceAt('expiringPerHour', hourOf(expiring[0]!)),
              1,
              'expiring in 4 hours',
            );
            assert.equal(
              differenceAt('expiringPerHour', hourOf(expiring[1]!)),
              2,
              'expiring in 5 hours',
            );
            if (before.sizesMeasured === before.live && after.sizesMeasured === after.live) {
              // ~2 KB of JSON: the bucket up to 4096 bytes.
              const bucket = SESSION_SIZE_BUCKETS.indexOf(4096);
              assert.equal(
                after.sizes[bucket]!.sessions - before.sizes[bucket]!.sessions,
                3,
                'three sessions of about 2 KB in the bucket up to 4096 bytes',
              );
            }
            const top = new Map(after.topUsers.map((user) => [user.userId, user.sessions]));
            assert.equal(top.get(alice), 2, 'alice has 2 sessions');
            assert.equal(top.get(bob), 1, 'bob has 1 session');
            return undefined;
          }
          assert.fail(failure);
        },
      ],
      [
        'lists the users with the most sessions first, ties by user id, at most `topUsers`',
        async (store) => {
          if (store.describeSessions === undefined) return lacks('describeSessions');
          const now = Date.now();
          // A shared prefix, so that they tie-break in this order: a < b < c.
          const prefix = randomUserId();
          const [a, b, c] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
          const entries = [
            ...Array.from({ length: 3 }, () => entry({ userId: c, createdAt: now })),
            ...Array.from({ length: 2 }, () => entry({ userId: b, createdAt: now })),
            ...Array.from({ length: 2 }, () => entry({ userId: a, createdAt: now })),
          ];
          try {
            await createAll(store, entries);

            const overview = await store.describeSessions({ hours: 1, topUsers: 100 });
            const one = await store.describeSessions({ hours: 1, topUsers: 1 });

            assertOverviewShape(overview, { hours: 1, topUsers: 100 });
            const ours = overview.topUsers.filter((user) => user.userId.startsWith(prefix));
            assert.deepEqual(ours, [
              { userId: c, sessions: 3 },
              { userId: a, sessions: 2 },
              { userId: b, sessions: 2 },
            ]);
            assert.equal(one.topUsers.length, 1);
          } finally {
            await destroyAll(store, entries);
          }
        },
      ],
      ...(
        [
          ['hours 0', { hours: 0, topUsers: 10 }, /"hours"/],
          ['hours 745', { hours: 24 * 31 + 1, topUsers: 10 }, /"hours"/],
          ['hours 1.5', { hours: 1.5, topUsers: 10 }, /"hours"/],
          ['topUsers 0', { hours: 24, topUsers: 0 }, /"topUsers"/],
          ['topUsers 101', { hours: 24, topUsers: 101 }, /"topUsers"/],
          ['an unknown option', { hours: 24, topUsers: 10, days: 3 }, /unknown option "days"/],
        ] as const
      ).map(([label, options, message]): [string, CheckBody] => [
        `refuses ${label}, naming the option`,
        async (store) => {
          if (store.describeSessions === undefined) return lacks('describeSessions');
          await assertRefused(
            () => store.describeSessions?.(options as unknown as DescribeSessionsOptions),
            message,
          );
        },
      ]),
    ]),
  ];
}
