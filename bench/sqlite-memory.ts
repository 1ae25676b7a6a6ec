/**
 * `npm run bench:sqlite-memory`: how much memory the default SQLite store
 * takes as it grows to a million sessions, for the current defaults and for
 * other page-cache / memory-map sizes (issue 10 §3: a server creating
 * sessions without pause went from 61 MB to 392 MB of RSS over 1,037,715
 * sessions with a 64 MiB cache and a 256 MiB memory map).
 *
 * Each configuration runs in a process of its own (this script, with
 * `--child`), which creates the sessions through `store.create()`, in
 * transactions of `BENCH_SQLITE_BATCH` creates to fill faster (the same pages
 * are read and written, so the caches fill the same way; `1` commits each
 * create, as requests do). Every `BENCH_SQLITE_SAMPLE` sessions it times
 * 2,000 creates committed one by one (what a request costs at that size) and
 * 5,000 random reads, then reads `/proc/self/smaps_rollup` (Rss, Anonymous:
 * file-backed is the difference) and `/proc/self/status` (RssAnon, RssFile,
 * RssShmem), and the size of the database and its WAL. At the end it times
 * random reads and updates (each update its own commit). Linux only
 * (`/proc`). Takes minutes: not part of CI. Results go to
 * `bench/results/sqlite-memory.json`.
 *
 * BENCH_SQLITE_SESSIONS  sessions per configuration (default 1000000)
 * BENCH_SQLITE_SAMPLE    sessions between samples (default 100000)
 * BENCH_SQLITE_BATCH     creates per transaction while filling (default 1000; 1 = one each)
 * BENCH_SQLITE_CONFIGS   comma-separated names from CONFIGS: default, before, cache-8m,
 *                        cache-16m-mmap-64m, cache-2m (default: all)
 * BENCH_SQLITE_READS     random reads after the fill, and a tenth as many updates (default 100000)
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionRecord } from '../src/core/store.js';
import {
  createSqliteStore,
  DEFAULT_SQLITE_STORE_OPTIONS,
  type SqliteStore,
} from '../src/stores/sqlite/index.js';

const MIB = 1024 * 1024;
const OUTPUT = fileURLToPath(new URL('./results/sqlite-memory.json', import.meta.url));
const SESSIONS = Number(process.env.BENCH_SQLITE_SESSIONS ?? 1_000_000);
const SAMPLE_EVERY = Number(process.env.BENCH_SQLITE_SAMPLE ?? 100_000);
const BATCH = Number(process.env.BENCH_SQLITE_BATCH ?? 1000);
const READS = Number(process.env.BENCH_SQLITE_READS ?? 100_000);
const UPDATES = Math.max(1, Math.floor(READS / 10));
/** Creates committed one by one, and random reads, timed at each sample. */
const PROBE_CREATES = 5000;
const PROBE_READS = 20_000;

/** A page-cache and memory-map size to measure. */
interface Config {
  readonly name: string;
  readonly cacheSize: number;
  readonly mmapSize: number;
}

const CONFIGS: readonly Config[] = [
  {
    name: 'default',
    cacheSize: DEFAULT_SQLITE_STORE_OPTIONS.cacheSize,
    mmapSize: DEFAULT_SQLITE_STORE_OPTIONS.mmapSize,
  },
  // The defaults until issue 10 §3.
  { name: 'before', cacheSize: 64 * MIB, mmapSize: 256 * MIB },
  { name: 'cache-8m', cacheSize: 8 * MIB, mmapSize: 0 },
  { name: 'cache-16m-mmap-64m', cacheSize: 16 * MIB, mmapSize: 64 * MIB },
  // SQLite's own default: cache_size -2000 (2,000 KiB).
  { name: 'cache-2m', cacheSize: 2000 * 1024, mmapSize: 0 },
];

/** Memory of this process, in MiB. */
interface MemorySample {
  sessions: number;
  rss: number;
  anonymous: number;
  /** Rss − Anonymous: the node binary, libraries and mapped files. */
  fileBacked: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  /** V8's heap (part of Anonymous): the rest of Anonymous is native, SQLite's page cache among it. */
  heapTotal: number;
  /** The database file and its WAL, in MiB. */
  dbSize: number;
  walSize: number;
  /** Creates per second, each its own commit, at this size. */
  createsPerSecond: number;
  /** Random reads per second at this size. */
  readsPerSecond: number;
  /** Latency of those reads, in microseconds. */
  readP50Us: number;
  readP99Us: number;
}

interface ChildResult {
  config: Config;
  driver: string;
  samples: MemorySample[];
  readsPerSecond: number;
  updatesPerSecond: number;
  afterReads: MemorySample;
}

