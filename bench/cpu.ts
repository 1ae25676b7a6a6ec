/**
 * CPU pinning: the servers get one core and the load generator the other,
 * via `taskset`. Without taskset or with fewer than two cores, processes run
 * unpinned (and the report says so).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let cached: boolean | undefined;

/** Whether processes are pinned to cores in this run. */
export function pinningAvailable(): boolean {
  cached ??= availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return cached;
}

/** The command and arguments that run `node --import tsx <file>` on `core`. */
export function nodeCommand(core: number, file: string): { command: string; args: string[] } {
  const node = [process.execPath, '--import', 'tsx', file];
  if (!pinningAvailable()) return { command: node[0]!, args: node.slice(1) };
  return { command: 'taskset', args: ['-c', String(core), ...node] };
}
