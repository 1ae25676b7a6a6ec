/**
 * The Redis store given an ioredis `Cluster` (issue 12 §2), on a private
 * Redis Cluster of three masters: the conformance suite, and the parts that
 * span masters (one user's sessions, the two-step rotation, SCAN), shared
 * with node-redis's cluster in `redis-cluster-specs.ts`.
 */
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/errors.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import {
  findRedisBinaries,
  type PrivateRedisCluster,
  startPrivateRedisCluster,
} from '../helpers/private-redis.js';
import { describeWithServer } from '../helpers/servers.js';
import { describeStoreConformance } from './conformance.js';
import { describeSpecsAcrossMasters, masterPortIn } from './redis-cluster-specs.js';

const binaries = findRedisBinaries();

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
      return masterPortIn(await probe.call('CLUSTER', ['SLOTS']), slot);
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

      describeSpecsAcrossMasters({
        store: () => store,
        openStore: (prefix) => createRedisStore({ client: openCluster(), prefix }),
        masterPortOf,
        masterCount: () => cluster.nodes.length,
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
