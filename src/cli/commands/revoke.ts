/**
 * `tessera-session revoke <session id or store key>` and
 * `tessera-session revoke --user ID`: destroys one session, or every session of
 * one user ("log out everywhere"), and says how many live sessions it revoked.
 * Revoking what is already gone revokes 0 and is not an error, so the command
 * can be run again safely.
 * @module
 */

import { maskStoreUrl } from '../../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { readSessionArgument } from '../session-argument.js';

/**
 * Revokes the session `argument` names, or with `--user` every session of
 * that user (then `argument` must be absent). Exit 2, before opening the
 * store, for neither or both; exit 1 when the store cannot find a user's sessions.
 */
export async function runRevoke(
  argument: string | undefined,
  { stdout, commandLine, storeUrl, useStore }: CommandInput,
): Promise<number> {
  const userId = commandLine.user;
  if ((argument === undefined) === (userId === undefined)) {
    throw new CliError(
      EXIT_USAGE,
      `"tessera-session revoke" takes a session id or store key, or --user <user id>${argument === undefined ? '' : ', not both'}.\n` +
        'Run "tessera-session --help" for usage.',
    );
  }
  const where = maskStoreUrl(storeUrl);
  if (userId !== undefined) {
    const revoked = await useStore(async (store) => {
      if (store.destroyUserSessions === undefined) {
        throw new CliError(
          EXIT_FAILURE,
          `The ${store.name} store cannot find sessions by user; revoke them one by one.`,
        );
      }
      return store.destroyUserSessions(userId);
    });
    stdout.write(
      `Revoked ${countSessions(revoked)} of user ${JSON.stringify(userId)} in ${where}.\n`,
    );
    return 0;
  }
  const { key, kind } = readSessionArgument(argument!);
  const wasLive = await useStore(async (store) => {
    const live = (await store.read(key)) !== null;
    // Destroyed even when expired: the record goes now rather than at the next clear-expired.
    await store.destroy(key);
    return live;
  });
  if (wasLive) {
    stdout.write(`Revoked 1 session in ${where}.\n`);
  } else {
    stdout.write(`Revoked 0 sessions: no live session has that ${kind} in ${where}.\n`);
  }
  return 0;
}

function countSessions(count: number): string {
  return `${count} ${count === 1 ? 'session' : 'sessions'}`;
}
