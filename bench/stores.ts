/**
 * `npm run bench:stores`: each store's reads and delta writes per second
 * against its own driver running the same commands by hand (the limit a
 * store can reach), reported as a ratio. Target: ≥ 0.8 of the raw driver.
 *
 * Each measurement keeps `BENCH_STORE_CONCURRENCY` operations in flight (the
 * way a server's parallel requests use a store) for `BENCH_STORE_SECONDS`;
 * store and raw alternate for `BENCH_STORE_ROUNDS` rounds and the best round
 * of each counts (least disturbed by the rest of the machine).
 * Writes `bench/results/stores.json`.
 *
 * BENCH_STORE_TARGETS  comma-separated names (default: all; those whose
 *                      server does not answer are skipped with the reason)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionDelta } from '../src/core/store.js';
import { type Operations, STORE_BENCH_TARGETS } from './store-targets.js';

const OUTPUT = fileURLToPath(new URL('./results/stores.json', import.meta.url));
const SECONDS = Number(process.env.BENCH_STORE_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_STORE_CONCURRENCY ?? 16);
const SESSIONS = 1000;
const WANTED = process.env.BENCH_STORE_TARGETS?.split(',').map((s) => s.trim());

type Kind = 'read' | 'write';

/** Operations per second of `operation` over `keys`, `CONCURRENCY` in flight. */
async function measure(
  operation: (key: string, counter: number) => unknown,
  keys: readonly string[],
): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      // Awaiting only real promises keeps a synchronous store synchronous.
      for (let i = 0; i < 64; i++) {
        const result = operation(keys[next++ % keys.length]!, done);
        if (result instanceof Promise) await result;
        done++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Math.round(done / ((performance.now() - started) / 1000));
}

function deltaFor(counter: number): SessionDelta {
  return { set: { counter }, remove: [], expiresAt: Date.now() + 86_400_000 };
}

async function benchTarget(ops: { store: Operations; raw: Operations }, keys: string[]) {
  const best: Record<`${'store' | 'raw'}-${Kind}`, number> = {
    'store-read': 0,
    'raw-read': 0,
    'store-write': 0,
    'raw-write': 0,
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['read', 'write'] as const) {
      // Alternate who goes first, so neither always runs on a warmer cache.
      const order = round % 2 === 0 ? (['store', 'raw'] as const) : (['raw', 'store'] as const);
      for (const who of order) {
        const side = ops[who];
        const rate = await measure(
          kind === 'read'
            ? (key) => side.read(key)
            : (key, counter) => side.write(key, deltaFor(counter)),
          keys,
        );
        best[`${who}-${kind}`] = Math.max(best[`${who}-${kind}`], rate);
      }
    }
  }
  return {
    read: {
      store: best['store-read'],
      raw: best['raw-read'],
      ratio: ratio(best['store-read'], best['raw-read']),
    },
    write: {
      store: best['store-write'],
      raw: best['raw-write'],
      ratio: ratio(best['store-write'], best['raw-write']),
    },
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'tessera-store-bench-'));
  const results: Record<string, unknown>[] = [];
  console.log('| store | read/s | raw read/s | ratio | delta write/s | raw write/s | ratio |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  try {
    for (const target of STORE_BENCH_TARGETS) {
      if (WANTED && !WANTED.includes(target.name)) continue;
      const unavailable = await target.unavailable();
      if (unavailable) {
        console.log(`| ${target.name} | skipped: ${unavailable} | | | | | |`);
        results.push({ target: target.name, skipped: unavailable });
        continue;
      }
      const opened = await target.open(workDir);
      try {
        const keys = Array.from({ length: SESSIONS }, () => randomBytes(32).toString('hex'));
        const now = Date.now();
        for (const key of keys) {
          await opened.store.create(key, {
            data: { counter: 0, user: 'ann', cart: { items: ['a', 'b'] } },
            createdAt: now,
            expiresAt: now + 86_400_000,
            userId: null,
          });
        }
        const result = await benchTarget(opened, keys);
        console.log(
          `| ${target.name} | ${result.read.store} | ${result.read.raw} | ${result.read.ratio} | ${result.write.store} | ${result.write.raw} | ${result.write.ratio} |`,
        );
        results.push({ target: target.name, description: opened.description, ...result });
      } finally {
        await opened.close();
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  mkdirSync(join(OUTPUT, '..'), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds: SECONDS, rounds: ROUNDS, concurrency: CONCURRENCY, results }, null, 2)}\n`,
  );
}

await main();
