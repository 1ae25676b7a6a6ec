/** Starting and stopping one competitor's server process. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Competitor } from './competitors.js';
import { compiledFile } from './compile.js';
import { nodeCommand, SERVER_CORE } from './cpu.js';

const READY_TIMEOUT_MS = 20_000;

export interface RunningServer {
  competitor: Competitor;
  url: string;
  child: ChildProcess;
  /** Set when the process exited before it was stopped. */
  exited: string | null;
}

export async function startServer(competitor: Competitor, tmpDir: string): Promise<RunningServer> {
  const file = compiledFile(`servers/${competitor.name}`);
  const { command, args, cwd } = nodeCommand(SERVER_CORE, file);
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      ...competitor.env?.(tmpDir),
      // Port 0: the server binds whatever port is free and prints it, so nothing can take it in between.
      PORT: '0',
      NODE_ENV: 'production',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const server: RunningServer = { competitor, url: '', child, exited: null };
  child.on('exit', (code, signal) => {
    server.exited = `exited with ${signal ?? `code ${code}`}`;
  });
  server.url = await waitForReady(child, competitor.name);
  return server;
}

export async function stopServer(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function waitForReady(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`server ${name} ${reason}`));
    };
    const timer = setTimeout(() => fail('printed no ready line in time'), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? `code ${code}`}`));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /^ready (\S+)$/m.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
}
