/**
 * `npm run bench`: session overhead of Tessera and its peers, interleaved.
 *
 * Starts every competitor's server (pinned to one core) and one load-generator
 * process (pinned to the other), creates the session cookies, warms each
 * server up, then for each round, route and competitor (order rotated per
 * round) runs one measurement. Prints medians and overhead against each
 * competitor's bare baseline and writes `bench/results/latest.json`.
 * Any non-2xx answer, connection error or stale session counter is a FAIL
 * (exit code 1). See `bench/README.md`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Competitor, selectCompetitors } from './competitors.js';
import { compileBench } from './compile.js';
import { type BenchConfig, type Route, readConfig } from './config.js';
import { cpuBusy, pinningAvailable, settleServerCore } from './cpu.js';
import { LoadClient } from './load-client.js';
import type { Measurement } from './load-protocol.js';
import { type Failure, formatTable, machineInfo, packageVersions, writeReport } from './report.js';
import { type RunningServer, startServer, stopServer } from './server-process.js';
import { createSessionCookies, fakeCookies, readCounters, sampleCookies } from './sessions.js';
import { median, type RoundResult, summarise } from './summary.js';

const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Contender {
  competitor: Competitor;
  server: RunningServer;
  cookies: string[];
  failed: boolean;
}

const config = readConfig(process.env, process.argv.slice(2));
const competitors = selectCompetitors(config.only);
const tmpDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
const servers: RunningServer[] = [];
const failures: Failure[] = [];
let load: LoadClient | undefined;

async function main(): Promise<number> {
  const started = performance.now();
  printPlan(config, competitors);
  console.log('compiling the servers with tsc…');
  compileBench();
  const machine = { ...machineInfo(), cpuBusyAtStart: Math.round((await cpuBusy()) * 100) / 100 };
  if (machine.cpuBusyAtStart > 0.1) {
    const busy = Math.round(machine.cpuBusyAtStart * 100);
    console.log(`warning: the CPUs were ${busy}% busy before the run — figures will be noisy`);
  }

  load = LoadClient.start();
  const contenders: Contender[] = [];
  for (const competitor of competitors) {
    const server = await startServer(competitor, tmpDir);
    servers.push(server);
    contenders.push({ competitor, server, cookies: [], failed: false });
  }
  for (const contender of contenders) await prepare(contender);

  const raw: RoundResult[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    for (const route of config.routes) {
      for (const contender of rotate(contenders, round - 1)) {
        if (contender.failed) continue;
        const result = await measureChecked(contender, route, round).catch((error: unknown) => {
          recordFailure(contender, route, round, String(error));
          return null;
        });
        if (result === null) continue;
        raw.push(result);
        console.log(progressLine(result, config.rounds));
      }
    }
  }

  const medians = summarise(raw, competitors, config.routes);
  console.log(`\n${formatTable(medians, failures)}\n`);
  const elapsedSec = Math.round((performance.now() - started) / 100) / 10;
  writeReport(RESULTS, {
    date: new Date().toISOString(),
    machine,
    node: process.version,
    versions: packageVersions(),
    config: { ...config, pinned: pinningAvailable(), order: 'rotated per round' },
    competitors: competitors.map((c) => ({
      name: c.name,
      framework: c.framework,
      sessions: c.sessions && `${c.sessions.library} + ${c.sessions.store}`,
      baseline: c.baseline ?? null,
    })),
    elapsedSec,
    failures,
    raw,
    medians,
  });
  console.log(`wrote ${RESULTS} (${elapsedSec} s)`);
  for (const failure of failures) fail(failure);
  return failures.length === 0 ? 0 : 1;
}

/** Creates the session cookies and warms the server up on every route. */
async function prepare(contender: Contender): Promise<void> {
  const { competitor, server } = contender;
  contender.cookies = competitor.sessions
    ? await createSessionCookies(server.url, config.sessions)
    : fakeCookies(config.sessions);
  for (const route of config.routes) {
    if (contender.failed) return;
    await measure(contender, route, 0, config.warmupSec);
  }
  if (!contender.failed) {
    console.log(`ready: ${competitor.name} (${server.url}, ${contender.cookies.length} cookies)`);
  }
}

