/** Fastify with no session plugin: the baseline for the Fastify competitors. */
import { startFastifyBenchServer } from './fastify-app.js';

await startFastifyBenchServer({ counter: { hit: () => 0, read: () => 0 } });
