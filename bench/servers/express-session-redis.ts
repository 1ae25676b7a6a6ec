/** express-session with connect-redis 9 on node-redis, the peer most apps scale out with. */
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { createClient } from 'redis';
import { startBenchServer } from './express-app.js';
import { expressSessionCounter, expressSessionOptions } from './express-session-counter.js';

const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
client.on('error', () => {});
await client.connect();
const prefix = `${process.env.BENCH_PREFIX ?? 'tessera-bench'}:express-session:`;

startBenchServer({
  middleware: [session({ ...expressSessionOptions, store: new RedisStore({ client, prefix }) })],
  counter: expressSessionCounter,
  close: async () => {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  },
});
