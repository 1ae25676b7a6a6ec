/**
 * Runs an example app (examples/<name>/) the way its users run it: a copy of
 * the app with this repository's packed tarball installed as `tessera-session`,
 * its production build, and its production server on a free port, driven over
 * HTTP by the specs.
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
/** Runs a registry command again when the network, not the project, failed it. */
const RETRY_ON_NETWORK_ERROR = path.join(root, 'scripts', 'retry-on-network-error.sh');
/** Where prepared copies live (git-ignored); node_modules are kept between runs. */
const WORK = path.join(root, 'test-artifacts', 'examples');
/** Build output and local state that a copy never takes from the source folder. */
const NOT_COPIED = new Set([
  'node_modules',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.react-router',
  '.astro',
  '.data',
  'build',
  'dist',
]);
/** The Node major the frameworks are built and served with (they need ≥ 22). */
const EXAMPLES_NODE = process.env.EXAMPLES_NODE ?? '24';

/** An example app installed and built in its own folder. */
export interface PreparedExample {
  readonly name: string;
  /** The copy's folder. */
  readonly dir: string;
  /** PATH with the examples' Node first. */
  readonly path: string;
}

/** A production server of an example, started by {@link startExample}. */
export interface RunningExample {
  /** `http://127.0.0.1:<port>`; changes when a restart had to take another port. */
  readonly url: string;
  /** What the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops and starts the same build again (same env); answers the new URL. */
  restart(): Promise<string>;
}

/** Options of {@link startExample}. */
export interface StartOptions {
  /** The command, run in the copy's folder with the examples' Node first on PATH, e.g. `['node', 'build']`. */
  command: readonly string[];
  /** Extra environment (the port goes in `PORT`; `HOST` is 127.0.0.1). */
  env?: Record<string, string>;
  /** A path that answers once the server is ready. @default '/' */
  readyPath?: string;
}

let nodePath: string | undefined;

/** PATH with Node `EXAMPLES_NODE` (from the npm package `node@<major>`) first. */
export function examplesPath(): string {
  if (nodePath === undefined) {
    const execPath = execFileSync(
      'bash',
      [RETRY_ON_NETWORK_ERROR, 'npx', '-y', `node@${EXAMPLES_NODE}`, '-p', 'process.execPath'],
      { encoding: 'utf8' },
    ).trim();
    nodePath = `${path.dirname(execPath)}${path.delimiter}${process.env.PATH}`;
  }
  return nodePath;
}

/** Options of {@link prepareExample}. */
export interface PrepareOptions {
  /** Run the app's `build` script. @default true */
  build?: boolean;
}

/**
 * Copies examples/<name> to test-artifacts/examples/<name>, installs its
 * dependencies with the packed tarball (`TESSERA_TARBALL`, set by the global
 * setup) as `tessera-session`, and runs its `build` script. The install is
 * skipped when the copy already holds this tarball and these manifests (CI
 * installs every example in the background while other checks run).
 */
export async function prepareExample(
  name: string,
  options: PrepareOptions = {},
): Promise<PreparedExample> {
  const tarball = process.env.TESSERA_TARBALL;
  if (!tarball)
    throw new Error('TESSERA_TARBALL is not set: run with -c vitest.examples.config.ts');
  const source = path.join(root, 'examples', name);
  const dir = path.join(WORK, name);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (entry !== 'node_modules') rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  cpSync(source, dir, {
    recursive: true,
    filter: (from) => !NOT_COPIED.has(path.basename(from)) || from === source,
  });
  const manifestPath = path.join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, 'tessera-session': `file:${tarball}` };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const prepared: PreparedExample = { name, dir, path: examplesPath() };
  const stampPath = path.join(dir, 'node_modules', '.tessera-install-stamp');
  const stamp = installStamp(dir, tarball);
  if (!existsSync(stampPath) || readFileSync(stampPath, 'utf8') !== stamp) {
    await run(prepared, [
      'bash',
      RETRY_ON_NETWORK_ERROR,
      'npm',
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
    ]);
    writeFileSync(stampPath, stamp);
  }
  if (manifest.scripts?.build && options.build !== false) {
    await run(prepared, ['npm', 'run', 'build']);
  }
  return prepared;
}

/** What an install depends on: the manifests and the tarball (path, size, time). */
function installStamp(dir: string, tarball: string): string {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) {
    const manifest = path.join(dir, file);
    if (existsSync(manifest)) hash.update(readFileSync(manifest));
  }
  const { size, mtimeMs } = statSync(tarball);
  return `${hash.digest('hex')} ${tarball} ${size} ${mtimeMs}`;
}

/**
 * Runs a command in the copy (examples' Node first on PATH) and answers its
 * output; rejects with the output when it fails. Asynchronous: a framework
 * build takes minutes, and a blocked test worker would miss vitest's calls.
 */
export function run(
  prepared: PreparedExample,
  command: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, {
      cwd: prepared.dir,
      env: { ...process.env, ...env, PATH: prepared.path, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `${command.join(' ')} failed (${code}) in ${prepared.dir}:\n${output.slice(-8000)}`,
          ),
        );
    });
  });
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/**
 * Starts the example's production server on a free port: a random port is
 * tried and, if the server cannot bind it (another process took it), another,
 * never checked first and used later. Resolves once `readyPath` answers.
 */
export async function startExample(
  prepared: PreparedExample,
  options: StartOptions,
): Promise<RunningExample> {
  let child: ChildProcess | undefined;
  let url = '';
  let log = '';
  let port = 0;

  async function launch(preferredPort?: number): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      port =
        attempt === 0 && preferredPort
          ? preferredPort
          : 20_000 + Math.floor(Math.random() * 40_000);
      log = '';
      const [file, ...args] = options.command;
      const started = spawn(file!, args, {
        cwd: prepared.dir,
        env: {
          ...process.env,
          ...options.env,
          PATH: prepared.path,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
        },
        detached: true, // its own process group: stop() ends the server and anything it started
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.add(started);
      started.stdout?.on('data', (chunk) => {
        log += chunk;
      });
      started.stderr?.on('data', (chunk) => {
        log += chunk;
      });
      const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      started.once('exit', () => running.delete(started));
      const ready = await waitUntilReady(
        `http://127.0.0.1:${port}${options.readyPath ?? '/'}`,
        exited,
      );
      if (ready) {
        child = started;
        url = `http://127.0.0.1:${port}`;
        return;
      }
      killGroup(started, 'SIGKILL');
      if (!/EADDRINUSE|address already in use/i.test(log)) {
        throw new Error(
          `${options.command.join(' ')} did not start in ${prepared.dir}:\n${log.slice(-6000)}`,
        );
      }
    }
    throw new Error(`no free port for ${prepared.name} after 8 tries`);
  }

  async function stop(): Promise<void> {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    killGroup(current, 'SIGTERM');
    const timer = setTimeout(() => killGroup(current, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await launch();
  return {
    get url() {
      return url;
    },
    output: () => log,
    stop,
    async restart() {
      await stop();
      await launch(port);
      return url;
    },
  };
}

/** Polls `url` until it answers (any status); `false` when the process exits or 120 s pass. */
async function waitUntilReady(url: string, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 120_000;
  while (!gone && Date.now() < deadline) {
    try {
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return false;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
