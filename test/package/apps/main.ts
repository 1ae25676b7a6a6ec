/**
 * Starts every framework's app (one process per module flavour), prints one
 * JSON line `{ "<framework>": { "port": n } | { "error": "…" } }`, and when
 * stdin ends closes them all and lets the process end by itself: a handle left
 * open keeps it alive, which the checker reports.
 */
import { startExpress } from './express.js';
import { startFastify } from './fastify.js';
import { startHono } from './hono.js';
import { startKoa } from './koa.js';
import type { RunningApp } from './listen.js';
import { startNodeHttp } from './node-http.js';

const apps: Record<string, () => Promise<RunningApp>> = {
  express: startExpress,
  fastify: startFastify,
  koa: startKoa,
  hono: startHono,
  'node-http': startNodeHttp,
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
