/**
 * Private Redis servers for tests that must stop, restart or reconfigure one
 * (never the shared server): a single `redis-server` on a free loopback port in
 * its own temporary directory, or a Redis Cluster of three masters. Ports come
 * from `startOnFreePort()` (`ports.ts`): a port taken before redis-server binds
 * it is traded for another, and the server answering is checked to be the
 * process started (its `process_id`), never a foreign one.
 *
 * ```ts
 * const binaries = findRedisBinaries();
 * const redis = await startPrivateRedis({ password: 'secret' });
 * // … redis.url, redis.stop(), redis.start() …
 * await redis.remove();
 * ```
 *
 * @module
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type PortBoundProgram, startOnFreePort, startOnPort } from './ports.js';
import { createTempDir, type TempDir } from './temp-dir.js';

const run = promisify(execFile);

/** How long a server may take to say it is ready. */
const START_TIMEOUT_MS = 15_000;
/** How long a server may take to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** Whether `redis-server` and `redis-cli` can be run, and if not, why. */
export interface RedisBinaries {
  available: boolean;
  reason: string;
}

/** Looks for `redis-server` and `redis-cli` on the PATH. */
export function findRedisBinaries(): RedisBinaries {
  for (const binary of ['redis-server', 'redis-cli']) {
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) {
      return {
        available: false,
        reason: `${binary} not found on the PATH (${probe.error?.message ?? `exit ${probe.status}`}); install Redis (apt-get install redis-server)`,
      };
    }
  }
  return { available: true, reason: '' };
}

/** One private `redis-server`. */
export interface PrivateRedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, with the password when there is one. */
  readonly url: string;
  /** Its working directory (AOF files, cluster config). */
  readonly dir: string;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Stops it with SIGTERM, so it writes its append-only file, and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (reloading its append-only file). */
  start(): Promise<void>;
  /** Stops it if running and deletes its directory. */
  remove(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** `--requirepass`: clients must log in with this password. */
  password?: string;
  /**
   * Keep data across `stop()`/`start()`: append-only file, fsync'd on every
   * write (`--appendonly yes --appendfsync always`). Off: nothing is written to disk.
   */
  persistent?: boolean;
  /** Further `redis-server` arguments. */
  args?: readonly string[];
}

/** Starts a `redis-server` on a free port of 127.0.0.1 in a new temporary directory. */
export async function startPrivateRedis(
  options: PrivateRedisOptions = {},
): Promise<PrivateRedisServer> {
  const dir = await createTempDir('tessera-redis-');
  const extra = [
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ...(options.persistent === true
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
    ...(options.args ?? []),
  ];
  try {
    return await startServer(dir, () => extra, options.password);
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

/** A private Redis Cluster. */
export interface PrivateRedisCluster {
  /** Its masters. */
  readonly nodes: readonly PrivateRedisServer[];
  /** The masters' URLs, as `createCluster({ rootNodes })` takes them. */
  readonly rootNodes: readonly { url: string }[];
  /** Stops every node and deletes their directories. */
  remove(): Promise<void>;
}

/**
 * Starts `masters` cluster-enabled servers, joins them with
 * `redis-cli --cluster create` (no replicas), and waits until every node
 * reports `cluster_state:ok`.
 */
export async function startPrivateRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const nodes: PrivateRedisServer[] = [];
  const removeAll = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.remove()));
  };
  try {
    for (let index = 0; index < masters; index++) {
      const dir = await createTempDir('tessera-redis-cluster-');
      // One config file per port: a start that lost its port may have written one already.
      const args = (port: number) => [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '5000',
        '--appendonly',
        'no',
      ];
      try {
        nodes.push(await startServer(dir, args, undefined, CLUSTER_BUS_OFFSET));
      } catch (error) {
        await dir.remove();
        throw error;
      }
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    for (const node of nodes) await waitForClusterOk(node.port);
  } catch (error) {
    await removeAll();
    throw error;
  }
  return {
    nodes,
    rootNodes: nodes.map((node) => ({ url: node.url })),
    remove: removeAll,
  };
}

/** Runs `redis-cli` against a private server and answers its output. */
export async function redisCli(
  server: Pick<PrivateRedisServer, 'port'>,
  args: readonly string[],
  password?: string,
): Promise<string> {
  const auth = password === undefined ? [] : ['--no-auth-warning', '-a', password];
  const { stdout } = await run('redis-cli', ['-p', String(server.port), ...auth, ...args], {
    timeout: 10_000,
  });
  return stdout;
}

async function waitForClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await redisCli({ port }, ['cluster', 'info']).catch((error: unknown) => String(error));
    if (last.includes('cluster_state:ok')) return;
    await sleep(100);
  }
  throw new Error(`Redis Cluster node on port ${port} never reported cluster_state:ok:\n${last}`);
}

/** Redis Cluster's bus listens on the node's port + 10000. */
const CLUSTER_BUS_OFFSET = 10_000;

/**
 * Starts redis-server in `dir` on a free port (and port + `busOffset` when
 * given), waits until it accepts connections and checks it is the one answering.
 */
async function startServer(
  dir: TempDir,
  extra: (port: number) => readonly string[],
  password: string | undefined,
  busOffset?: number,
): Promise<PrivateRedisServer> {
  const program: PortBoundProgram<ChildProcess> = {
    name: 'redis-server',
    offsets: busOffset === undefined ? [] : [busOffset],
    start: (port) =>
      spawnUntilReady([
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir.path,
        '--save',
        '',
        '--daemonize',
        'no',
        '--logfile',
        '',
        ...extra(port),
      ]),
    verify: async (started, port) => {
      const info = await redisCli({ port }, ['INFO', 'server'], password);
      const pid = /^process_id:(\d+)/m.exec(info)?.[1];
      if (Number(pid) !== started.pid) {
        throw new Error(`process_id ${pid ?? 'missing'} answers, not ${started.pid}:\n${info}`);
      }
    },
    stop: terminate,
  };
  const first = await startOnFreePort(program);
  const { port } = first;
  let child: ChildProcess | undefined = first.started;
  const url =
    password === undefined
      ? `redis://127.0.0.1:${port}`
      : `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const server: PrivateRedisServer = {
    port,
    url,
    dir: dir.path,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      const current = child;
      child = undefined;
      if (current !== undefined) await terminate(current);
    },
    async start() {
      if (server.running) throw new Error(`redis-server on port ${port} is already running`);
      // The same port, which another process may have taken meanwhile: then this says so.
      child = await startOnPort(program, port);
    },
    async remove() {
      await server.stop();
      await dir.remove();
    },
  };
  return server;
}

function spawnUntilReady(args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`redis-server ${args.join(' ')} did not start: ${reason}\n${output}`));
    };
    const timer = setTimeout(
      () => fail(`not ready within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null): void => fail(`exited with code ${code}`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', onExit);
    child.once('error', (error) => fail(error.message));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
