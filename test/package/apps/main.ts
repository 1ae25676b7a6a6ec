/**
 * Starts every framework's app (one process per module flavour), prints one
 * JSON line `{ "<framework>": { "port": n } | { "error": "…" } }`, and when
 * stdin ends closes them all and lets the process end by itself: a handle left
 * open keeps it alive, which the checker reports.
 */
import type { RunningApp } from './listen.js';

// Loaded one by one, so that an entry point that fails to load fails only its framework.
const apps: Record<string, () => Promise<RunningApp>> = {
  express: async () => (await import('./express.js')).startExpress(),
  fastify: async () => (await import('./fastify.js')).startFastify(),
  koa: async () => (await import('./koa.js')).startKoa(),
  hono: async () => (await import('./hono.js')).startHono(),
  'node-http': async () => (await import('./node-http.js')).startNodeHttp(),
};

async function main(): Promise<void> {
  const running: RunningApp[] = [];
  const report: Record<string, { port: number } | { error: string }> = {};
  for (const [name, start] of Object.entries(apps)) {
    try {
      const app = await start();
      running.push(app);
      report[name] = { port: app.port };
    } catch (error) {
      report[name] = {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stdin.on('end', () => {
    Promise.all(running.map((app) => app.close())).catch(fail);
  });
  process.stdin.resume();
}

function fail(error: unknown): void {
  console.error(error);
  process.exitCode = 1;
}

main().catch(fail);
