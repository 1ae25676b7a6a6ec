/**
 * Ports for the private servers tests start, chosen so that two never meet.
 *
 * A server written in Node binds port 0 and reads the port the kernel gave it
 * (`listen()` and `listenOnLoopback()` in `listen.ts`): nothing is chosen, so
 * nothing can be lost. A program such as redis-server, postgres or mariadbd
 * must be told a number, and a number found free can be taken by another
 * process before the program binds it. So {@link startOnFreePort}:
 *
 * - draws numbers below the kernel's ephemeral range, where port 0 and
 *   outgoing connections never land, and skips those something listens on;
 * - starts the program, and when it fails because the port is taken, tries
 *   another number;
 * - asks the server answering on the port for a marker only the process it
 *   started knows (its pid, its data directory), so that a foreign server on
 *   that port is never taken for ours.
 *
 * ```ts
 * const { port, started } = await startOnFreePort({
 *   name: 'redis-server',
 *   start: (port) => spawnRedis(port),
 *   verify: async (child, port) => { if (await pidOn(port) !== child.pid) throw new Error('not ours'); },
 *   stop: (child) => terminate(child),
 * });
 * ```
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** How a program is started on a port and recognised there. */
export interface PortBoundProgram<T> {
  /** What is started, for messages: `'redis-server'`, `'PostgreSQL'`, … */
  readonly name: string;
  /** Further ports the program binds at these offsets from its own (Redis Cluster's bus: `[10_000]`). */
  readonly offsets?: readonly number[];
  /** Starts the program on `port`; rejects when it did not start (with its log, which says when the port was taken). */
  start(port: number): Promise<T>;
  /** Resolves when the server answering on `port` is the one `start` started; rejects, saying what answered, otherwise. */
  verify(started: T, port: number): Promise<void>;
  /** Stops what `start` started, once verification found another server answering. */
  stop(started: T): Promise<void>;
}

/** The port was in use: another process bound it first, or answers on it. */
export class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

/** How many numbers {@link startOnFreePort} tries before it gives up. */
const START_ATTEMPTS = 8;

/** What a program logs when its port is taken: `EADDRINUSE`, or its text in Redis, PostgreSQL and MariaDB logs. */
const ADDRESS_IN_USE = /address already in use|EADDRINUSE/i;

/** Whether `error` says that a port was taken (a {@link PortTakenError}, or a program's "Address already in use"). */
export function isPortTaken(error: unknown): boolean {
  return error instanceof PortTakenError || ADDRESS_IN_USE.test(String(error));
}

/**
 * Starts `program` on a port nothing listened on, and answers that port and
 * what `start` answered. A start that fails because the port is taken, or a
 * server on the port that is not ours, moves on to another port.
 */
export async function startOnFreePort<T>(
  program: PortBoundProgram<T>,
): Promise<{ port: number; started: T }> {
  const failures: string[] = [];
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await findClosedPort(program.offsets);
    try {
      return { port, started: await startOnPort(program, port) };
    } catch (error) {
      if (!isPortTaken(error)) throw error;
      failures.push(`port ${port}: ${firstLine(error)}`);
    }
  }
  throw new Error(
    `${program.name} found no free port in ${START_ATTEMPTS} attempts:\n${failures.join('\n')}`,
  );
}

/**
 * Starts `program` on `port` (a restart on the port it had) and checks that
 * the server answering there is the one started.
 *
 * @throws PortTakenError when the port is taken, or another server answers on it.
 */
export async function startOnPort<T>(program: PortBoundProgram<T>, port: number): Promise<T> {
  let started: T;
  try {
    started = await program.start(port);
  } catch (error) {
    if (!isPortTaken(error)) throw error;
    throw new PortTakenError(`${program.name} could not bind port ${port}: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await program.verify(started, port);
  } catch (error) {
    await program.stop(started);
    throw new PortTakenError(
      `${program.name} started, but the server on port ${port} is another one: ${String(error)}`,
      { cause: error },
    );
  }
  return started;
}

/** Ports already handed out by this process, never drawn twice. */
const drawn = new Set<number>();

/**
 * A loopback port nothing listens on right now, nor on each `offsets` above
 * it, drawn below the ephemeral range. Right now only: for a port that must
 * refuse connections, or as a first guess for {@link startOnFreePort}.
 */
export async function findClosedPort(offsets: readonly number[] = []): Promise<number> {
  const [low, high] = candidateRange(Math.max(0, ...offsets));
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (drawn.has(port)) continue;
    const ports = [port, ...offsets.map((offset) => port + offset)];
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) {
      drawn.add(port);
      return port;
    }
  }
  throw new Error(`no closed loopback port found in ${low}–${high - 1}`);
}

/** The lowest port drawn: above the well-known and registered ports services commonly use. */
const LOWEST_PORT = 16_384;

/**
 * `[low, high)`: the ports below Linux's ephemeral range (read from /proc),
 * less `span` so that every offset port is below it too. Where that leaves too
 * few, or there is no /proc, ports up to 60 000 are drawn and the check and
 * retry alone keep servers apart.
 */
function candidateRange(span: number): [number, number] {
  let ephemeralLow = 0;
  try {
    ephemeralLow = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
  } catch {
    // Not Linux: no range to keep out of.
  }
  const high = ephemeralLow - span;
  return high - LOWEST_PORT >= 1_000 ? [LOWEST_PORT, high] : [LOWEST_PORT, 60_000 - span];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function firstLine(error: unknown): string {
  return String(error).split('\n')[0] ?? '';
}
