/**
 * Benchmark settings, read once from the environment.
 *
 * BENCH_DURATION  seconds per measurement (default 5)
 * BENCH_ROUNDS    interleaved rounds (default 3)
 * BENCH_ONLY      comma-separated competitor names (baselines are added automatically)
 * BENCH_ROUTES    comma-separated routes, e.g. `hit,read` (default: hit,read,plain)
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
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
