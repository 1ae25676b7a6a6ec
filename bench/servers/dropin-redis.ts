/** The express-session drop-in on Tessera's Redis store (node-redis); the keys are removed on shutdown. */
import { createRedisStore } from '../../src/stores/redis/index.js';
import { startDropInServer } from './dropin-express.js';

const store = createRedisStore({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix: `${process.env.BENCH_PREFIX ?? 'tessera-bench'}:dropin:`,
});
await store.ready();
startDropInServer(store, async () => {
  const raw = store.client as unknown as {
    scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
    del(keys: string[]): Promise<unknown>;
  };
  for await (const keys of raw.scanIterator({ MATCH: `${store.prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await raw.del(keys);
  }
  await store.close();
});
