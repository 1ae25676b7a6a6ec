/**
 * Runs the real `tessera-session admin` executable (through tsx) for a test,
 * and reads its URL and one-time login URL from its output.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running `tessera-session admin`. */
export interface RunningAdminCli {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  readonly loginUrl: string;
  /** Everything printed so far. */
  readonly output: () => { stdout: string; stderr: string };
  /** Sends SIGTERM and answers the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `tessera-session admin --store <storeUrl> …extra` and waits for its login URL. */
export function startAdminCli(
  storeUrl: string,
  extra: readonly string[] = [],
): Promise<RunningAdminCli> {
  const env = { ...process.env };
  delete env.SESSION_STORE;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'admin', '--store', storeUrl, ...extra],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera-session admin printed no login URL:\n${stdout}\n${stderr}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const login = /Open this one-time login URL: (\S+)/.exec(stdout)?.[1];
      const url = / at (http:\S+)/.exec(stdout)?.[1];
      if (login === undefined || url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        loginUrl: login,
        output: () => ({ stdout, stderr }),
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tessera-session admin exited (${code}) early:\n${stdout}\n${stderr}`));
    });
  });
}
