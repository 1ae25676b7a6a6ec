/**
 * `tessera-session inspect <session id>`: a live session's record as JSON, looked up
 * by the session cookie's value. Values are decoded as the session would see
 * them, so dates print as ISO strings.
 * @module
 */

import { digestSessionIdNode } from '../../adapters/node/digest.js';
import { decodeValue, isValidSessionId, type SessionRecord } from '../../core/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import type { CommandInput } from '../context.js';

/** Longest part of a rejected argument echoed back in the error message. */
const ECHO_LIMIT = 48;

/**
 * Prints the session as JSON. Exit 2 (before opening the store) when `id`
 * does not have the shape of a Tessera id; exit 1 when no live session has it.
 */
export async function runInspect(id: string, { stdout, useStore }: CommandInput): Promise<number> {
  const shown = id.length > ECHO_LIMIT ? `${id.slice(0, ECHO_LIMIT)}…` : id;
  if (!isValidSessionId(id)) {
    throw new CliError(
      EXIT_USAGE,
      `Not a Tessera session id: ${JSON.stringify(shown)}. ` +
        'Pass the session cookie\'s value: 32 characters of A-Z, a-z, 0-9, "-" and "_".',
    );
  }
  const key = digestSessionIdNode(id);
  const record = await useStore(async (store) => store.read(key));
  if (record === null) throw new CliError(EXIT_FAILURE, 'No live session with that id.');
  stdout.write(`${JSON.stringify(describeRecord(key, record), null, 2)}\n`);
  return 0;
}

/** The record as printed: dates as ISO strings, every data key (reserved `_…` ones too) decoded. */
function describeRecord(key: string, record: SessionRecord): object {
  const data: Record<string, unknown> = {};
  for (const name of Object.keys(record.data)) {
    // defineProperty, so a "__proto__" key stays plain data.
    Object.defineProperty(data, name, {
      value: decodeValue(record.data[name]!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    key,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    userId: record.userId,
    data,
  };
}
