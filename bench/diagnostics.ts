/**
 * `npm run bench:diagnostics`: what the diagnostics channels (issue 13 §1)
 * cost a request, in one run with alternating rounds of three variants:
 *
 * - `before`: the core before instrumentation (commit a71db19, extracted with
 *   `git archive` into `bench/.build/` and imported through tsx like the rest);
 * - `no-subscriber`: the current core, nobody listening (the claim: no
 *   measurable cost);
 * - `no-op-subscriber`: the current core with a subscriber that does nothing
 *   on every channel (what publishing costs).
 *
 * Workload: the direct manager loop of a request, no HTTP: load a session
 * cookie, read a key, set it, commit (a delta write), on the memory store
 * and on SQLite in memory. Every variant runs on the current store code
 * and the node:crypto digest, so only the core differs.
 *
 * Each measurement runs in a process of its own (this script with
 * `--worker`), as `npm run bench:cpu` does: in one process the variants
 * would share the JIT's feedback, and subscribing and unsubscribing between
 * them flips the channels' prototypes, which deoptimizes the code that checks
 * them. A worker warms up, then takes the median of five slices, in µs of
 * CPU (user + system) per request, so time spent waiting for a core on a busy
 * machine does not count. Variants rotate their order each round; the ratio
 * to `before` is taken within each round and reported as the median, min and
 * max over rounds. Writes `bench/results/diagnostics.json`.
 *
 * BENCH_DIAG_ROUNDS    rounds (default 7)
 * BENCH_DIAG_REQUESTS  requests per measurement (default 20000; SQLite a fifth)
 * BENCH_DIAG_VARIANTS  comma-separated variants besides `before` (default: both)
 */
import { execFileSync } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { digestSessionIdNode } from '../src/adapters/node/digest.js';
import type * as Core from '../src/core/index.js';
import { createMemoryStore } from '../src/stores/memory/index.js';
import { createSqliteStore } from '../src/stores/sqlite/index.js';
import { median } from './summary.js';

const BASELINE_COMMIT = 'a71db19';
const ROUNDS = Number(process.env.BENCH_DIAG_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_DIAG_REQUESTS ?? 20_000);
const SESSIONS = 100;
/** Slices a worker measures after its warm-up; its figure is their median. */
const SLICES = 5;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASELINE_DIRECTORY = join(ROOT, 'bench', '.build', `diagnostics-${BASELINE_COMMIT}`);
const OUTPUT = fileURLToPath(new URL('./results/diagnostics.json', import.meta.url));

type Variant = 'before' | 'no-subscriber' | 'no-op-subscriber';
type StoreKind = 'memory' | 'sqlite';
const ALL_VARIANTS: readonly Variant[] = ['before', 'no-subscriber', 'no-op-subscriber'];
const STORES: readonly StoreKind[] = ['memory', 'sqlite'];

const requestsFor = (kind: StoreKind) => (kind === 'sqlite' ? Math.ceil(REQUESTS / 5) : REQUESTS);

// ---- worker: one variant on one store -------------------------------------------------------

/** A no-op subscriber on every channel of `core`. */
function subscribeNoOp(core: typeof Core): void {
  const noop = () => {};
  const handlers = { start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
  const { load, commit, store, csrfRejected } = core.SESSION_DIAGNOSTICS_CHANNELS;
  for (const name of [load, commit, store]) {
    diagnosticsChannel.tracingChannel(name).subscribe(handlers);
  }
  diagnosticsChannel.subscribe(csrfRejected, noop);
}

interface Prepared {
  manager: Core.SessionManager;
  cookies: string[];
}

/** A manager of `core` on a fresh store, with `SESSIONS` stored sessions and their cookies. */
async function prepare(core: typeof Core, kind: StoreKind): Promise<Prepared> {
  const store = kind === 'memory' ? createMemoryStore() : createSqliteStore({ path: ':memory:' });
  const manager = core.createSessionManager({ store }, { digestId: digestSessionIdNode });
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const session = await manager.load({ cookie: undefined, secure: false });
    session.set('counter', 0);
    const { setCookie } = await manager.commit(session);
    cookies.push(setCookie!.split(';')[0]!);
  }
  return { manager, cookies };
}

/** CPU µs per request of `requests` direct requests: load, read, set, commit. */
async function measure({ manager, cookies }: Prepared, requests: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const loaded = manager.load({ cookie: cookies[i % SESSIONS], secure: false });
    // Awaiting only real promises keeps a synchronous load synchronous, as the adapters do.
    const session = loaded instanceof Promise ? await loaded : loaded;
    const counter = session.get('counter') as number;
    session.set('counter', counter + 1);
    const committed = manager.commit(session);
    if (committed instanceof Promise) await committed;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / requests;
}

