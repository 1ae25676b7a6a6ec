/**
 * The private Redis and PostgreSQL servers recognise a taken port from the
 * real programs' own words: a restart on the port a server had, after another
 * process took it, fails saying so (and then nothing of ours answers there).
 */
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { PortTakenError } from './ports.js';
import {
  type PrivatePostgres,
  privatePostgresAvailability,
  startPrivatePostgres,
} from './private-postgres.js';
import { findRedisBinaries, type PrivateRedisServer, startPrivateRedis } from './private-redis.js';
import { describeWithServer } from './servers.js';

const redisBinaries = findRedisBinaries();
const foreigners: Server[] = [];

afterEach(async () => {
  for (const server of foreigners.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Another process's server taking `port`. */
async function occupy(port: number): Promise<void> {
  const server = createServer((socket) => socket.destroy());
  foreigners.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

describeWithServer(
  {
    name: 'redis-server',
    url: '',
    available: redisBinaries.available,
    reason: redisBinaries.reason,
  },
  'a private redis-server',
  () => {
    let redis: PrivateRedisServer;
    beforeAll(async () => {
      redis = await startPrivateRedis({ password: 'private-secret' });
    });
    afterAll(() => redis?.remove());

    it('restarts on its port, and says so when another process took the port meanwhile', async () => {
      await redis.stop();
      await occupy(redis.port);

      const restart = redis.start();

      await expect(restart).rejects.toBeInstanceOf(PortTakenError);
      await expect(restart).rejects.toThrow(
        new RegExp(`redis-server could not bind port ${redis.port}: .*Address already in use`, 's'),
      );
      expect(redis.running).toBe(false);

      await new Promise((resolve) => foreigners.pop()?.close(resolve));
      await redis.start();
      expect(redis.running).toBe(true);
    });
  },
);

describeWithServer(privatePostgresAvailability(), 'a private PostgreSQL cluster', () => {
  let cluster: PrivatePostgres;
  beforeAll(async () => {
    cluster = await startPrivatePostgres();
  });
  afterAll(() => cluster?.remove());

  it('restarts on its port, and says so when another process took the port meanwhile', async () => {
    await cluster.stop();
    await occupy(cluster.port);

    const restart = cluster.start();

    await expect(restart).rejects.toBeInstanceOf(PortTakenError);
    await expect(restart).rejects.toThrow(
      new RegExp(`PostgreSQL could not bind port ${cluster.port}: .*Address already in use`, 's'),
    );

    await new Promise((resolve) => foreigners.pop()?.close(resolve));
    await cluster.start();
  });
});
