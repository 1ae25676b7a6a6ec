/**
 * The competitors: one entry per server in `bench/servers/`.
 *
 * To add one (Redis, PostgreSQL, Fastify, Hono, Koa, node:http, …): write
 * `bench/servers/<name>.ts` following `servers/express-app.ts` (routes /hit,
 * /read, /plain; listen on env PORT; print the ready line), then add an entry
 * here. A new framework also needs its own bare entry, named as the
 * `baseline` of its session competitors, so overhead is measured against the
 * same framework.
 */

/** A name no other run uses, for keys and tables on the shared servers. */
const runPrefix = (tmpDir: string): Record<string, string> => ({
  BENCH_PREFIX: tmpDir.split('/').pop()!.replace(/\W/g, '_'),
});

export interface Competitor {
  /** Unique name; also the server file `servers/<name>.ts`. */
  name: string;
  /** Web framework, for the report. */
  framework: string;
  /** Session library and store, for the report; `null` for a bare server. */
  sessions: { library: string; store: string } | null;
  /**
   * The bare server of the same framework that overhead is computed against;
   * omitted for the bare servers themselves.
   */
  baseline?: string;
  /**
   * The competitor doing the same job with the library being replaced (same
   * framework, same kind of store): the report gives this one's overhead as a
   * share of the peer's. Omitted when there is no such peer.
   */
  peer?: string;
  /** Extra environment for the server process; `tmpDir` is removed after the run. */
  env?: (tmpDir: string) => Record<string, string>;
}

export const COMPETITORS: readonly Competitor[] = [
  { name: 'express-bare', framework: 'express@5', sessions: null },
  {
    name: 'express-session-memory',
    framework: 'express@5',
    sessions: { library: 'express-session', store: 'MemoryStore' },
    baseline: 'express-bare',
  },
  {
    name: 'express-session-sqlite',
    framework: 'express@5',
    sessions: { library: 'express-session', store: 'better-sqlite3-session-store' },
    baseline: 'express-bare',
    env: (tmpDir) => ({ SQLITE_PATH: `${tmpDir}/express-session.db` }),
  },
  {
    name: 'tessera-memory',
    framework: 'express@5',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'express-bare',
    peer: 'express-session-memory',
  },
  {
    name: 'tessera-sqlite',
    framework: 'express@5',
    sessions: { library: 'tessera', store: 'sqlite' },
    baseline: 'express-bare',
    peer: 'express-session-sqlite',
    env: (tmpDir) => ({ SQLITE_PATH: `${tmpDir}/tessera.db` }),
  },
  {
    name: 'express-session-redis',
    framework: 'express@5',
    sessions: { library: 'express-session', store: 'connect-redis' },
    baseline: 'express-bare',
    env: runPrefix,
  },
  {
    name: 'tessera-redis',
    framework: 'express@5',
    sessions: { library: 'tessera', store: 'redis' },
    baseline: 'express-bare',
    peer: 'express-session-redis',
    env: runPrefix,
  },
  {
    name: 'tessera-postgres',
    framework: 'express@5',
    sessions: { library: 'tessera', store: 'postgres' },
    baseline: 'express-bare',
    env: runPrefix,
  },
  {
    name: 'dropin-memory',
    framework: 'express@5',
    sessions: { library: 'tessera-session/express-session', store: 'memory' },
    baseline: 'express-bare',
    peer: 'express-session-memory',
  },
  {
    name: 'dropin-memorystore',
    framework: 'express@5',
    sessions: { library: 'tessera-session/express-session', store: 'its MemoryStore' },
    baseline: 'express-bare',
    peer: 'express-session-memory',
  },
  {
    name: 'dropin-redis',
    framework: 'express@5',
    sessions: { library: 'tessera-session/express-session', store: 'redis' },
    baseline: 'express-bare',
    peer: 'express-session-redis',
    env: runPrefix,
  },
  {
    name: 'dropin-connect-redis',
    framework: 'express@5',
    sessions: { library: 'tessera-session/express-session', store: 'connect-redis' },
    baseline: 'express-bare',
    peer: 'express-session-redis',
    env: runPrefix,
  },
  { name: 'fastify-bare', framework: 'fastify@5', sessions: null },
  {
    name: 'fastify-session-memory',
    framework: 'fastify@5',
    sessions: { library: '@fastify/session', store: 'MemoryStore' },
    baseline: 'fastify-bare',
  },
  {
    name: 'tessera-fastify-memory',
    framework: 'fastify@5',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'fastify-bare',
    peer: 'fastify-session-memory',
  },
  {
    name: 'tessera-fastify-sqlite',
    framework: 'fastify@5',
    sessions: { library: 'tessera', store: 'sqlite' },
    baseline: 'fastify-bare',
    env: (tmpDir) => ({ SQLITE_PATH: `${tmpDir}/tessera-fastify.db` }),
  },
  { name: 'hono-bare', framework: 'hono@4 (@hono/node-server)', sessions: null },
  {
    name: 'tessera-hono',
    framework: 'hono@4 (@hono/node-server)',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'hono-bare',
  },
  { name: 'fetch-bare', framework: 'fetch handler (@hono/node-server)', sessions: null },
  {
    name: 'tessera-web',
    framework: 'fetch handler (@hono/node-server)',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'fetch-bare',
  },
  { name: 'koa-bare', framework: 'koa@3', sessions: null },
  {
    name: 'tessera-koa',
    framework: 'koa@3',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'koa-bare',
  },
  { name: 'node-bare', framework: 'node:http', sessions: null },
  {
    name: 'tessera-node',
    framework: 'node:http',
    sessions: { library: 'tessera', store: 'memory' },
    baseline: 'node-bare',
  },
];

/** The competitors named in `only` (all when `null`), plus the baselines they need, in registry order. */
export function selectCompetitors(only: string[] | null): Competitor[] {
  if (only === null) return [...COMPETITORS];
  const wanted = new Set<string>();
  for (const name of only) {
    const competitor = COMPETITORS.find((c) => c.name === name);
    if (competitor === undefined) {
      const known = COMPETITORS.map((c) => c.name).join(', ');
      throw new Error(`BENCH_ONLY: unknown competitor "${name}" (known: ${known})`);
    }
    wanted.add(competitor.name);
    if (competitor.baseline !== undefined) wanted.add(competitor.baseline);
  }
  return COMPETITORS.filter((c) => wanted.has(c.name));
}
