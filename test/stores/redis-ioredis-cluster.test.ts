/**
 * The Redis store given an ioredis `Cluster` (issue 12 §2), on a private
 * Redis Cluster of three masters: the conformance suite, and the parts that
 * span masters (one user's sessions, the two-step rotation, SCAN).
 */
import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionRecord, StoredData } from '../../src/core/store.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import {
  findRedisBinaries,
  type PrivateRedisCluster,
  startPrivateRedisCluster,
} from '../helpers/private-redis.js';
import { describeWithServer } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';

const binaries = findRedisBinaries();
const MINUTE = 60_000;

function randomKey(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: StoredData = {}, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store through an ioredis Cluster of 3 masters',
  () => {
    let cluster: PrivateRedisCluster;
    /** A plain connection to one node, for CLUSTER KEYSLOT / CLUSTER SLOTS. */
    let probe: Redis;
    const clients: Cluster[] = [];

    /** An ioredis Cluster of the private cluster, connected on first use. */
    function openCluster(): Cluster {
      const client = new Cluster(
        cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
        { lazyConnect: true },
      );
      clients.push(client);
      return client;
    }

    beforeAll(async () => {
      cluster = await startPrivateRedisCluster(3);
      probe = new Redis(cluster.nodes[0]?.port ?? 0, '127.0.0.1');
    });

    afterAll(async () => {
      for (const client of clients) client.disconnect();
      probe?.disconnect();
      await cluster?.remove();
    });

    /** The port of the master serving the slot of `key`. */
    async function masterPortOf(key: string): Promise<number> {
      const slot = Number(await probe.call('CLUSTER', ['KEYSLOT', key]));
      const ranges = (await probe.call('CLUSTER', ['SLOTS'])) as [
        number,
        number,
        [string, number, ...unknown[]],
      ][];
      const range = ranges.find(([from, to]) => from <= slot && slot <= to);
      if (range === undefined) throw new Error(`no master serves slot ${slot}`);
      return Number(range[2][1]);
    }

    /** One store key per master, so a test's sessions surely live on different nodes. */
    async function keysOnEveryMaster(): Promise<string[]> {
      const byPort = new Map<number, string>();
      while (byPort.size < cluster.nodes.length) {
        const key = randomKey();
        const port = await masterPortOf(key);
        if (!byPort.has(port)) byPort.set(port, key);
      }
      return [...byPort.values()];
    }

    describeStoreConformance('redis (ioredis cluster)', async () => {
      const store = createRedisStore({ client: openCluster(), prefix: 'conformance:' });
      await store.ready();
      return { store, expiresOnItsOwn: true, cleanup: () => store.close() };
    });

    describe('createRedisStore({ client: new Cluster() })', () => {
      let store: RedisStore<Cluster>;

      beforeAll(async () => {
        store = createRedisStore({ client: openCluster(), prefix: 'specific:' });
        await store.ready();
      });

      afterAll(async () => {
        await store?.close();
      });

      it('lists and destroys one user’s sessions living on different masters', async () => {
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
      });

      it('rotates a session to a key on another master, and refuses once a logout came first', async () => {
        const userId = `user-${randomKey()}`;
        const [oldKey, newKey, lateKey] = (await keysOnEveryMaster()) as [string, string, string];
        expect(await masterPortOf(oldKey)).not.toBe(await masterPortOf(newKey));
        await store.create(oldKey, liveRecord({ step: 'browse' }));

        expect(await store.rotate(oldKey, newKey, liveRecord({ step: 'login' }, { userId }))).toBe(
          true,
        );
        expect(await store.read(oldKey)).toBeNull();
        expect((await store.read(newKey))?.data).toEqual({ step: 'login' });
        expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([
          newKey,
        ]);

        // Issue 10: a logout, then a slow request's rotation; the new record it wrote first is removed.
        await store.destroy(newKey);
        expect(await store.rotate(newKey, lateKey, liveRecord({ step: 'late' }, { userId }))).toBe(
          false,
        );
        expect(await store.read(lateKey)).toBeNull();
        expect(await store.listUserSessions(userId)).toEqual([]);
      });

      it('counts, lists and clears sessions on every master', async () => {
        const counted = createRedisStore({
          client: openCluster(),
          prefix: `stats-${randomBytes(4).toString('hex')}:`,
        });
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
        await counted.close();
      });

      it('ready() says to give a cluster client when a plain client points at a cluster node', async () => {
        const plain = new Redis(cluster.nodes[0]?.port ?? 0, '127.0.0.1', { lazyConnect: true });
        const store = createRedisStore({ client: plain });

        const failure = await store.ready().catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(SessionConfigError);
        expect((failure as Error).message).toMatch(/is a node of a Redis Cluster.*new Cluster\(\)/);
        await store.close();
        plain.disconnect();
      });
    });
  },
);
