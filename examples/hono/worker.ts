/**
 * The example as a Cloudflare Worker, on the memory store:
 * `npm run start:workers` (`wrangler dev --local`, workerd from npm).
 *
 * The memory store lives in one isolate: enough for `wrangler dev`, which runs
 * one, but not for production, where Cloudflare runs many isolates and drops
 * them at will, so sessions would vanish. The Redis store does not work here:
 * a node-redis connection opened in one request cannot be used by the next
 * (Workers forbid I/O objects across requests); see docs/runtimes.md.
 *
 * @module
 */
import { createMemoryStore } from 'tessera-session/stores/memory';
import { createApp } from './app.ts';

const { app } = createApp({ store: createMemoryStore(), runtime: 'Workers (workerd)' });

export default app;
