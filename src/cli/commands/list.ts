/**
 * `tessera-session list [--user ID] [--order created|last-used] [--limit N]
 * [--cursor C] [--show-data] [--json [--paged]]`: one page of live sessions,
 * newest first (by creation, or by last use), with their store key, owner,
 * creation and expiry, and the command printing the next page. `list --count
 * [--user ID]` prints how many live sessions there are. Session values may
 * hold secrets (CSRF tokens, anything the application stored), so only their
 * keys and size are shown unless `--show-data` asks for them.
 * @module
 */

import type { SessionListOrder, SessionStore, SessionSummary } from '../../core/index.js';
import { maskStoreUrl } from '../../stores/index.js';
import { decodeSessionCursor, MAX_PAGE_LIMIT } from '../../stores/page-sessions-options.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from '../cli-error.js';
import type { CommandInput } from '../context.js';
import { decodeData, describeDataShape } from '../decode-data.js';
import type { CommandLine } from '../parse-command-line.js';
import { createProgressReporter } from '../progress.js';
import { quoteShellArgument } from '../shell-argument.js';

/** Sessions listed without `--limit`. */
export const DEFAULT_LIST_LIMIT = 50;

/** Sessions listed at most with `--limit`: a page of `pageSessions()`. */
export const MAX_LIST_LIMIT = MAX_PAGE_LIMIT;

/** `--order` as written, and the store's order it names. */
const ORDERS: Readonly<Record<string, SessionListOrder>> = Object.freeze({
  created: 'created',
  'last-used': 'lastUsed',
});

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

/** A page as the store answered it. */
interface ListedPage {
  sessions: SessionSummary[];
  /** The cursor of the next page; `null` on the last one. */
  nextCursor: string | null;
  /**
   * Whether a store without `pageSessions()` (listing only the newest) filled
   * the limit: there may be more, but no cursor to reach them.
   */
  cut: boolean;
}

/**
 * Prints one page as a table, then the command for the next page (or with
 * `--json` a JSON array, the next page's command on stderr; with `--json
 * --paged` one object `{ sessions, nextCursor }`). A store that walks its
 * records (files, Redis) shows its progress on stderr. Exit 2, before opening
 * the store, for a bad `--limit`, `--order` or `--cursor`; exit 1 when the
 * store cannot list (or count) its sessions.
 */
export async function runList(input: CommandInput): Promise<number> {
  const { stdout, stderr, commandLine, storeUrl, useStore } = input;
  if (commandLine.count) return runCount(input);
  if (commandLine.paged && !commandLine.json) {
    throw usageError('--paged only changes what --json prints; pass both.');
  }
  const limit = readLimit(commandLine.limit);
  const order = readOrder(commandLine.order);
  const cursor = readCursor(commandLine.cursor, order);
  const userId = commandLine.user;
  const progress = createProgressReporter(stderr, 'Examined');
  let page: ListedPage;
  try {
    page = await useStore((store) =>
      readPage(store, {
        limit,
        order,
        cursor,
        userId,
        onProgress: (examined) => progress.report(examined),
      }),
    );
  } finally {
    progress.finish();
  }
  const listed = page.sessions.map((session) => describeSession(session, commandLine.showData));
  const next = page.nextCursor === null ? undefined : nextPageCommand(commandLine, page.nextCursor);
  if (commandLine.json) {
    if (commandLine.paged) {
      stdout.write(
        `${JSON.stringify({ sessions: listed, nextCursor: page.nextCursor }, null, 2)}\n`,
      );
      return 0;
    }
    // stdout stays the JSON array it always was.
    stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    if (next !== undefined) stderr.write(`Next page: ${next}\n`);
    return 0;
  }
  const where = maskStoreUrl(storeUrl);
  if (listed.length === 0) {
    const whose = userId === undefined ? '' : ` of user ${JSON.stringify(userId)}`;
    stdout.write(`No ${cursor === undefined ? '' : 'more '}live sessions${whose} in ${where}.\n`);
    return 0;
  }
  stdout.write(formatTable(listed));
  if (next !== undefined) stdout.write(`Next page: ${next}\n`);
  if (page.cut) stdout.write(`(the ${limit} newest; pass --limit to list more)\n`);
  return 0;
}

