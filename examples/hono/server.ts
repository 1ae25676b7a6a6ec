/**
 * Starts the example on whichever runtime runs this file:
 *
 * ```sh
 * node server.ts                 # Node ≥ 22.18 (type stripping)
 * bun run server.ts
 * deno run --node-modules-dir=manual --no-lock --allow-net --allow-env server.ts
 * ```
 *
 * Environment: `PORT` (3000), `HOST` (127.0.0.1), `STORE` (memory | redis),
 * `REDIS_URL`, `REDIS_PREFIX`. SIGTERM and SIGINT stop the server and close
 * the store.
 *
 * @module
 */
import { createApp } from './app.ts';
import { describeRuntime, serveOnRuntime } from './serve.ts';
import { openStore } from './store.ts';

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const store = await openStore(process.env);
const { app, close } = createApp({ store, runtime: describeRuntime() });
const server = await serveOnRuntime(app.fetch, { port, hostname });
console.log(
  `Listening on http://${hostname}:${port} (${server.runtime}, ${process.env.STORE ?? 'memory'} store)`,
);

async function shutDown(): Promise<void> {
  await server.close();
  await close();
  process.exit(0);
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
