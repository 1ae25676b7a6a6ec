/**
 * `npm run bench:ab -- [A] [B]`: the CPU a session layer adds per request,
 * A/B in one process (see ab-worker.ts). Defaults: express-bare vs
 * tessera-memory on /hit, /read and /plain.
 */
import { execFileSync } from 'node:child_process';
import { compileBench, compiledFile } from './compile.js';

const [first = 'express-bare', second = 'tessera-memory'] = process.argv.slice(2);
const routes = (process.env.BENCH_ROUTES ?? 'hit,read,plain').split(',');
compileBench();
for (const route of routes) {
  execFileSync(
    process.execPath,
    [compiledFile('ab-worker'), first, second, route, process.env.BENCH_REQUESTS ?? '3000'],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}
