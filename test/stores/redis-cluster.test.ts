import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
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
import { describeSpecsAcrossMasters, masterPortIn } from './redis-cluster-specs.js';
import { liveRecord, randomKey } from './redis-fixtures.js';

const binaries = findRedisBinaries();

type RawClient = ReturnType<typeof createClient>;

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
      return masterPortIn(await probe.sendCommand(['CLUSTER', 'SLOTS']), slot);
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

      describeSpecsAcrossMasters({
        store: () => store,
        openStore: (prefix) =>
          createRedisStore({ cluster: { rootNodes: cluster.rootNodes }, prefix }),
        masterPortOf: async (key) => masterPortOf(await slotOf(key)),
        masterCount: () => cluster.nodes.length,
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