/** `name: value kB` fields of a /proc file, in MiB. */
function procFields(file: string, names: readonly string[]): Record<string, number> {
  const text = readFileSync(file, 'utf8');
  const fields: Record<string, number> = {};
  for (const name of names) {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    fields[name] = match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : Number.NaN;
  }
  return fields;
}

function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The store key of session `index`: a SHA-256 digest, as the manager makes (random B-tree order). */
function keyOf(index: number): string {
  return createHash('sha256').update(`session-${index}`).digest('hex');
}

/** A new session as the demo writes it: a CSRF token and a counter; every fourth one logged in with a cart. */
function recordOf(index: number, now: number): SessionRecord {
  const csrf = randomBytes(32).toString('base64url');
  const loggedIn = index % 4 === 0;
  return {
    data: loggedIn
      ? { _csrf: csrf, visits: 1, cart: { items: ['book', 'pear'] }, theme: 'dark' }
      : { _csrf: csrf, visits: 1 },
    createdAt: now,
    expiresAt: now + 14 * 86_400_000,
    userId: loggedIn ? `user-${index % 50_000}` : null,
  };
}

function sample(
  store: SqliteStore,
  sessions: number,
  speed: { createsPerSecond: number; readsPerSecond: number; readP50Us: number; readP99Us: number },
): MemorySample {
  const rollup = procFields('/proc/self/smaps_rollup', ['Rss', 'Anonymous']);
  const status = procFields('/proc/self/status', ['RssAnon', 'RssFile', 'RssShmem']);
  return {
    sessions,
    rss: rollup.Rss!,
    anonymous: rollup.Anonymous!,
    fileBacked: Math.round((rollup.Rss! - rollup.Anonymous!) * 10) / 10,
    rssAnon: status.RssAnon!,
    rssFile: status.RssFile!,
    rssShmem: status.RssShmem!,
    heapTotal: mib(process.memoryUsage().heapTotal),
    dbSize: mib(fileSize(store.path)),
    walSize: mib(fileSize(`${store.path}-wal`)),
    createsPerSecond: Math.round(speed.createsPerSecond),
    readsPerSecond: Math.round(speed.readsPerSecond),
    readP50Us: Math.round(speed.readP50Us * 10) / 10,
    readP99Us: Math.round(speed.readP99Us * 10) / 10,
  };
}

