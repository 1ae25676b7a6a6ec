/**
 * Measures one competitor's server CPU per request in-process, with no network:
 * requests are injected into the Express app (light-my-request), so the figure
 * is the server's own work, free of socket and load-generator noise.
 *
 * Usage (compiled): node in-process-worker.js <competitor> <route> <requests>
 * Prints one JSON line: { competitor, route, requests, cpuUsPerRequest }.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import inject from 'light-my-request';
import { captureNextApp } from './servers/express-app.js';

const [competitor, route, countText] = process.argv.slice(2);
if (!competitor || !route || !countText)
  throw new Error('usage: in-process-worker <competitor> <route> <requests>');
const requests = Number(countText);
const dir = mkdtempSync(join(tmpdir(), 'tessera-inproc-'));
process.env.SQLITE_PATH = join(dir, 'express-session.db');
process.chdir(dir);

const captured = captureNextApp();
await import(`./servers/${competitor}.js`);
const app = await captured;
type Dispatch = Parameters<typeof inject>[0];

async function get(
  url: string,
  cookie?: string,
): Promise<{ status: number; setCookie: string | undefined }> {
  const response = await inject(app as unknown as Dispatch, {
    url,
    headers: cookie ? { cookie } : {},
  });
  const header = response.headers['set-cookie'];
  return { status: response.statusCode, setCookie: Array.isArray(header) ? header[0] : header };
}

// 1000 sessions, as the HTTP benchmark; a bare app gets fake cookies of the same shape.
const cookies: string[] = [];
for (let i = 0; i < 1000; i++) {
  const created = await get('/hit');
  cookies.push(created.setCookie?.split(';')[0] ?? `sessionid=${'x'.repeat(31)}${i % 10}`);
}
const run = async (count: number): Promise<void> => {
  for (let i = 0; i < count; i++) {
    const { status } = await get(`/${route}`, cookies[i % cookies.length]);
    if (status !== 200) throw new Error(`${competitor} /${route} answered ${status}`);
  }
};
await run(Math.min(requests, 5000)); // warm-up: let the JIT settle
const before = process.cpuUsage();
await run(requests);
const used = process.cpuUsage(before);
process.stdout.write(
  `${JSON.stringify({ competitor, route, requests, cpuUsPerRequest: (used.user + used.system) / requests })}\n`,
);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
