/**
 * Serves a `fetch` handler with the runtime's own server: `Bun.serve` on Bun,
 * `Deno.serve` on Deno, `@hono/node-server` on Node. The runtimes' globals are
 * typed here by what is used of them, so the example needs no Bun or Deno
 * type packages.
 *
 * @module
 */

/** A Web-standard request handler, as `app.fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where to listen. */
export interface ListenOptions {
  port: number;
  hostname: string;
}

/** A server started by {@link serveOnRuntime}. */
export interface RunningServer {
  /** The runtime and its version, e.g. `Bun 1.4.5`. */
  runtime: string;
  /** Stops accepting connections. */
  close(): Promise<void>;
}

interface BunGlobal {
  version: string;
  serve(options: { fetch: FetchHandler; port: number; hostname: string }): {
    stop(closeActiveConnections?: boolean): Promise<void> | void;
  };
}

interface DenoGlobal {
  version: { deno: string };
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: FetchHandler,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
}

/** The runtime this code runs on, e.g. `Node 24.11.0`. */
export function describeRuntime(): string {
  const { Bun, Deno } = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };
  if (Bun !== undefined) return `Bun ${Bun.version}`;
  if (Deno !== undefined) return `Deno ${Deno.version.deno}`;
  return `Node ${process.versions.node}`;
}

/** Starts the runtime's HTTP server; resolves once it listens. */
export async function serveOnRuntime(
  fetch: FetchHandler,
  options: ListenOptions,
): Promise<RunningServer> {
  const runtime = describeRuntime();
  const { Bun, Deno } = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };
  if (Bun !== undefined) {
    const server = Bun.serve({ fetch, port: options.port, hostname: options.hostname });
    return { runtime, close: async () => server.stop() };
  }
  if (Deno !== undefined) {
    // Deno.serve listens before it returns (and throws AddrInUse then); onListen
    // replaces its own "Listening on" line with server.ts's.
    const server = Deno.serve({ ...options, onListen: () => {} }, fetch);
    return { runtime, close: () => server.shutdown() };
  }
  const { serve } = await import('@hono/node-server');
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch, port: options.port, hostname: options.hostname }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  return {
    runtime,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
