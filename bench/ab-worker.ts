/**
 * A/B in one process: two competitors' Express apps take turns on the same
 * route (light-my-request injection, no sockets), 12 rounds each, and the
 * minimum server CPU per request of each is kept. The minimum of alternating
 * runs is the steadiest figure this noisy machine gives for a small difference.
 *
 * Usage (compiled): node ab-worker.js <competitor A> <competitor B> <route> <requests per round>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import inject from 'light-my-request';
import { captureNextApp } from './servers/express-app.js';

type Dispatch = Parameters<typeof inject>[0];
const [first, second, route = 'hit', countText = '3000'] = process.argv.slice(2);
if (!first || !second)
  throw new Error('usage: ab-worker <competitor A> <competitor B> [route] [requests]');
const requests = Number(countText);
const dir = mkdtempSync(join(tmpdir(), 'tessera-ab-'));
process.env.SQLITE_PATH = join(dir, 'express-session.db');
process.chdir(dir);

async function load(
  name: string,
): Promise<{ name: string; app: Dispatch; cookies: string[]; best: number }> {
  const captured = captureNextApp();
  await import(`./servers/${name}.js`);
  const app = (await captured) as unknown as Dispatch;
  const cookies: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const header = (await inject(app, { url: '/hit' })).headers['set-cookie'];
    const setCookie = Array.isArray(header) ? header[0] : header;
    cookies.push(setCookie?.split(';')[0] ?? `sessionid=${'x'.repeat(31)}${i % 10}`);
  }
  return { name, app, cookies, best: Number.POSITIVE_INFINITY };
}

const contenders = [await load(first), await load(second)];
for (let round = 0; round < 12; round++) {
  for (const contender of contenders) {
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      const cookie = contender.cookies[i % contender.cookies.length]!;
      const response = await inject(contender.app, { url: `/${route}`, headers: { cookie } });
      if (response.statusCode !== 200)
        throw new Error(`${contender.name} /${route}: ${response.statusCode}`);
    }
    const used = process.cpuUsage(before);
    contender.best = Math.min(contender.best, (used.user + used.system) / requests);
  }
}
const [a, b] = contenders as [(typeof contenders)[0], (typeof contenders)[0]];
process.stdout.write(
  `/${route}  ${a.name} ${a.best.toFixed(1)} µs  ${b.name} ${b.best.toFixed(1)} µs  difference ${(b.best - a.best).toFixed(1)} µs CPU/req\n`,
);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
