/**
 * The CPUs: the servers get one core and the load generator the other, via
 * `taskset` (without taskset or with fewer than two cores, processes run
 * unpinned and the report says so); and how busy the cores are.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let cached: boolean | undefined;

/** Whether processes are pinned to cores in this run. */
export function pinningAvailable(): boolean {
  cached ??= availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return cached;
}

/** The repository root: `--import tsx` is resolved from the working directory. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How to run `node --import tsx <file>` on `core`, from the repository root. */
export function nodeCommand(
  core: number,
  file: string,
): { command: string; args: string[]; cwd: string } {
  // Compiled JavaScript runs on plain node; a TypeScript file needs the tsx loader.
  const node = file.endsWith('.ts')
    ? [process.execPath, '--import', 'tsx', file]
    : [process.execPath, file];
  if (!pinningAvailable()) return { command: node[0]!, args: node.slice(1), cwd: ROOT };
  return { command: 'taskset', args: ['-c', String(core), ...node], cwd: ROOT };
}

/** Share of the given cores (all by default) busy over `ms` milliseconds, from 0 to 1. */
export async function cpuBusy(ms = 1000, core?: number): Promise<number> {
  const total = () =>
    cpus()
      .filter((_, i) => core === undefined || i === core)
      .reduce(
        (sum, { times }) => {
          const busy = times.user + times.nice + times.sys + times.irq;
          return { busy: sum.busy + busy, all: sum.all + busy + times.idle };
        },
        { busy: 0, all: 0 },
      );
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = total();
  const all = after.all - before.all;
  return all > 0 ? (after.busy - before.busy) / all : 0;
}

/**
 * Waits until the servers' core has gone quiet (a server just measured may
 * still be collecting garbage), at most `maxMs`.
 */
export async function settleServerCore(maxMs = 1000): Promise<void> {
  const deadline = performance.now() + maxMs;
  do {
    const busy = await cpuBusy(200, pinningAvailable() ? SERVER_CORE : undefined);
    if (busy < 0.05) return;
  } while (performance.now() < deadline);
}
