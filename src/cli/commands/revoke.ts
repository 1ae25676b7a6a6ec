/**
 * `tessera-session revoke <session id or store key> [--dry-run]` and
 * `tessera-session revoke --user ID [--dry-run]`: destroys one session, or
 * every session of one user ("log out everywhere"), and says how many live
 * sessions it revoked; for a user, the store keys of their sessions first.
 * `--dry-run` shows what would be revoked and revokes nothing. Revoking what
 * is already gone revokes 0 and is not an error, so the command can be run
 * again safely.
 * @module
 */

import type { SessionStore } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import { MAX_PAGE_LIMIT } from '../../stores/page-sessions-options.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { readSessionArgument } from '../session-argument.js';

/** A session of the user, as the revocation prints it. */
interface UserSessionLine {
  key: string;
  createdAt: number;
  expiresAt: number;
}

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
  const { dryRun } = commandLine;
  if ((argument === undefined) === (userId === undefined)) {
    throw new CliError(
      EXIT_USAGE,
      `"tessera-session revoke" takes a session id or store key, or --user <user id>${argument === undefined ? '' : ', not both'}.\n` +
        'Run "tessera-session --help" for usage.',
    );
  }
  const where = maskStoreUrl(storeUrl);
  const nothingDone = '(--dry-run: nothing was revoked)';
  if (userId !== undefined) {
    const whose = `of user ${JSON.stringify(userId)} in ${where}`;
    const { listed, revoked } = await useStore((store) => revokeUser(store, userId, dryRun));
    if (listed !== undefined) {
      stdout.write(
        listed
          .map(
            (session) =>
              `${session.key}  created ${isoDate(session.createdAt)}  expires ${isoDate(session.expiresAt)}\n`,
          )
          .join(''),
      );
    }
    stdout.write(
      dryRun
        ? `Would revoke ${countSessions(revoked)} ${whose} ${nothingDone}.\n`
        : `Revoked ${countSessions(revoked)} ${whose}.\n`,
    );
    return 0;
  }
  const { key, kind } = readSessionArgument(argument!);
  const wasLive = await useStore(async (store) => {
    const live = (await store.read(key)) !== null;
    // Destroyed even when expired: the record goes now rather than at the next clear-expired.
    if (!dryRun) await store.destroy(key);
    return live;
  });
  if (!wasLive) {
    const verb = dryRun ? 'Would revoke' : 'Revoked';
    stdout.write(`${verb} 0 sessions: no live session has that ${kind} in ${where}.\n`);
  } else if (dryRun) {
    stdout.write(`Would revoke 1 session in ${where} ${nothingDone}.\n`);
  } else {
    stdout.write(`Revoked 1 session in ${where}.\n`);
  }
  return 0;
}

/**
 * Lists the user's live sessions, then (unless `dryRun`) destroys them:
 * with `destroyUserSessions()` when the store has it (one call per user,
 * which also catches a session created since the listing), else one by one.
 * Answers the listing (`undefined` when the store cannot list by user) and
 * how many live sessions were (or would be) revoked.
 */
async function revokeUser(
  store: SessionStore,
  userId: string,
  dryRun: boolean,
): Promise<{ listed: UserSessionLine[] | undefined; revoked: number }> {
  const listed = await listUserSessions(store, userId);
  if (dryRun) {
    if (listed === undefined) {
      throw new CliError(
        EXIT_FAILURE,
        `The ${store.name} store cannot list sessions by user, so --dry-run cannot show them.`,
      );
    }
    return { listed, revoked: listed.length };
  }
  if (store.destroyUserSessions !== undefined) {
    return { listed, revoked: await store.destroyUserSessions(userId) };
  }
  if (listed === undefined) {
    throw new CliError(
      EXIT_FAILURE,
      `The ${store.name} store cannot find sessions by user; revoke them one by one.`,
    );
  }
  for (const { key } of listed) await store.destroy(key);
  return { listed, revoked: listed.length };
}

/**
 * Every live session of the user, newest first: page after page of
 * `pageSessions()`, else `listUserSessions()`; `undefined` when the store has neither.
 */
async function listUserSessions(
  store: SessionStore,
  userId: string,
): Promise<UserSessionLine[] | undefined> {
  if (store.pageSessions !== undefined) {
    const sessions: UserSessionLine[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.pageSessions({
        limit: MAX_PAGE_LIMIT,
        userId,
        ...(cursor === undefined ? {} : { cursor }),
      });
      sessions.push(...page.sessions);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return sessions;
  }
  if (store.listUserSessions === undefined) return undefined;
  const sessions = await store.listUserSessions(userId);
  return [...sessions].sort((a, b) => b.createdAt - a.createdAt);
}

function isoDate(time: number): string {
  return new Date(time).toISOString();
}

function countSessions(count: number): string {
  return `${count} ${count === 1 ? 'session' : 'sessions'}`;
}
