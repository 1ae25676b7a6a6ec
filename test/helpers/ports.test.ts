/**
 * `startOnFreePort()` against a real program: a small Node server in a child
 * process that must be told its port, answers every connection with its pid,
 * and exits with Node's EADDRINUSE message when the port is taken. Other
 * processes winning the race for a port are played by servers this test binds
 * on the chosen port just before the program starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from './listen.js';
import {
  findClosedPort,
  isPortTaken,
  type PortBoundProgram,
  PortTakenError,
  startOnFreePort,
  startOnPort,
} from './ports.js';

/** Listens on argv[1] (or, with argv[2] = 'elsewhere', on a port of its own), answering its pid. */
const PROGRAM = `
const net = require('node:net');
const server = net.createServer((socket) => socket.end(String(process.pid)));
const port = process.argv[2] === 'elsewhere' ? 0 : Number(process.argv[1]);
server.on('error', (error) => { console.error(error.message); process.exit(1); });
server.listen(port, '127.0.0.1', () => console.log('listening'));
`;

const children: ChildProcess[] = [];
const foreigners: Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) await stopChild(child);
  for (const server of foreigners.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Starts the program; resolves once it listens, rejects with its stderr when it exits. */
function spawnProgram(port: number, where: 'on the port' | 'elsewhere'): Promise<ChildProcess> {
  const args = ['-e', PROGRAM, String(port), ...(where === 'elsewhere' ? ['elsewhere'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`exited with code ${code}: ${stderr}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The pid the server on `port` answers with. */
function pidOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('end', () => resolve(Number(text)));
    socket.on('error', reject);
  });
}

/** Another process's server on `port`, answering with a pid that is not the program's. */
async function occupy(port: number): Promise<void> {
  const server = createServer((socket) => socket.end(String(process.pid)));
  foreigners.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

/** The program, where `beforeStart` runs before each start, and every port tried is recorded. */
function program(
  beforeStart: (port: number, attempt: number) => Promise<'on the port' | 'elsewhere'>,
): PortBoundProgram<ChildProcess> & { tried: number[] } {
  const tried: number[] = [];
  return {
    name: 'the pid server',
    tried,
    async start(port) {
      tried.push(port);
      return spawnProgram(port, await beforeStart(port, tried.length));
    },
    async verify(started, port) {
      const pid = await pidOn(port);
      if (pid !== started.pid) throw new Error(`pid ${pid} answers, not ${started.pid}`);
    },
    stop: stopChild,
  };
}

describe('startOnFreePort()', () => {
  it('starts the program on a port below the ephemeral range, where it is the one answering', async () => {
    const pidServer = program(async () => 'on the port');

    const { port, started } = await startOnFreePort(pidServer);

    expect(pidServer.tried).toEqual([port]);
    expect(await pidOn(port)).toBe(started.pid);
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(port).toBeLessThan(ephemeralLow ?? 65_536);
  });

  it('moves to another port when another process binds the port between the check and the start', async () => {
    const pidServer = program(async (port, attempt) => {
      if (attempt === 1) await occupy(port);
      return 'on the port';
    });

    const { port, started } = await startOnFreePort(pidServer);

    expect(pidServer.tried).toHaveLength(2);
    expect(port).toBe(pidServer.tried[1]);
    expect(await pidOn(port)).toBe(started.pid);
    expect(await pidOn(pidServer.tried[0]!)).toBe(process.pid); // still the other process's
  });

  it('never takes a foreign server on the port for the program, and stops the program that is not answering', async () => {
    const pidServer = program(async (port, attempt) => {
      if (attempt > 1) return 'on the port';
      await occupy(port);
      return 'elsewhere'; // it starts, but somewhere else: the port's answer is not its own
    });

    const { port, started } = await startOnFreePort(pidServer);

    expect(pidServer.tried).toHaveLength(2);
    expect(await pidOn(port)).toBe(started.pid);
    const [misled] = children;
    expect(misled?.pid).not.toBe(started.pid);
    expect(misled?.exitCode ?? misled?.signalCode).not.toBeNull();
  });

  it('gives up after 8 ports, listing why each failed', async () => {
    const pidServer = program(async (port) => {
      await occupy(port);
      return 'on the port';
    });

    const failure = await startOnFreePort(pidServer).catch((error: Error) => error);

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^the pid server found no free port in 8 attempts:/);
    expect((failure as Error).message).toContain(`port ${pidServer.tried[0]}: PortTakenError`);
  });

  it('passes on a failure that has nothing to do with the port', async () => {
    const broken: PortBoundProgram<null> = {
      name: 'a broken program',
      start: async () => {
        throw new Error('no such binary');
      },
      verify: async () => {},
      stop: async () => {},
    };

    await expect(startOnFreePort(broken)).rejects.toThrow('no such binary');
  });
});

describe('startOnPort() (a restart on the port a server had)', () => {
  it('says the port was taken when another process holds it now', async () => {
    const port = await findClosedPort();
    await occupy(port);

    const restart = startOnPort(
      program(async () => 'on the port'),
      port,
    );

    await expect(restart).rejects.toBeInstanceOf(PortTakenError);
    await expect(restart).rejects.toThrow(
      new RegExp(`the pid server could not bind port ${port}: .*EADDRINUSE`),
    );
  });
});

describe('findClosedPort()', () => {
  it('answers a port that refuses connections, with each offset port closed too', async () => {
    const port = await findClosedPort([10_000]);

    await expect(pidOn(port)).rejects.toThrow(/ECONNREFUSED/);
    await expect(pidOn(port + 10_000)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('recognises the ways programs say a port is taken', () => {
    expect(isPortTaken(new Error('listen EADDRINUSE: address already in use 127.0.0.1:1'))).toBe(
      true,
    );
    expect(isPortTaken('bind: Address already in use')).toBe(true);
    expect(isPortTaken(new PortTakenError('another server answers'))).toBe(true);
    expect(isPortTaken(new Error('ENOENT'))).toBe(false);
  });
});

describe('listenOnLoopback() (for servers made in Node)', () => {
  it('binds a port of 127.0.0.1 the kernel chooses, so there is nothing to race for', async () => {
    const server = createServer();
    foreigners.push(server);

    const port = await listenOnLoopback(server);

    expect(server.address()).toEqual({ address: '127.0.0.1', family: 'IPv4', port });
  });
});
