// Tessera's express-session drop-in (TESSERA_DIR) on connect-redis + node-redis, the store
// express-session-redis uses: an app that switched its import and kept its store.
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { REDIS_URL } from '../lib/contract.mjs';
import { startDropIn } from './_tessera-dropin.mjs';

export const meta = {
  framework: 'express',
  baseline: false,
  session: true,
  packages: ['express', 'connect-redis', 'redis'],
  requires: ['tessera', 'redis'],
  description:
    'tessera-session/express-session (TESSERA_DIR) + connect-redis (node-redis client), local redis-server',
};

export async function start(port) {
  const client = createClient({ url: REDIS_URL });
  client.on('error', (err) => {
    console.error('redis client error:', err.message);
  });
  await client.connect();
  const prefix = `dropin-sess:${process.pid}:${Date.now()}:`;
  return startDropIn(port, new RedisStore({ client, prefix }), async () => {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length) await client.del(keys);
    }
    await client.close();
  });
}
