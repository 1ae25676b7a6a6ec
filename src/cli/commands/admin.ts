/**
 * `tessera-session admin [--port N] [--host H]`: serves the session admin
 * pages for the store, on 127.0.0.1 unless `--host` says otherwise, and
 * prints a one-time login URL. Runs until SIGINT or SIGTERM, then closes the
 * store.
 * @module
 */

import { maskStoreUrl } from '../../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, errorMessage } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { isLoopbackHost, serveAdmin } from '../serve-admin.js';

/** The address served on without `--host`: this machine only. */
export const DEFAULT_ADMIN_HOST = '127.0.0.1';

/**
 * Serves the admin until the process is told to stop. Exit 2 for a bad
 * `--port`; 1 when the store fails or lacks what the pages need.
 */
export async function runAdmin(input: CommandInput): Promise<number> {
  const { stdout, stderr, commandLine, storeUrl } = input;
  const port = readPort(commandLine.port);
  const host = commandLine.host ?? DEFAULT_ADMIN_HOST;
  if (host === '')
    throw new CliError(EXIT_USAGE, 'Option --host needs an address, e.g. 127.0.0.1.');
  return input.useStore(async (store) => {
    const served = await serveAdmin({ store, host, port }).catch((error: unknown) => {
      // Not the store's failure: the address is taken or cannot be bound.
      throw new CliError(
        EXIT_FAILURE,
        `Cannot serve the admin on ${host}:${port}: ${errorMessage(error)}. Pick another --port (0: any free port) or --host.`,
        { cause: error },
      );
    });
    // Listening before printing: whoever reads the URL may signal at once.
    const stopped = waitForStop();
    if (!isLoopbackHost(host)) {
      stderr.write(
        `Warning: serving on ${host}, not only on this machine: anyone who can reach it and gets the login URL can see and revoke sessions. Prefer the default (127.0.0.1) with an SSH tunnel.\n`,
      );
    }
    stdout.write(
      `Tessera session admin for ${maskStoreUrl(storeUrl)} at ${served.url}\n` +
        `Open this one-time login URL: ${served.loginUrl}\n` +
        'Press Ctrl+C to stop.\n',
    );
    await stopped;
    await served.close();
    return 0;
  });
}

function readPort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliError(
      EXIT_USAGE,
      `Option --port must be a port number from 0 to 65535 (0: any free port), got ${JSON.stringify(text)}.`,
    );
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForStop(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