/** One measurement plus, for sessions on /hit, the check that counters advanced. */
async function measureChecked(
  contender: Contender,
  route: Route,
  round: number,
): Promise<RoundResult | null> {
  const counted = route === 'hit' && contender.competitor.sessions !== null;
  const sample = sampleCookies(contender.cookies, config.counterSample);
  const before = counted ? await readCounters(contender.server.url, sample) : [];
  const measurement = await measure(contender, route, round, config.durationSec);
  if (measurement === null) return null;
  const result: RoundResult = { round, competitor: contender.competitor.name, route, measurement };
  if (!counted) return result;
  const after = await readCounters(contender.server.url, sample);
  const stale = after.filter((counter, i) => !(counter > 1 && counter > before[i]!)).length;
  if (stale > 0) {
    const pairs = before.map((b, i) => `${b}→${after[i]}`).join(' ');
    recordFailure(
      contender,
      route,
      round,
      `${stale}/${sample.length} counters did not advance: ${pairs}`,
    );
    return null;
  }
  result.counters = { before, after };
  return result;
}

async function measure(
  contender: Contender,
  route: Route,
  round: number,
  durationSec: number,
): Promise<Measurement | null> {
  const { server } = contender;
  if (server.exited) {
    recordFailure(contender, route, round, `server ${server.exited}`);
    return null;
  }
  await settleServerCore();
  const measurement = await load!.measure({
    url: server.url,
    path: `/${route}`,
    connections: config.connections,
    durationSec,
    cookies: contender.cookies,
  });
  const { non2xx, errors, timeouts } = measurement;
  if (non2xx !== 0 || errors !== 0 || timeouts !== 0 || server.exited) {
    const exited = server.exited ? `, server ${server.exited}` : '';
    const reason = `non2xx=${non2xx} errors=${errors} timeouts=${timeouts}${exited}`;
    recordFailure(contender, route, round, reason);
    return null;
  }
  return measurement;
}

function recordFailure(contender: Contender, route: Route, round: number, reason: string): void {
  const failure = { round, competitor: contender.competitor.name, route, reason };
  failures.push(failure);
  contender.failed = true;
  fail(failure);
}

function fail(failure: Failure): void {
  const when = failure.round === 0 ? 'warm-up' : `round ${failure.round}`;
  console.log(`!!! FAIL ${failure.competitor} /${failure.route} (${when}): ${failure.reason}`);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function progressLine(
  { round, route, competitor, measurement, counters }: RoundResult,
  rounds: number,
): string {
  const rps = Math.round(measurement.rps).toLocaleString('en-US').padStart(7);
  const checked = counters ? `  counters ${median(counters.before)}→${median(counters.after)}` : '';
  return `round ${round}/${rounds}  /${route.padEnd(5)} ${competitor.padEnd(24)} ${rps} req/s  p99 ${measurement.p99Ms} ms${checked}`;
}

function printPlan(cfg: BenchConfig, list: readonly Competitor[]): void {
  const measured = list.length * cfg.routes.length;
  const perMeasurement = cfg.durationSec + 0.5;
  const estimate = measured * (cfg.rounds * perMeasurement + cfg.warmupSec) + list.length * 2;
  console.log(
    `tessera bench: ${list.map((c) => c.name).join(', ')}\n` +
      `routes ${cfg.routes.map((r) => `/${r}`).join(' ')}; ${cfg.rounds} rounds × ${cfg.durationSec} s; ` +
      `${cfg.connections} connections; ${cfg.sessions} sessions; ` +
      `${pinningAvailable() ? 'servers on CPU 0, load on CPU 1' : 'unpinned'}; about ${Math.ceil(estimate / 60)} min`,
  );
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    load?.stop();
    await Promise.all(servers.map(stopServer));
    rmSync(tmpDir, { recursive: true, force: true });
  })();
  return cleaning;
}

function exitAfterCleanup(code: number): void {
  cleanup().finally(() => process.exit(code));
}

let interrupted = false;
function interrupt(code: number): void {
  interrupted = true;
  console.log('interrupted: stopping servers and removing temporary files');
  exitAfterCleanup(code);
}

process.on('SIGINT', () => interrupt(130));
process.on('SIGTERM', () => interrupt(143));
main().then(exitAfterCleanup, (error: unknown) => {
  if (interrupted) return;
  console.log(`!!! FAIL ${error instanceof Error ? error.message : String(error)}`);
  exitAfterCleanup(1);
});
