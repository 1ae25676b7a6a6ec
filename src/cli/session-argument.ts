/**
 * The session a command names: by its id (the session cookie's value, which
 * the store never holds) or by its store key (the id's SHA-256 digest, as
 * `tessera-session list` shows it).
 * @module
 */

import { digestSessionIdNode } from '../adapters/node/digest.js';
import { isValidSessionId } from '../core/index.js';
import { CliError, EXIT_USAGE } from './cli-error.js';

/** Longest part of a rejected argument echoed back in the error message. */
const ECHO_LIMIT = 48;
const STORE_KEY = /^[0-9a-f]{64}$/;

/** The session an argument names. */
export interface SessionArgument {
  /** Its store key. */
  key: string;
  /** How the argument named it, for messages. */
  kind: 'id' | 'key';
}

/**
 * The session `argument` names: a session id is digested as the session core
 * does; a store key is taken as it is. Anything else is a {@link CliError}
 * with exit code 2.
 */
export function readSessionArgument(argument: string): SessionArgument {
  // Before the checks: a failed `isValidSessionId` guard leaves no string type to shorten.
  const shown = argument.length > ECHO_LIMIT ? `${argument.slice(0, ECHO_LIMIT)}…` : argument;
  if (STORE_KEY.test(argument)) return { key: argument, kind: 'key' };
  if (isValidSessionId(argument)) return { key: digestSessionIdNode(argument), kind: 'id' };
  throw new CliError(
    EXIT_USAGE,
    `Not a Tessera session id or store key: ${JSON.stringify(shown)}. ` +
      'Pass the session cookie\'s value (32 characters of A-Z, a-z, 0-9, "-" and "_") ' +
      'or the store key "tessera-session list" shows (64 hex digits).',
  );
}