/** One configuration, in this (child) process: fill, sample, then time reads and updates. */
async function runChild(config: Config): Promise<ChildResult> {
  const directory = mkdtempSync(join(tmpdir(), 'tessera-sqlite-memory-'));
  try {
    const store = createSqliteStore({
      path: join(directory, 'sessions.db'),
      cacheSize: config.cacheSize,
      mmapSize: config.mmapSize,
    });
    const none = { createsPerSecond: 0, readsPerSecond: 0, readP50Us: 0, readP99Us: 0 };
    const samples = [sample(store, 0, none)];
    const pickOf = (count: number) => () => keyOf(Math.floor(Math.random() * count));
    let created = 0;
    while (created < SESSIONS) {
      const segmentEnd = Math.min(SESSIONS, created + SAMPLE_EVERY);
      // Filling, in transactions of BATCH creates.
      while (created < segmentEnd - PROBE_CREATES) {
        const batchEnd = Math.min(segmentEnd - PROBE_CREATES, created + BATCH);
        if (BATCH > 1) store.connection.exec('BEGIN');
        for (; created < batchEnd; created++)
          store.create(keyOf(created), recordOf(created, Date.now()));
        if (BATCH > 1) store.connection.exec('COMMIT');
      }
      // What a request's create costs at this size: one commit each.
      let started = performance.now();
      const probeStart = created;
      for (; created < segmentEnd; created++)
        store.create(keyOf(created), recordOf(created, Date.now()));
      const createsPerSecond = (created - probeStart) / ((performance.now() - started) / 1000);
      const pick = pickOf(created);
      const latencies: number[] = [];
      started = performance.now();
      for (let index = 0; index < PROBE_READS; index++) {
        const key = pick(); // hashing the key is not the read's time
        const readStarted = performance.now();
        if (store.read(key) === null) throw new Error('a live session read as null');
        latencies.push((performance.now() - readStarted) * 1000);
      }
      const readsPerSecond = PROBE_READS / ((performance.now() - started) / 1000);
      latencies.sort((a, b) => a - b);
      const latest = sample(store, created, {
        createsPerSecond,
        readsPerSecond,
        readP50Us: latencies[Math.floor(latencies.length * 0.5)]!,
        readP99Us: latencies[Math.floor(latencies.length * 0.99)]!,
      });
      samples.push(latest);
      process.stderr.write(
        `${config.name}: ${created} sessions, RSS ${latest.rss} MiB (anon ${latest.anonymous}, file ${latest.fileBacked}), ` +
          `heap ${latest.heapTotal}, ${latest.createsPerSecond} creates/s, ${latest.readsPerSecond} reads/s, read p99 ${latest.readP99Us} µs\n`,
      );
    }

    // Random reads of existing sessions, then random updates (each its own commit, as a request's).
    const pick = pickOf(SESSIONS);
    let started = performance.now();
    for (let index = 0; index < READS; index++) {
      if (store.read(pick()) === null) throw new Error('a live session read as null');
    }
    const readsPerSecond = READS / ((performance.now() - started) / 1000);
    started = performance.now();
    const expiresAt = Date.now() + 14 * 86_400_000;
    for (let index = 0; index < UPDATES; index++) {
      await store.update(pick(), { set: { visits: 2 }, remove: [], expiresAt });
    }
    const updatesPerSecond = UPDATES / ((performance.now() - started) / 1000);
    const afterReads = sample(store, SESSIONS, none);
    const driver = store.connection.driver;
    store.close();
    return {
      config,
      driver,
      samples,
      readsPerSecond: Math.round(readsPerSecond),
      updatesPerSecond: Math.round(updatesPerSecond),
      afterReads,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs one configuration in a new process of this script (same Node, same loader flags). */
function runInChild(config: Config): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(config)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ChildResult);
      else reject(new Error(`${config.name}: the child process exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_SQLITE_CONFIGS?.split(',').map((name) => name.trim());
  const configs = CONFIGS.filter((config) => wanted === undefined || wanted.includes(config.name));
  const results: ChildResult[] = [];
  // One after the other: two fills at once would compete for the disk and the two cores.
  for (const config of configs) results.push(await runInChild(config));

  for (const result of results) {
    const { config } = result;
    console.log(
      `\n### ${config.name}: cache ${mib(config.cacheSize)} MiB, mmap ${mib(config.mmapSize)} MiB (${result.driver}, Node ${process.versions.node})\n`,
    );
    console.log(
      '| sessions | DB size | WAL | RSS | RSS anon (V8 heap) | RSS file (Rss − Anonymous) | creates/s (one commit each) | reads/s | read p50 / p99 |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of result.samples) {
      console.log(
        `| ${s.sessions.toLocaleString('en')} | ${s.dbSize} MiB | ${s.walSize} MiB | ${s.rss} MiB | ${s.anonymous} MiB (${s.heapTotal}) | ${s.fileBacked} MiB | ${s.sessions === 0 ? '' : s.createsPerSecond.toLocaleString('en')} | ${s.sessions === 0 ? '' : s.readsPerSecond.toLocaleString('en')} | ${s.sessions === 0 ? '' : `${s.readP50Us} / ${s.readP99Us} µs`} |`,
      );
    }
    const after = result.afterReads;
    console.log(
      `\nAfter ${READS.toLocaleString('en')} random reads (${result.readsPerSecond.toLocaleString('en')}/s) and ${UPDATES.toLocaleString('en')} updates (${result.updatesPerSecond.toLocaleString('en')}/s): RSS ${after.rss} MiB, anon ${after.anonymous} MiB, file ${after.fileBacked} MiB.`,
    );
  }
  console.log(
    '\n| configuration | DB + WAL | peak RSS | peak anon | peak file | creates/s (mean of samples) | reads/s | updates/s | read p99, first → last sample |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const result of results) {
    const measured = result.samples.slice(1);
    const mean =
      measured.reduce((sum, s) => sum + s.createsPerSecond, 0) / Math.max(1, measured.length);
    const peak = (field: 'rss' | 'anonymous' | 'fileBacked') =>
      Math.max(...result.samples.map((s) => s[field]));
    const last = result.samples.at(-1)!;
    console.log(
      `| ${result.config.name} | ${Math.round((last.dbSize + last.walSize) * 10) / 10} MiB | ${peak('rss')} MiB | ${peak('anonymous')} MiB | ${peak('fileBacked')} MiB | ${Math.round(mean).toLocaleString('en')} | ${result.readsPerSecond.toLocaleString('en')} | ${result.updatesPerSecond.toLocaleString('en')} | ${measured[0]?.readP99Us} → ${last.readP99Us} µs |`,
    );
  }
  mkdirSync(join(OUTPUT, '..'), { recursive: true });
  writeFileSync(
    OUTPUT,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, sessions: SESSIONS, reads: READS, results }, null, 2)}\n`,
  );
}

const childIndex = process.argv.indexOf('--child');
if (childIndex === -1) {
  await main();
} else {
  const config = JSON.parse(process.argv[childIndex + 1] ?? '') as Config;
  process.stdout.write(JSON.stringify(await runChild(config)));
}
