/**
 * Starting the demo server (`examples/demo/server.ts`) as a child process, as
 * `npm start` would, and stopping it again.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LISTENING = /Tessera demo listening on (http:\/\/localhost:\d+)/;

export interface DemoProcess {
  /** The URL the server printed, e.g. `http://localhost:41234`. */
  baseUrl: string;
  /** Everything the process wrote so far. */
  output(): string;
  /** Sends SIGTERM and waits for the process to exit; answers its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `node --import tsx examples/demo/server.ts` with `env` added to the
 * environment, and waits for its "listening" line. A server that has not
 * started within `startupLimitMs` is killed and the promise rejects.
 */
export function spawnDemoServer(
  env: Record<string, string>,
  startupLimitMs = 20_000,
): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };

  return new Promise<DemoProcess>((resolve, reject) => {
    const limit = setTimeout(() => {
      void stop();
      reject(new Error(`Demo server did not start within ${startupLimitMs} ms:\n${output}`));
    }, startupLimitMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        clearTimeout(limit);
        resolve({ baseUrl: match[1], output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(limit);
      reject(new Error(`Demo server exited with code ${code} before listening:\n${output}`));
    });
  });
}
