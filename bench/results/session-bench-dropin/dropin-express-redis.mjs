// Tessera's express-session drop-in (TESSERA_DIR) on Tessera's Redis store, against the
// local redis-server the driver starts. Own key prefix per start, keys deleted on close.
import { REDIS_URL } from '../lib/contract.mjs';
import { importTessera } from '../lib/tessera.mjs';
import { startDropIn } from './_tessera-dropin.mjs';

export const meta = {
  framework: 'express',
  baseline: false,
  session: true,
  packages: ['express'],
  requires: ['tessera', 'redis'],
  description:
    'tessera-session/express-session (TESSERA_DIR), createRedisStore({ url, prefix }) on the local redis-server',
};

export async function start(port) {
  const { createRedisStore } = await importTessera('stores/redis');
  const prefix = `dropin-bench:${process.pid}:${Date.now()}:`;
  const store = createRedisStore({ url: REDIS_URL, prefix });
  await store.ready();
  return startDropIn(port, store, async () => {
    for await (const keys of store.client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length) await store.client.del(keys);
    }
    await store.close();
  });
}
