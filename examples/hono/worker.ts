/**
 * The example as a Cloudflare Worker (`wrangler dev`), on the memory store.
 *
 * The memory store lives in one isolate: enough for `wrangler dev`, which runs
 * one, but not for production, where Cloudflare runs many isolates and evicts
 * them at will (sessions would vanish). Redis through node-redis needs TCP
 * sockets the example does not try on Workers; see docs/runtimes.md.
 *
 * @module
 */

import { createMemoryStore } from 'tessera-session/stores/memory';
import { createApp } from './app.ts';

const { app } = createApp({ store: createMemoryStore(), runtime: 'Workers (workerd)' });

export default app;
