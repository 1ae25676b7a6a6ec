/** The printed table and `bench/results/latest.json`. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './config.js';
import type { RoundResult, Summary } from './summary.js';

export interface Failure {
  round: number;
  competitor: string;
  route: string;
  reason: string;
}

export interface Report {
  date: string;
  machine: ReturnType<typeof machineInfo> & { cpuBusyAtStart: number };
  node: string;
  versions: Record<string, string>;
  config: BenchConfig & { pinned: boolean; order: string };
  competitors: {
    name: string;
    framework: string;
    sessions: string | null;
    baseline: string | null;
  }[];
  elapsedSec: number;
  failures: Failure[];
  raw: RoundResult[];
  medians: Summary[];
}

export function machineInfo() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()} ${arch()}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const PACKAGES = [
  'express',
  'express-session',
  'better-sqlite3',
  'better-sqlite3-session-store',
  'connect-redis',
  'redis',
  'autocannon',
];

/** Installed versions of Tessera and the packages the competitors run on. */
export function packageVersions(): Record<string, string> {
  const version = (path: string) => {
    try {
      return (
        JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }
      ).version;
    } catch {
      return 'not installed';
    }
  };
  const versions: Record<string, string> = { tessera: version('../package.json') };
  for (const name of PACKAGES) versions[name] = version(`../node_modules/${name}/package.json`);
  return versions;
}

export function formatTable(summaries: readonly Summary[], failures: readonly Failure[]): string {
  const header = [
    'route',
    'competitor',
    'req/s',
    'spread',
    'p99 ms',
    'µs/req over bare',
    'x bare',
    '÷ peer',
  ];
  const rows = summaries.map((s) => {
    const failed = failures.some((f) => f.competitor === s.competitor && f.route === s.route);
    const spread = s.rpsMedian > 0 ? ((s.rpsMax - s.rpsMin) / 2 / s.rpsMedian) * 100 : 0;
    return [
      `/${s.route}`,
      failed ? `${s.competitor} (FAIL)` : s.competitor,
      Math.round(s.rpsMedian).toLocaleString('en-US'),
      `±${spread.toFixed(1)}%`,
      s.p99MsMedian.toFixed(1),
      s.overheadUs === null ? '—' : `${s.overheadUs >= 0 ? '+' : ''}${s.overheadUs.toFixed(1)}`,
      s.ratio === null ? '—' : s.ratio.toFixed(2),
      s.overheadVsPeer === null ? '—' : s.overheadVsPeer.toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((row, i) => {
    if (i > 0 && row[0] !== rows[i - 1]![0]) out.push('');
    out.push(line(row));
  });
  return out.join('\n');
}

/**
 * Writes the report atomically (`.tmp` then rename), then formats it with the
 * repository's Biome so `npm run lint` stays clean.
 */
export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(tmp, path);
  const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
  const formatted = spawnSync(biome, ['format', '--write', path], { stdio: 'ignore' });
  if (formatted.status !== 0) console.log(`note: could not format ${path} with Biome`);
}