async function runWorker(variant: Variant, kind: StoreKind): Promise<void> {
  const core = (
    variant === 'before'
      ? await import(pathToFileURL(join(BASELINE_DIRECTORY, 'src', 'core', 'index.ts')).href)
      : await import('../src/core/index.js')
  ) as typeof Core;
  if (variant === 'no-op-subscriber') subscribeNoOp(core);
  const prepared = await prepare(core, kind);
  const requests = requestsFor(kind);
  await measure(prepared, requests); // warm-up
  const slices: number[] = [];
  for (let i = 0; i < SLICES; i++) slices.push(await measure(prepared, requests / SLICES));
  await prepared.manager.close();
  console.log(JSON.stringify({ usPerRequest: median(slices) }));
}

// ---- the run: rounds of every variant in its own process ------------------------------------

/** The core before instrumentation: `git archive` of its src into bench/.build/ (node_modules resolve from the repository). */
function extractBaseline(): void {
  rmSync(BASELINE_DIRECTORY, { recursive: true, force: true });
  mkdirSync(BASELINE_DIRECTORY, { recursive: true });
  execFileSync(
    'sh',
    ['-c', `git archive ${BASELINE_COMMIT} src | tar -x -C "${BASELINE_DIRECTORY}"`],
    { cwd: ROOT },
  );
}

function measureInWorker(variant: Variant, kind: StoreKind): number {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', variant, kind],
    { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return (JSON.parse(output.trim().split('\n').pop()!) as { usPerRequest: number }).usPerRequest;
}

/** Median, min and max of per-round values. */
function spread(values: readonly number[]) {
  return {
    median: round3(median(values)),
    min: round3(Math.min(...values)),
    max: round3(Math.max(...values)),
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function runBenchmark(): void {
  const variants = ALL_VARIANTS.filter(
    (variant) =>
      variant === 'before' ||
      (process.env.BENCH_DIAG_VARIANTS ?? variant).split(',').includes(variant),
  );
  extractBaseline();
  /** µs/request samples by `${variant} ${store}`, one per round. */
  const samples = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const kind of STORES) {
      for (const variant of order) {
        const usPerRequest = measureInWorker(variant, kind);
        const key = `${variant} ${kind}`;
        samples.set(key, [...(samples.get(key) ?? []), usPerRequest]);
        console.log(
          `round ${round + 1}/${ROUNDS}  ${kind.padEnd(6)} ${variant.padEnd(16)} ${usPerRequest.toFixed(2)} µs CPU/request`,
        );
      }
    }
  }

  const results = STORES.map((kind) => {
    const of = (variant: Variant) => samples.get(`${variant} ${kind}`)!;
    const before = of('before');
    return {
      store: kind,
      requestsPerMeasurement: requestsFor(kind),
      usPerRequest: Object.fromEntries(variants.map((variant) => [variant, spread(of(variant))])),
      /** The variant's µs/request over `before`'s in the same round: median, min, max over rounds. */
      ratioToBefore: Object.fromEntries(
        variants
          .filter((variant) => variant !== 'before')
          .map((variant) => [variant, spread(of(variant).map((value, i) => value / before[i]!))]),
      ) as Partial<Record<Variant, ReturnType<typeof spread>>>,
      samples: Object.fromEntries(variants.map((variant) => [variant, of(variant).map(round3)])),
    };
  });

  console.log(
    '\nstore   variant           µs CPU/request (median [min–max])   ratio to before (median [min–max])',
  );
  for (const result of results) {
    for (const variant of variants) {
      const us = result.usPerRequest[variant]!;
      const ratio = result.ratioToBefore[variant];
      const usText = `${us.median.toFixed(2)} [${us.min.toFixed(2)}–${us.max.toFixed(2)}]`;
      const ratioText = ratio
        ? `${ratio.median.toFixed(3)} [${ratio.min.toFixed(3)}–${ratio.max.toFixed(3)}]`
        : '—';
      console.log(
        `${result.store.padEnd(7)} ${variant.padEnd(17)} ${usText.padEnd(35)} ${ratioText}`,
      );
    }
  }

  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify(
      {
        benchmark: 'diagnostics',
        date: new Date().toISOString(),
        node: process.version,
        baseline: BASELINE_COMMIT,
        rounds: ROUNDS,
        sessions: SESSIONS,
        workload:
          'manager.load(cookie) → get → set → manager.commit (delta), sequential, in-process, one process per measurement',
        unit: 'µs of CPU (user + system) per request, median of 5 slices after a warm-up',
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten to ${OUTPUT}`);
}

const [mode, variant, kind] = process.argv.slice(2);
if (mode === '--worker') await runWorker(variant as Variant, kind as StoreKind);
else runBenchmark();
