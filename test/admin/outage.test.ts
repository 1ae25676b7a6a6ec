/**
 * The admin when its store is down: every page answers 503 with Retry-After
 * (as the adapters answer a store outage), naming no secret and never
 * crashing; and it answers again by itself once the store is back. The
 * outage is a real Redis behind a local proxy (port 0) that first drops every
 * connection, then forwards them.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../src/admin/index.js';
import { createSessionManager } from '../../src/core/index.js';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';

const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

describe('the admin during a store outage', () => {
  let proxy: Server;
  let forwarding = false;
  const sockets = new Set<Socket>();
  let store: RedisStore;
  let admin: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    proxy = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      if (!forwarding) {
        client.destroy();
        return;
      }
      const upstream = connect(Number(REDIS_URL.port || 6379), REDIS_URL.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      prefix: `tessera-admin-outage-${process.pid}:`,
      connectTimeout: 500,
      commandTimeout: 500,
      onError: () => {},
    });
    admin = createAdminHandler({
      manager: createSessionManager({ store }),
      authorize: () => true,
    });
  });

  afterAll(async () => {
    await store.close().catch(() => {});
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('answers 503 with Retry-After on every page while the store is unreachable', async () => {
    for (const path of ['/', '/sessions', `/session?key=${'a'.repeat(64)}`]) {
      const response = await admin(new Request(`http://admin.test${path}`));
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.text()).toContain('The store failed');
    }
  });

  it('answers again by itself once the store is back', async () => {
    forwarding = true;
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      status = (await admin(new Request('http://admin.test/sessions'))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });
});
