/**
 * `npm run bench:scale`: does a store stay fast when it is big?
 *
 * For each target store: fill it to 10,000 sessions and measure the latency of
 * random reads; grow it to 1,000,000 (of which 100,000 already expired) and
 * measure again; then time `clearExpired` removing the 100,000, with the
 * progress the CLI shows. Before that, at the large size, the listing of issue
 * 13 §2 (`scale-listing.ts`): first pages in both orders, a deep page, one
 * user's page, counts, the overview, and memory while paging through 100,000
 * sessions. Writes `bench/results/scale.json`.
 *
 * BENCH_SCALE_TARGETS  comma-separated: sqlite, postgres, mysql (default: all three; a server
 *                      store is skipped with a note when DATABASE_URL or MYSQL_URL does not answer)
 * BENCH_SCALE_SIZE     the large size (default 1000000); 10 % of it is expired
 * BENCH_SCALE_READS    reads per measurement (default 20000)
 * BENCH_SCALE_OUTPUT   where the results go (default bench/results/scale.json)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionRecord, SessionStore } from '../src/core/store.js';
import { type ListingResult, measureListing } from './scale-listing.js';
import { SCALE_TARGETS, type ScaleTarget } from './scale-targets.js';

const OUTPUT =
  process.env.BENCH_SCALE_OUTPUT ?? fileURLToPath(new URL('./results/scale.json', import.meta.url));
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_SCALE_SIZE ?? 1_000_000);
const READS = Number(process.env.BENCH_SCALE_READS ?? 20_000);
const EXPIRED_SHARE = 0.1;
const WANTED = (process.env.BENCH_SCALE_TARGETS ?? 'sqlite,postgres,mysql')
  .split(',')
  .map((s) => s.trim());

/** Latency percentiles of `reads` random reads, in microseconds. */
interface ReadLatency {
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

interface TargetResult {
  target: string;
  skipped?: string;
  small?: ReadLatency & { sessions: number };
  large?: ReadLatency & { sessions: number; expired: number };
  p99Ratio?: number;
  clearExpired?: { removed: number; seconds: number; progressEvents: number };
  fillSeconds?: number;
  listing?: ListingResult;
  server?: Record<string, string>;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measureReads(store: SessionStore, keys: readonly string[]): Promise<ReadLatency> {
  const pick = () => keys[Math.floor(Math.random() * keys.length)]!;
  for (let i = 0; i < 2000; i++) await store.read(pick()); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < READS; i++) {
    const key = pick();
    const started = performance.now();
    const record = await store.read(key);
    samples.push((performance.now() - started) * 1000);
    if (record === null) throw new Error(`read of a live session answered null (${key})`);
  }
  samples.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    p50Us: round(percentile(samples, 50)),
    p99Us: round(percentile(samples, 99)),
    meanUs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

const DAY = 86_400_000;
const STARTED = Date.now();
/** The user the next sessions belong to, and how many more of them are still to come. */
let users = { current: 0, left: 0 };

/** The owner of the next session: 20 % anonymous, each user with 1 to 5 sessions. */
function nextUserId(): string | null {
  if (Math.random() < 0.2) return null;
  if (users.left === 0)
    users = { current: users.current + 1, left: 1 + Math.floor(Math.random() * 5) };
  users.left -= 1;
  return `user-${users.current}`;
}

/**
 * `count` records, live or already expired, with realistic data: live ones
 * created over the last 7 days and expiring over the next 7, so the listing's
 * orders and the overview's hours have something to tell apart.
 */
function* records(count: number, expired: boolean): Generator<[string, SessionRecord]> {
  const now = STARTED;
  for (let i = 0; i < count; i++) {
    const userId = nextUserId();
    yield [
      randomBytes(32).toString('hex'),
      {
        data: {
          counter: i,
          cart: { items: ['a', 'b'] },
          ...(userId ? { _auth_user_id: userId } : {}),
        },
        createdAt: expired
          ? now - 7 * DAY - Math.floor(Math.random() * 7 * DAY)
          : now - Math.floor(Math.random() * 7 * DAY),
        expiresAt: expired ? now - 60_000 : now + 3_600_000 + Math.floor(Math.random() * 7 * DAY),
        userId,
      },
    ];
  }
}

async function runTarget(target: ScaleTarget, workDir: string): Promise<TargetResult> {
  const unavailable = await target.unavailable();
  if (unavailable) return { target: target.name, skipped: unavailable };
  const opened = await target.open(workDir);
  const { store } = opened;
  try {
    const liveKeys: string[] = [];
    const keep = function* (source: Generator<[string, SessionRecord]>) {
      for (const entry of source) {
        liveKeys.push(entry[0]);
        yield entry;
      }
    };
    const fillStarted = performance.now();
    await opened.fill(keep(records(SMALL, false)));
    const small = { sessions: SMALL, ...(await measureReads(store, liveKeys)) };
    log(`${target.name}: ${SMALL} sessions, read p99 ${small.p99Us} µs`);

    const expired = Math.round(LARGE * EXPIRED_SHARE);
    await opened.fill(keep(records(LARGE - SMALL - expired, false)), (done) =>
      log(`${target.name}: filling… ${SMALL + done}`),
    );
    await opened.fill(records(expired, true));
    const fillSeconds = Math.round((performance.now() - fillStarted) / 100) / 10;
    const large = { sessions: LARGE, expired, ...(await measureReads(store, liveKeys)) };
    log(`${target.name}: ${LARGE} sessions, read p99 ${large.p99Us} µs`);

    // A user with sessions, and a creation time in the middle of the live ones (3.5 days ago).
    const listing = await measureListing(store, {
      userId: `user-${Math.max(1, Math.floor(users.current / 2))}`,
      middleCreatedAt: STARTED - 3.5 * DAY,
    });
    log(`${target.name}: listing ${JSON.stringify(listing.times)}`);

    let progressEvents = 0;
    const clearStarted = performance.now();
    const clear = store.clearExpired as (options?: {
      onProgress?: (removed: number) => void;
    }) => Promise<number> | number;
    const removed = await clear.call(store, {
      onProgress: (count) => {
        progressEvents++;
        if (progressEvents % 10 === 0) log(`${target.name}: clearExpired… ${count} removed`);
      },
    });
    const seconds = Math.round((performance.now() - clearStarted) / 10) / 100;
    log(`${target.name}: clearExpired removed ${removed} in ${seconds} s`);
    const server = await opened.describeServer?.();
    if (server) log(`${target.name}: server ${JSON.stringify(server)}`);
    return {
      target: target.name,
      ...(server ? { server } : {}),
      fillSeconds,
      small,
      large,
      p99Ratio: Math.round((large.p99Us / small.p99Us) * 100) / 100,
      clearExpired: { removed, seconds, progressEvents },
      listing,
    };
  } finally {
    await opened.close();
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'tessera-scale-'));
  const results: TargetResult[] = [];
  try {
    for (const target of SCALE_TARGETS.filter((t) => WANTED.includes(t.name))) {
      results.push(await runTarget(target, workDir));
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const size = LARGE.toLocaleString('en');
  const expiredCount = Math.round(LARGE * EXPIRED_SHARE).toLocaleString('en');
  console.log(
    `\n| store | read p99 at 10,000 | read p99 at ${size} | ratio | clearExpired (${expiredCount} of ${size}) |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of results) {
    if (r.skipped) {
      console.log(`| ${r.target} | skipped: ${r.skipped} | | | |`);
      continue;
    }
    console.log(
      `| ${r.target} | ${r.small?.p99Us} µs | ${r.large?.p99Us} µs | ${r.p99Ratio}× | ${r.clearExpired?.removed} in ${r.clearExpired?.seconds} s |`,
    );
  }
  console.log(
    `\n| store | first page (created / lastUsed) | 11th page | middle page | user page | count | count (user) | describeSessions | heapUsed before → after ${results[0]?.listing?.memory.sessions ?? ''} sessions paged |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    if (!r.listing) continue;
    const { times: t, memory: m } = r.listing;
    const last = m.afterPages.at(-1);
    console.log(
      `| ${r.target} | ${t.firstPageCreatedMs} / ${t.firstPageLastUsedMs} ms | ${t.eleventhPageMs} ms | ${t.middlePageMs} ms | ${t.userPageMs} ms | ${t.countMs} ms | ${t.countUserMs} ms | ${t.describeMs} ms | ${m.before.heapUsedMb} → ${last?.heapUsedMb} MB (RSS ${m.before.rssMb} → ${last?.rssMb} MB) |`,
    );
  }
  console.log("\n| store | admin overview | sessions page | one user's sessions | one session |");
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    if (!r.listing) continue;
    const a = r.listing.admin;
    console.log(
      `| ${r.target} | ${a.overviewMs} ms | ${a.sessionsMs} ms | ${a.userSessionsMs} ms | ${a.sessionMs} ms |`,
    );
  }
  mkdirSync(join(OUTPUT, '..'), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, size: LARGE, reads: READS, results }, null, 2)}\n`,
  );
}

await main();
