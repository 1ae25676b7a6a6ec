/**
 * A private PostgreSQL cluster for tests that must stop a server, or need
 * password authentication, without touching the shared one: `initdb` in a
 * temporary directory, `pg_ctl` to start and stop it on a free loopback port.
 * The port comes from `startOnFreePort()` (`ports.ts`): a port taken before
 * postgres binds it is traded for another, and the server answering is checked
 * to be ours (its `data_directory`), never a foreign one.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root the
 * binaries run as the `postgres` user (`runuser -u postgres --`), in a
 * directory handed over to that user.
 *
 * ```ts
 * const availability = privatePostgresAvailability();
 * describeWithServer(availability, 'outage', () => {
 *   let cluster: PrivatePostgres;
 *   beforeAll(async () => { cluster = await startPrivatePostgres(); });
 *   afterAll(() => cluster.remove());
 * });
 * ```
 *
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type PortBoundProgram, startOnFreePort, startOnPort } from './ports.js';
import type { ServerProbe } from './servers.js';

const run = promisify(execFile);

/** The superuser of the private cluster and its password (host connections use SCRAM). */
export const PRIVATE_POSTGRES_USER = 'postgres';
export const PRIVATE_POSTGRES_PASSWORD = 'tessera-private-secret';

/** A running (or stopped) private cluster. */
export interface PrivatePostgres {
  /** The loopback port it listens on, the same across restarts. */
  readonly port: number;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** The temporary directory holding the data directory, the socket and the log. */
  readonly directory: string;
  /** Starts the server again on the same port and data (after {@link stop}). */
  start(): Promise<void>;
  /** Stops the server (`pg_ctl stop -m fast`: open sessions are ended, data is kept). */
  stop(): Promise<void>;
  /**
   * Freezes the server and its backends (SIGSTOP): connections stay open but
   * nothing answers, like a host that hangs or a network that drops packets.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops the server if it runs and removes the directory. */
  remove(): Promise<void>;
}

/** Where `initdb` and `pg_ctl` are: the newest `/usr/lib/postgresql/<version>/bin`, else `PATH`. */
function findBinDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  for (const directory of (process.env.PATH ?? '').split(':')) {
    if (directory !== '' && existsSync(join(directory, 'initdb'))) return directory;
  }
  return undefined;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The superuser's URL for a private cluster on `port`. */
function urlFor(port: number): string {
  return `postgres://${PRIVATE_POSTGRES_USER}:${PRIVATE_POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Whether a private cluster can be started here, as a probe for `describeWithServer`. */
export function privatePostgresAvailability(): ServerProbe {
  const name = 'a private PostgreSQL cluster';
  const unavailable = (reason: string): ServerProbe => ({
    name,
    url: 'initdb',
    available: false,
    reason,
  });
  const bin = findBinDirectory();
  if (bin === undefined) {
    return unavailable('initdb and pg_ctl not found in /usr/lib/postgresql/*/bin nor on PATH');
  }
  if (!existsSync(join(bin, 'pg_ctl'))) return unavailable(`pg_ctl not found in ${bin}`);
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', PRIVATE_POSTGRES_USER], { stdio: 'ignore' });
      execFileSync('runuser', ['--help'], { stdio: 'ignore' });
    } catch {
      return unavailable(
        'running as root, where PostgreSQL needs a "postgres" user and runuser, and one is missing',
      );
    }
  }
  return { name, url: bin, available: true, reason: '' };
}

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
async function runBinary(bin: string, program: string, args: string[]): Promise<string> {
  const command = join(bin, program);
  const [file, fileArgs] = isRoot()
    ? ['runuser', ['-u', PRIVATE_POSTGRES_USER, '--', command, ...args]]
    : [command, args];
  try {
    const { stdout } = await run(file, fileArgs, { cwd: tmpdir(), timeout: 60_000 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Creates a cluster in a new temporary directory (SCRAM password
 * authentication for TCP, trust on its private socket) and starts it on a free port.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findBinDirectory();
  if (bin === undefined)
    throw new Error('initdb not found: check privatePostgresAvailability() first');
  const directory = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  const data = join(directory, 'data');
  const passwordFile = join(directory, 'password');
  writeFileSync(passwordFile, `${PRIVATE_POSTGRES_PASSWORD}\n`, { mode: 0o600 });
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', PRIVATE_POSTGRES_USER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', PRIVATE_POSTGRES_USER], { encoding: 'utf8' }));
    chownSync(directory, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  await runBinary(bin, 'initdb', [
    '--pgdata',
    data,
    '--username',
    PRIVATE_POSTGRES_USER,
    `--pwfile=${passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const log = join(directory, 'postgres.log');
  const program: PortBoundProgram<void> = {
    name: 'PostgreSQL',
    async start(port) {
      const logged = existsSync(log) ? statSync(log).size : 0;
      try {
        await runBinary(bin, 'pg_ctl', [
          '--pgdata',
          data,
          '--log',
          log,
          '--wait',
          '--timeout=60',
          '-o',
          // The socket in the private directory, so nothing touches /var/run/postgresql.
          `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off`,
          'start',
        ]);
      } catch (error) {
        // pg_ctl only says "could not start server": the reason, such as a taken port, is in the log.
        const reason = existsSync(log) ? readFileSync(log, 'utf8').slice(logged) : '';
        throw new Error(`${String(error)}\n${reason}`, { cause: error });
      }
    },
    async verify(_started, port) {
      const client = new pg.Client({
        connectionString: urlFor(port),
        connectionTimeoutMillis: 5_000,
      });
      try {
        await client.connect();
        const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
        if (rows[0]?.data_directory !== data) {
          throw new Error(`the cluster in ${rows[0]?.data_directory} answers, not ${data}`);
        }
      } finally {
        await client.end().catch(() => {});
      }
    },
    stop: async () => {
      await runBinary(bin, 'pg_ctl', ['--pgdata', data, '--mode=fast', '--wait', 'stop']);
    },
  };
  let port: number;
  try {
    ({ port } = await startOnFreePort(program));
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let running = true;
  let paused = false;
  /** The postmaster (first line of postmaster.pid) and the processes it started. */
  const serverProcesses = (): number[] => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
      encoding: 'utf8',
    })
      .split('\n')
      .map(Number)
      .filter((pid) => pid > 0);
    return [postmaster, ...children];
  };
  const cluster: PrivatePostgres = {
    port,
    url: urlFor(port),
    directory,
    async start() {
      // The same port, which another process may have taken meanwhile: then this says so.
      await startOnPort(program, port);
      running = true;
    },
    async stop() {
      await program.stop();
      running = false;
    },
    pause() {
      for (const pid of serverProcesses()) process.kill(pid, 'SIGSTOP');
      paused = true;
    },
    resume() {
      for (const pid of serverProcesses()) process.kill(pid, 'SIGCONT');
      paused = false;
    },
    async remove() {
      if (paused) cluster.resume();
      if (running) await cluster.stop().catch(() => {});
      await rm(directory, { recursive: true, force: true });
    },
  };
  return cluster;
}
