/**
 * `tessera-session inspect <session id or store key>`: a live session's record
 * as JSON, found by the session cookie's value or by the store key `list`
 * shows. Values are decoded as the session would see them, so dates print as
 * ISO strings. The output is JSON with or without `--json`.
 * @module
 */

import { maskStoreUrl } from '../../stores/index.js';
import { CliError, EXIT_FAILURE } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { decodeData } from '../decode-data.js';
import { readSessionArgument } from '../session-argument.js';

/**
 * Prints the session as JSON. Exit 2 (before opening the store) when
 * `argument` is neither a session id nor a store key; exit 1 when no live
 * session has it.
 */
export async function runInspect(
  argument: string,
  { stdout, storeUrl, useStore }: CommandInput,
): Promise<number> {
  const { key, kind } = readSessionArgument(argument);
  const record = await useStore(async (store) => store.read(key));
  if (record === null) {
    throw new CliError(
      EXIT_FAILURE,
      `No live session has that ${kind} in ${maskStoreUrl(storeUrl)}: it expired, was destroyed, ` +
        'or the session lives in another store.',
    );
  }
  const printed = {
    key,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    userId: record.userId,
    data: decodeData(record.data),
  };
  stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  return 0;
}
