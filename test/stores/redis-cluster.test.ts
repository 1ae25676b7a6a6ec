import { randomBytes } from 'node:crypto';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import type { SessionRecord, StoredData } from '../../src/core/store.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import {
  findRedisBinaries,
  type PrivateRedisCluster,
  type PrivateRedisServer,
  startPrivateRedis,
  startPrivateRedisCluster,
} from '../helpers/private-redis.js';
import { describeWithServer } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';

const binaries = findRedisBinaries();
const MINUTE = 60_000;

type RawClient = ReturnType<typeof createClient>;

function randomKey(): string {
  return randomBytes(32).toString('hex');
}

function liveRecord(data: StoredData = {}, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

describeWithServer(
  { name: 'redis-server', url: '', available: binaries.available, reason: binaries.reason },
  'redis store on a Redis Cluster of 3 masters',
  () => {
    let cluster: PrivateRedisCluster;
    /** A plain connection to one node, for CLUSTER KEYSLOT / CLUSTER SLOTS. */
    let probe: RawClient;

    beforeAll(async () => {
      cluster = await startPrivateRedisCluster(3);
      const [first] = cluster.nodes;
      probe = createClient({ url: first?.url });
      probe.on('error', () => {});
      await probe.connect();
    });

    afterAll(async () => {
      probe?.destroy();
      await cluster?.remove();
    });

    /** The slot Redis Cluster hashes `key` to. */
    async function slotOf(key: string): Promise<number> {
      return Number(await probe.sendCommand(['CLUSTER', 'KEYSLOT', key]));
    }

    /** The port of the master serving `slot`. */
    async function masterPortOf(slot: number): Promise<number> {
      const ranges = (await probe.sendCommand(['CLUSTER', 'SLOTS'])) as [
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
        const port = await masterPortOf(await slotOf(key));
        if (!byPort.has(port)) byPort.set(port, key);
      }
      return [...byPort.values()];
    }

    describeStoreConformance('redis (cluster)', async () => {
      const store = createRedisStore({
        cluster: { rootNodes: cluster.rootNodes },
        prefix: 'conformance:',
      });
      await store.ready();
      return { store, expiresOnItsOwn: true, cleanup: () => store.close() };
    });

    describe('createRedisStore({ cluster })', () => {
      let store: RedisStore;

      beforeAll(async () => {
        store = createRedisStore({
          cluster: { rootNodes: cluster.rootNodes },
          prefix: 'specific:',
        });
        await store.ready();
      });

      afterAll(async () => {
        await store?.close();
      });

      it('keeps a session in the slot of its store key, and an index in that of its user id', async () => {
        const key = randomKey();
        const userId = 'user {with} braces';
        await store.create(key, liveRecord({ a: 1 }, { userId }));

        const encoded = Buffer.from(userId).toString('base64url');
        expect(await slotOf(`specific:s:{${key}}`)).toBe(await slotOf(key));
        expect(await slotOf(`specific:u:{${encoded}}`)).toBe(await slotOf(encoded));
        expect((await store.read(key))?.userId).toBe(userId);
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
        expect((await store.listUserSessions(userId)).map((session) => session.key)).toEqual([
          current,
        ]);
      });

      it('rotates a session to a key on another master, and refuses once a logout came first', async () => {
        const userId = `user-${randomKey()}`;
        const [oldKey, newKey, lateKey] = (await keysOnEveryMaster()) as [string, string, string];
        expect(await masterPortOf(await slotOf(oldKey))).not.toBe(
          await masterPortOf(await slotOf(newKey)),
        );
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

      it('counts and clears sessions on every master', async () => {
        const counted = createRedisStore({
          cluster: { rootNodes: cluster.rootNodes },
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
        expect(await counted.clearExpired()).toBe(expired.length);
        expect((await counted.stats()).count).toBe(keys.length);
        for (const key of keys) await counted.destroy(key);
        await counted.close();
      });

      it('uses a cluster client given as "client", and leaves it open', async () => {
        const client = createCluster({ rootNodes: [...cluster.rootNodes] });
        client.on('error', () => {});
        await client.connect();
        const given = createRedisStore({ client, prefix: 'given:' });
        await given.ready();
        const key = randomKey();

        expect(await given.create(key, liveRecord({ via: 'cluster client' }))).toBe(true);
        expect((await given.read(key))?.data).toEqual({ via: 'cluster client' });
        await given.destroy(key);
        await given.close();

        expect(client.isOpen).toBe(true);
        await client.close();
      });

      it('ready() says to use "cluster" when "url" points at a cluster node', async () => {
        const [node] = cluster.nodes;
        const plain = createRedisStore({ url: node?.url ?? '' });

        const failure = await plain.ready().catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(SessionConfigError);
        expect((failure as Error).message).toMatch(
          /is a node of a Redis Cluster.*option "cluster"/,
        );
        await plain.close();
      });
    });

    describe('createRedisStore({ cluster }) on a server without cluster mode', () => {
      let plainServer: PrivateRedisServer;

      beforeAll(async () => {
        plainServer = await startPrivateRedis();
      });

      afterAll(async () => {
        await plainServer?.remove();
      });

      it('ready() rejects with a SessionConfigError saying it is not a cluster', async () => {
        const store = createRedisStore({ cluster: { rootNodes: [{ url: plainServer.url }] } });

        const failure = await store.ready().catch((error: unknown) => error);

        expect(failure).toBeInstanceOf(SessionConfigError);
        expect((failure as Error).message).toContain(plainServer.url);
        expect((failure as Error).message).toMatch(
          /not a Redis Cluster.*"url" instead of "cluster"/,
        );
        await store.close();
      });
    });
  },
);
