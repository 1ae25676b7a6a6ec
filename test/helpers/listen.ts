/**
 * Serving a server made in Node (an Express app, a raw TCP server, …) on
 * 127.0.0.1 for the length of a test. It binds port 0 and reads the port the
 * kernel chose, so no other process can take the port in between. A program
 * that must be told its port goes through `startOnFreePort()` in `ports.ts`.
 *
 * @module
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { findClosedPort } from './ports.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Serves `handler` over HTTP on a port of 127.0.0.1 the kernel chooses. */
export async function listen(handler: RequestListener): Promise<RunningServer> {
  const server = createServer(handler);
  const port = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Makes `server` (HTTP or raw TCP) listen on a port of 127.0.0.1 the kernel chooses, and answers that port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * A port nothing listens on right now, for a client that must find it closed.
 * Not for a server to bind later: another process may take it first. Serve
 * with {@link listen}, {@link listenOnLoopback} or `startOnFreePort()` instead.
 */
export function freePort(): Promise<number> {
  return findClosedPort();
}
