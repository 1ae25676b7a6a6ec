import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A consumer app listening on a free port of 127.0.0.1. */
export interface RunningApp {
  port: number;
  /** Stops the server, then closes the session store. */
  close(): Promise<void>;
}

/** Closes anything with `close(callback)`, such as a `node:http` server. */
export function closeServer(server: { close(callback: (error?: Error) => void): unknown }) {
  return new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

/** Listens on port 0 of 127.0.0.1; `close` stops the server, then runs `closeStore`. */
export function listen(server: Server, closeStore: () => Promise<void>): Promise<RunningApp> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ port, close: () => closeServer(server).then(closeStore) });
    });
  });
}
