/**
 * `tessera-session stats`: how many sessions the store holds, how many of them
 * expired, and roughly how many bytes of data.
 * @module
 */

import { CliError, EXIT_FAILURE } from '../cli-error.js';
import type { CommandInput } from '../context.js';

/**
 * Prints `sessions: N`, `expired: N` and `bytes: N`, or with `--json` one
 * object `{ "sessions", "expired", "bytes" }`; exit 1 when the store has no `stats()`.
 */
export async function runStats({ stdout, commandLine, useStore }: CommandInput): Promise<number> {
  const stats = await useStore(async (store) => {
    if (store.stats === undefined) {
      throw new CliError(EXIT_FAILURE, `The ${store.name} store does not report statistics.`);
    }
    return store.stats();
  });
  if (commandLine.json) {
    const figures = { sessions: stats.count, expired: stats.expired, bytes: stats.bytes };
    stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } else {
    stdout.write(`sessions: ${stats.count}\nexpired: ${stats.expired}\nbytes: ${stats.bytes}\n`);
  }
  return 0;
}
