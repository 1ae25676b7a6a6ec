/**
 * Freezing a server process for the "server stops answering" specs.
 *
 * `kill(pid, 'SIGSTOP')` only queues the signal: a multi-threaded server
 * (mariadbd) stops as a group once one of its threads takes the signal, and
 * on a busy machine its other threads can still answer a query in between
 * (seen in CI: a read meant to time out was answered). So the spec waits
 * until the kernel reports every thread stopped before it sends anything.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A thread's state letter in `/proc/<pid>/task/<tid>/stat`: "T" is stopped by a signal (proc(5)). */
async function readThreadStates(pid: number): Promise<string[] | undefined> {
  let threads: string[];
  try {
    threads = await readdir(`/proc/${pid}/task`);
  } catch {
    return undefined; // no procfs (not Linux): the caller can only wait a little
  }
  const states: string[] = [];
  for (const tid of threads) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    // The command name in parentheses may hold spaces: the state follows its last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state !== '') states.push(state);
  }
  return states;
}

/**
 * Sends SIGSTOP to `pid` and resolves once every one of its threads is
 * stopped (Linux: read from /proc), or after 200 ms where /proc is absent.
 * Rejects if the process is not stopped within 10 s.
 */
export async function freezeProcess(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const states = await readThreadStates(pid);
    if (states === undefined) {
      await sleep(200);
      return;
    }
    if (states.length > 0 && states.every((state) => state === 'T' || state === 't')) return;
    if (Date.now() > deadline) {
      throw new Error(`process ${pid} not stopped within 10 s (thread states: ${states.join('')})`);
    }
    await sleep(5);
  }
}

/** Lets a process frozen by {@link freezeProcess} run again. */
export function thawProcess(pid: number): void {
  process.kill(pid, 'SIGCONT');
}
