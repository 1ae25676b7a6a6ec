/**
 * The specs of the Redis store on a Redis Cluster that span its masters, the
 * same whichever driver the store goes through (node-redis `createCluster()`,
 * an ioredis `Cluster`): one user's sessions on several masters, a rotation
 * to a key on another master, counting and clearing on every master. A
 * cluster spec file declares them inside its `describe`:
 *
 * ```ts
 * describeSpecsAcrossMasters({ store: () => store, openStore, masterPortOf, masterCount });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AnyRedisStoreClient, RedisStore } from '../../src/stores/redis/index.js';
import { liveRecord, randomKey } from './redis-fixtures.js';

/** What the specs need of the cluster spec file that declares them. */
export interface SpecsAcrossMastersContext {
  /** The store under test, ready (set by the caller's `beforeAll`). */
  store(): RedisStore<AnyRedisStoreClient>;
  /** A new store of the cluster writing under `prefix`; the spec closes it. */
  openStore(prefix: string): RedisStore<AnyRedisStoreClient>;
  /** The port of the master serving the slot of `key`. */
  masterPortOf(key: string): Promise<number>;
  /** How many masters the cluster has (once started). */
  masterCount(): number;
}

/** The port of the master serving `slot`, read from a `CLUSTER SLOTS` reply. */
export function masterPortIn(slotsReply: unknown, slot: number): number {
  const ranges = slotsReply as [number, number, [string, number, ...unknown[]]][];
  const range = ranges.find(([from, to]) => from <= slot && slot <= to);
  if (range === undefined) throw new Error(`no master serves slot ${slot}`);
  return Number(range[2][1]);
}

/** Declares the specs that span the masters of a Redis Cluster. */
export function describeSpecsAcrossMasters({
  store: storeUnderTest,
  openStore,
  masterPortOf,
  masterCount,
}: SpecsAcrossMastersContext): void {
  /** One store key per master, so a test's sessions surely live on different nodes. */
  async function keysOnEveryMaster(): Promise<string[]> {
    const byPort = new Map<number, string>();
    while (byPort.size < masterCount()) {
      const key = randomKey();
      const port = await masterPortOf(key);
      if (!byPort.has(port)) byPort.set(port, key);
    }
    return [...byPort.values()];
  }

  it('lists and destroys one user’s sessions living on different masters', async () => {
    const store = storeUnderTest();
    const userId = `user-${randomKey()}`;
    const keys = await keysOnEveryMaster();
    for (const [index, key] of keys.entries()) {
      await store.create(key, liveRecord({ device: index }, { userId }));
    }
    const [current, ...others] = keys as [string, ...string[]];

    const listed = await store.listUserSessions(userId);
    expect(listed.map((session) => session.key).sort()).toEqual([...keys].sort());

    expect(await store.destroyUserSessions(userId, { exceptKey: current })).toBe(others.length);

    expect((await store.read(current))?.data).toEqual({ device: 0 });
    for (const key of others) expect(await store.read(key)).toBeNull();
    expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([current]);
  });

  it('rotates a session to a key on another master, and refuses once a logout came first', async () => {
    const store = storeUnderTest();
    const userId = `user-${randomKey()}`;
    const [oldKey, newKey, lateKey] = (await keysOnEveryMaster()) as [string, string, string];
    expect(await masterPortOf(oldKey)).not.toBe(await masterPortOf(newKey));
    await store.create(oldKey, liveRecord({ step: 'browse' }));

    expect(await store.rotate(oldKey, newKey, liveRecord({ step: 'login' }, { userId }))).toBe(
      true,
    );
    expect(await store.read(oldKey)).toBeNull();
    expect((await store.read(newKey))?.data).toEqual({ step: 'login' });
    expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([newKey]);

    // Issue 10: a logout, then a slow request's rotation; the new record it wrote first is removed.
    await store.destroy(newKey);
    expect(await store.rotate(newKey, lateKey, liveRecord({ step: 'late' }, { userId }))).toBe(
      false,
    );
    expect(await store.read(lateKey)).toBeNull();
    expect(await store.listUserSessions(userId)).toEqual([]);
  });

  it('counts, lists and clears sessions on every master', async () => {
    const counted = openStore(`stats-${randomBytes(4).toString('hex')}:`);
    const keys = await keysOnEveryMaster();
    for (const key of keys) await counted.create(key, liveRecord({ n: 1 }));
    const expired = await keysOnEveryMaster();
    for (const key of expired) {
      await counted.create(key, liveRecord({ n: 2 }, { expiresAt: Date.now() - 1 }));
    }

    expect(await counted.stats()).toEqual({
      count: keys.length + expired.length,
      expired: expired.length,
      bytes: keys.length + expired.length,
    });
    expect(
      (await counted.listSessions({ limit: 10 })).map((session) => session.key).sort(),
    ).toEqual([...keys].sort());
    expect(await counted.clearExpired()).toBe(expired.length);
    expect((await counted.stats()).count).toBe(keys.length);
    for (const key of keys) await counted.destroy(key);
    await counted.close();
  });

  it('pages through sessions on every master with the cursor, counts and describes them (issue 13 §2)', async () => {
    const paged = openStore(`paging-${randomBytes(4).toString('hex')}:`);
    const userId = `user-${randomKey()}`;
    const now = Date.now();
    // Two sessions per master, created a second apart, the last ones the user's.
    const keys = [...(await keysOnEveryMaster()), ...(await keysOnEveryMaster())];
    for (const [index, key] of keys.entries()) {
      await paged.create(
        key,
        liveRecord(
          { index },
          {
            createdAt: now - (keys.length - index) * 1_000,
            expiresAt: now + 60_000 + (keys.length - index) * 1_000,
            userId: index >= masterCount() ? userId : null,
          },
        ),
      );
    }
    const pageAll = async (order: 'created' | 'lastUsed', owner?: string) => {
      const listed: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await paged.pageSessions({ limit: 2, order, cursor, userId: owner });
        pages += 1;
        listed.push(...page.sessions.map((session) => session.key));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return { listed, pages };
    };

    const byCreation = await pageAll('created');
    expect(byCreation.listed).toEqual([...keys].reverse());
    expect(byCreation.pages).toBeGreaterThanOrEqual(keys.length / 2);
    expect((await pageAll('lastUsed')).listed).toEqual(keys);
    expect((await pageAll('created', userId)).listed).toEqual(keys.slice(masterCount()).reverse());
    expect(await paged.countSessions()).toBe(keys.length);
    expect(await paged.countSessions({ userId })).toBe(masterCount());
    const overview = await paged.describeSessions({ hours: 1, topUsers: 3 });
    expect(overview).toMatchObject({
      live: keys.length,
      users: 1,
      topUsers: [{ userId, sessions: masterCount() }],
      sizesMeasured: keys.length,
    });
    for (const key of keys) await paged.destroy(key);
    await paged.close();
  });
}