/** `list --count`: the number of live sessions (of `--user`), or `{ "sessions": n }` with `--json`. */
async function runCount({ stdout, commandLine, useStore }: CommandInput): Promise<number> {
  const { limit, order, cursor, showData, paged, user: userId } = commandLine;
  if (limit !== undefined || order !== undefined || cursor !== undefined || showData || paged) {
    throw usageError('--count takes only --user, --json and --store beside it.');
  }
  const count = await useStore(async (store) => {
    if (store.countSessions === undefined) {
      throw new CliError(EXIT_FAILURE, `The ${store.name} store cannot count its sessions.`);
    }
    return store.countSessions(userId === undefined ? undefined : { userId });
  });
  stdout.write(commandLine.json ? `${JSON.stringify({ sessions: count })}\n` : `${count}\n`);
  return 0;
}

/** One page from `pageSessions()`, or the newest from `listSessions()` on a store without it. */
async function readPage(
  store: SessionStore,
  request: {
    limit: number;
    order: SessionListOrder;
    cursor: string | undefined;
    userId: string | undefined;
    onProgress: (examined: number) => void;
  },
): Promise<ListedPage> {
  const { limit, order, cursor, userId, onProgress } = request;
  const only = userId === undefined ? {} : { userId };
  if (store.pageSessions !== undefined) {
    const page = await store.pageSessions({
      limit,
      order,
      ...(cursor === undefined ? {} : { cursor }),
      ...only,
      onProgress,
    });
    return { ...page, cut: false };
  }
  if (store.listSessions === undefined) {
    throw new CliError(EXIT_FAILURE, `The ${store.name} store cannot list its sessions.`);
  }
  if (cursor !== undefined || order !== 'created') {
    throw new CliError(
      EXIT_FAILURE,
      `The ${store.name} store lists only the newest sessions by creation: it has no pageSessions(), ` +
        'so --cursor and --order last-used are unavailable; list more at once with --limit.',
    );
  }
  const sessions = await store.listSessions({ limit, ...only, onProgress });
  return { sessions, nextCursor: null, cut: sessions.length === limit };
}

/** The command that prints the page after this one: the same options, with `--cursor`. */
function nextPageCommand(commandLine: CommandLine, cursor: string): string {
  const words = ['tessera-session', 'list', '--cursor', cursor];
  if (commandLine.order !== undefined) words.push('--order', commandLine.order);
  if (commandLine.limit !== undefined) words.push('--limit', commandLine.limit);
  if (commandLine.user !== undefined) words.push('--user', commandLine.user);
  if (commandLine.showData) words.push('--show-data');
  if (commandLine.json) words.push('--json');
  // The URL as given, its password masked: never printed (type it again if it had one).
  if (commandLine.store !== undefined) words.push('--store', maskStoreUrl(commandLine.store));
  return words.map(quoteShellArgument).join(' ');
}

/** `--limit`, checked: a whole number from 1 to {@link MAX_LIST_LIMIT}. */
function readLimit(given: string | undefined): number {
  if (given === undefined) return DEFAULT_LIST_LIMIT;
  const limit = Number(given);
  if (!/^\d+$/.test(given) || !Number.isSafeInteger(limit) || limit < 1) {
    throw usageError(`--limit must be a positive whole number, got ${JSON.stringify(given)}.`);
  }
  if (limit > MAX_LIST_LIMIT) {
    throw usageError(
      `--limit must be at most ${MAX_LIST_LIMIT}, got ${given}; page through more with the --cursor each page prints.`,
    );
  }
  return limit;
}

/** `--order`, checked: `created` (the default) or `last-used`. */
function readOrder(given: string | undefined): SessionListOrder {
  if (given === undefined) return 'created';
  const order = Object.hasOwn(ORDERS, given) ? ORDERS[given] : undefined;
  if (order === undefined) {
    throw usageError(`--order must be "created" or "last-used", got ${JSON.stringify(given)}.`);
  }
  return order;
}

/** `--cursor`, checked to be a cursor of this order (a store would refuse it after opening). */
function readCursor(given: string | undefined, order: SessionListOrder): string | undefined {
  if (given === undefined || decodeSessionCursor(given, order) !== undefined) return given;
  throw usageError(
    `--cursor ${JSON.stringify(given)} is not a cursor of this listing: pass the one the previous page printed, with the same --order and --user.`,
  );
}

function usageError(message: string): CliError {
  return new CliError(EXIT_USAGE, `${message}\nRun "tessera-session --help" for usage.`);
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
