/**
 * `npm run bench:cpu`: server CPU per request, measured in-process (no network),
 * each competitor in its own process, rounds interleaved. Complements
 * `npm run bench` (throughput over HTTP), whose figures carry socket and
 * load-generator noise: here the difference to bare Express is Tessera's own work.
 */
import { execFileSync } from 'node:child_process';
import { COMPETITORS } from './competitors.js';
import { compileBench, compiledFile } from './compile.js';
import { median } from './summary.js';

const ROUTES = (process.env.BENCH_ROUTES ?? 'hit,read,plain').split(',');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const only = process.env.BENCH_ONLY?.split(',');
const competitors = COMPETITORS.filter((c) => !only || only.includes(c.name));

compileBench();
const samples = new Map<string, number[]>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const route of ROUTES) {
    for (const competitor of competitors) {
      const output = execFileSync(
        process.execPath,
        [compiledFile('in-process-worker'), competitor.name, route, String(REQUESTS)],
        { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
      );
      const { cpuUsPerRequest } = JSON.parse(output.trim().split('\n').pop()!) as {
        cpuUsPerRequest: number;
      };
      const key = `${competitor.name} ${route}`;
      samples.set(key, [...(samples.get(key) ?? []), cpuUsPerRequest]);
      console.log(
        `round ${round}/${ROUNDS}  /${route.padEnd(5)} ${competitor.name.padEnd(24)} ${cpuUsPerRequest.toFixed(1)} µs CPU/req`,
      );
    }
  }
}
console.log('\nroute   competitor               µs CPU/req   over bare');
for (const route of ROUTES) {
  for (const competitor of competitors) {
    const own = median(samples.get(`${competitor.name} ${route}`)!);
    const bare = competitor.baseline
      ? median(samples.get(`${competitor.baseline} ${route}`) ?? [Number.NaN])
      : undefined;
    const over =
      bare === undefined ? '—' : `${own - bare >= 0 ? '+' : ''}${(own - bare).toFixed(1)}`;
    console.log(
      `/${route.padEnd(6)} ${competitor.name.padEnd(24)} ${own.toFixed(1).padStart(10)}   ${over.padStart(9)}`,
    );
  }
}
