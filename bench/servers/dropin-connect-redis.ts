/**
 * The express-session drop-in on connect-redis 9 (node-redis), the very store
 * `express-session-redis` uses: an app that switched its import and kept its
 * store. The keys are removed on shutdown.
 */
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { startDropInServer } from './dropin-express.js';

const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
client.on('error', () => {});
await client.connect();
const prefix = `${process.env.BENCH_PREFIX ?? 'tessera-bench'}:dropin-connect-redis:`;

startDropInServer(new RedisStore({ client, prefix }), async () => {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
});
