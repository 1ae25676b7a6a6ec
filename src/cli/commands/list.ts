/**
 * `tessera-session list [--user ID] [--limit N] [--show-data] [--json]`: the
 * newest live sessions, newest first, with their store key, owner, creation
 * and expiry. Session values may hold secrets (CSRF tokens, anything the
 * application stored), so only their keys and size are shown unless
 * `--show-data` asks for them.
 * @module
 */

import type { SessionSummary } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { decodeData, describeDataShape } from '../decode-data.js';
import { createProgressReporter } from '../progress.js';

/** Sessions listed without `--limit`. */
export const DEFAULT_LIST_LIMIT = 50;

/** One session as `--json` prints it. */
interface ListedSession {
  key: string;
  userId: string | null;
  createdAt: string;
  expiresAt: string;
  /** The names of the session's data keys, reserved `_…` ones included. */
  dataKeys: string[];
  /** UTF-8 bytes of the data as stored (JSON). */
  dataBytes: number;
  /** The values, decoded; only with `--show-data`. */
  data?: Record<string, unknown>;
}

/**
 * Prints the sessions as a table (or a JSON array with `--json`). A store that
 * walks its records to find the newest (files, Redis) shows its progress on
 * stderr. Exit 1 when the store cannot list its sessions.
 */
export async function runList({
  stdout,
  stderr,
  commandLine,
  storeUrl,
  useStore,
}: CommandInput): Promise<number> {
  const limit = readLimit(commandLine.limit);
  const userId = commandLine.user;
  const progress = createProgressReporter(stderr, 'Examined');
  let sessions: SessionSummary[];
  try {
    sessions = await useStore(async (store) => {
      if (store.listSessions === undefined) {
        throw new CliError(EXIT_FAILURE, `The ${store.name} store cannot list its sessions.`);
      }
      return store.listSessions({
        limit,
        ...(userId === undefined ? {} : { userId }),
        onProgress: (examined) => progress.report(examined),
      });
    });
  } finally {
    progress.finish();
  }
  const listed = sessions.map((session) => describeSession(session, commandLine.showData));
  if (commandLine.json) {
    stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return 0;
  }
  const where = maskStoreUrl(storeUrl);
  if (listed.length === 0) {
    const whose = userId === undefined ? '' : ` of user ${JSON.stringify(userId)}`;
    stdout.write(`No live sessions${whose} in ${where}.\n`);
    return 0;
  }
  stdout.write(formatTable(listed));
  if (listed.length === limit) {
    stdout.write(`(the ${limit} newest; pass --limit to list more)\n`);
  }
  return 0;
}

/** `--limit`, checked: a positive whole number. */
function readLimit(given: string | undefined): number {
  if (given === undefined) return DEFAULT_LIST_LIMIT;
  const limit = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(limit) || limit < 1) {
    throw new CliError(
      EXIT_USAGE,
      `--limit must be a positive whole number, got ${JSON.stringify(given)}.\n` +
        'Run "tessera-session --help" for usage.',
    );
  }
  return limit;
}

function describeSession(session: SessionSummary, showData: boolean): ListedSession {
  const shape = describeDataShape(session.data);
  return {
    key: session.key,
    userId: session.userId,
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    dataKeys: shape.keys,
    dataBytes: shape.bytes,
    ...(showData ? { data: decodeData(session.data) } : {}),
  };
}

/** Columns padded to their widest cell; the data last, as long as it is. */
function formatTable(sessions: readonly ListedSession[]): string {
  const rows = sessions.map((session) => [
    session.key,
    session.userId ?? '-',
    session.createdAt,
    session.expiresAt,
    session.data === undefined ? describeKeys(session) : JSON.stringify(session.data),
  ]);
  const header = ['KEY', 'USER', 'CREATED', 'EXPIRES', 'DATA'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** `2 keys, 41 bytes: cart, name`: what the session holds, without the values. */
function describeKeys(session: ListedSession): string {
  const count = session.dataKeys.length;
  const size = `${count} ${count === 1 ? 'key' : 'keys'}, ${session.dataBytes} bytes`;
  return count === 0 ? size : `${size}: ${session.dataKeys.join(', ')}`;
}
