/**
 * Benchmark settings, read once from the environment.
 *
 * BENCH_DURATION  seconds per measurement (default 5)
 * BENCH_ROUNDS    interleaved rounds (default 3)
 * BENCH_ONLY      comma-separated competitor names (baselines are added automatically)
 * BENCH_ROUTES    comma-separated routes, e.g. `hit,read` (default: hit,read,plain)
 *
 * or from flags, which take precedence: `npm run bench -- --only a,b --rounds 2
 * --duration 3 --routes hit` (also `--only=a,b`).
 */

export const ROUTES = ['hit', 'read', 'plain'] as const;
export type Route = (typeof ROUTES)[number];

export interface BenchConfig {
  durationSec: number;
  rounds: number;
  connections: number;
  sessions: number;
  warmupSec: number;
  /** Cookies sampled for the counter check after each /hit measurement. */
  counterSample: number;
  routes: Route[];
  only: string[] | null;
}

/** The flags `npm run bench -- …` takes, each the same as its variable. */
const FLAGS: Readonly<Record<string, string>> = Object.freeze({
  '--only': 'BENCH_ONLY',
  '--routes': 'BENCH_ROUTES',
  '--rounds': 'BENCH_ROUNDS',
  '--duration': 'BENCH_DURATION',
});

export function readConfig(
  environment: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
): BenchConfig {
  const env = { ...environment, ...readFlags(argv) };
  return {
    durationSec: positiveNumber(env.BENCH_DURATION, 5, 'BENCH_DURATION'),
    rounds: positiveInteger(env.BENCH_ROUNDS, 3, 'BENCH_ROUNDS'),
    connections: 50,
    sessions: 1000,
    warmupSec: 1,
    counterSample: 20,
    routes: readRoutes(env.BENCH_ROUTES),
    only: list(env.BENCH_ONLY),
  };
}

/** `--only a,b` or `--only=a,b` … as the variables they stand for; anything else throws. */
function readFlags(argv: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const variable = FLAGS[flag];
    if (variable === undefined) {
      throw new Error(`unknown argument "${argv[i]}" (flags: ${Object.keys(FLAGS).join(', ')})`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values[variable] = value;
  }
  return values;
}

function list(value: string | undefined): string[] | null {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length === 0 ? null : items;
}

function readRoutes(value: string | undefined): Route[] {
  const names = list(value);
  if (names === null) return [...ROUTES];
  return names.map((name) => {
    const route = name.replace(/^\//, '');
    if (!(ROUTES as readonly string[]).includes(route)) {
      throw new Error(`BENCH_ROUTES: unknown route "${name}" (known: ${ROUTES.join(', ')})`);
    }
    return route as Route;
  });
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${name} must be a positive number, got "${value}"`);
  }
  return parsed;
}

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  const parsed = positiveNumber(value, fallback, name);
  if (!Number.isInteger(parsed)) throw new Error(`${name} must be an integer, got "${value}"`);
  return parsed;
}
