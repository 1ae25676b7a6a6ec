/**
 * The options of `pageSessions()`, `countSessions()` and `describeSessions()`,
 * checked the same way by every store, and the cursor they page with.
 *
 * A cursor is the position of the last session of a page: its sort value (a
 * time in ms) and its store key, with the order it belongs to, in base64url.
 * It is opaque to callers but not secret: it holds no session id, only a
 * store key, which is a digest (never a usable cookie).
 *
 * @module
 */

import type {
  AsyncSessionStore,
  CountSessionsOptions,
  DescribeSessionsOptions,
  PageSessionsOptions,
  SessionListOrder,
  SessionSummary,
} from '../core/store.js';
import { describeValue } from './describe-value.js';

/** Sessions a page holds at most. */
export const MAX_PAGE_LIMIT = 1000;

/** Hours a {@link DescribeSessionsOptions} chart covers at most (31 days). */
export const MAX_OVERVIEW_HOURS = 24 * 31;

/** Users a {@link DescribeSessionsOptions} top list holds at most. */
export const MAX_OVERVIEW_TOP_USERS = 100;

/** Defaults of {@link PageSessionsOptions} (`limit` is required and has none). */
export const DEFAULT_PAGE_SESSIONS_OPTIONS: Readonly<{
  cursor: undefined;
  order: SessionListOrder;
  userId: undefined;
  onProgress: (examined: number) => void;
}> = Object.freeze({
  cursor: undefined,
  order: 'created',
  userId: undefined,
  onProgress: () => {},
});

/** Where a page starts: after this position in its order. */
export interface SessionPosition {
  /** The sort value: `createdAt` or `expiresAt`, per the order. */
  readonly value: number;
  /** The store key, which breaks ties. */
  readonly key: string;
}

/** The options a page is read with, once checked. */
export type ResolvedPageSessionsOptions = Readonly<{
  limit: number;
  /** Where the page starts; `undefined` for the first page. */
  after: SessionPosition | undefined;
  order: SessionListOrder;
  userId: string | undefined;
  onProgress: (examined: number) => void;
}>;

const PAGE_OPTIONS: ReadonlySet<string> = new Set([
  'limit',
  'cursor',
  'order',
  'userId',
  'onProgress',
]);
const ORDERS: ReadonlySet<string> = new Set<SessionListOrder>(['created', 'lastUsed']);
const ORDER_TAGS: Readonly<Record<SessionListOrder, string>> = Object.freeze({
  created: 'c',
  lastUsed: 'u',
});

/** The value a session sorts by in `order`. */
export function sortValueOf(
  session: Pick<SessionSummary, 'createdAt' | 'expiresAt'>,
  order: SessionListOrder,
): number {
  return order === 'created' ? session.createdAt : session.expiresAt;
}

/**
 * Whether `a` lists before `b`: the greater value first, and between equal
 * values the greater key, as SQL's `ORDER BY value DESC, key DESC` does.
 */
export function isPositionBefore(a: SessionPosition, b: SessionPosition): boolean {
  return a.value !== b.value ? a.value > b.value : a.key > b.key;
}

/** The cursor that continues after `position` in `order`. */
export function encodeSessionCursor(order: SessionListOrder, position: SessionPosition): string {
  const text = `${ORDER_TAGS[order]}.${position.value}.${position.key}`;
  return bytesToBase64Url(new TextEncoder().encode(text));
}

/**
 * The next page's cursor: after the last of `sessions` when the page is full
 * (there may be more), `null` otherwise.
 */
export function nextCursorOf(
  sessions: readonly SessionSummary[],
  limit: number,
  order: SessionListOrder,
): string | null {
  const last = sessions[sessions.length - 1];
  if (sessions.length < limit || last === undefined) return null;
  return encodeSessionCursor(order, { value: sortValueOf(last, order), key: last.key });
}

/**
 * Checks `options` (without changing them), decodes the cursor and fills in
 * the defaults.
 *
 * @throws TypeError or RangeError naming the option, for `store`'s method.
 */
export function resolvePageSessionsOptions(
  store: string,
  options: PageSessionsOptions,
): ResolvedPageSessionsOptions {
  const where = `${store} store: pageSessions()`;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where} takes an options object such as { limit: 50 }.`);
  }
  for (const name of Object.keys(options)) {
    if (!PAGE_OPTIONS.has(name)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(name)}; the options are limit, cursor, order, userId and onProgress.`,
      );
    }
  }
  const { limit, cursor, order, userId, onProgress } = options;
  if (!isIntegerIn(limit, 1, MAX_PAGE_LIMIT)) {
    throw new RangeError(
      `${where}: option "limit" must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${describeValue(limit)}. Pass e.g. 50.`,
    );
  }
  if (order !== undefined && !ORDERS.has(order as string)) {
    throw new TypeError(
      `${where}: option "order" must be 'created' or 'lastUsed', got ${describeValue(order)}.`,
    );
  }
  const resolvedOrder = order ?? DEFAULT_PAGE_SESSIONS_OPTIONS.order;
  checkUserId(where, userId);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(
      `${where}: option "onProgress" must be a function (examined) => void, got ${describeValue(onProgress)}.`,
    );
  }
  let after: SessionPosition | undefined;
  if (cursor !== undefined) {
    after = decodeSessionCursor(cursor, resolvedOrder);
    if (after === undefined) {
      throw new TypeError(
        `${where}: option "cursor" is not a cursor of a '${resolvedOrder}' listing; pass the nextCursor of the previous page with the same order, or leave it out for the first page.`,
      );
    }
  }
  return Object.freeze({
    limit,
    after,
    order: resolvedOrder,
    userId: userId ?? DEFAULT_PAGE_SESSIONS_OPTIONS.userId,
    onProgress: onProgress ?? DEFAULT_PAGE_SESSIONS_OPTIONS.onProgress,
  });
}

/**
 * The position `cursor` holds when it is a well-formed cursor of `order`;
 * `undefined` otherwise (cursors come back from clients: never an exception).
 */
export function decodeSessionCursor(
  cursor: unknown,
  order: SessionListOrder,
): SessionPosition | undefined {
  if (typeof cursor !== 'string' || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    return undefined;
  }
  const text = base64UrlToText(cursor);
  const match = text === undefined ? null : /^([cu])\.(\d{1,16})\.([\x21-\x7e]{1,256})$/.exec(text);
  if (match === null || match[1] !== ORDER_TAGS[order]) return undefined;
  const value = Number(match[2]);
  return Number.isSafeInteger(value) ? { value, key: match[3]! } : undefined;
}

/** Checks the options of `countSessions()`. */
export function resolveCountSessionsOptions(
  store: string,
  options: CountSessionsOptions | undefined,
): Readonly<{ userId: string | undefined }> {
  const where = `${store} store: countSessions()`;
  if (options === undefined) return Object.freeze({ userId: undefined });
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where} takes an options object such as { userId: 'u1' }, or none.`);
  }
  for (const name of Object.keys(options)) {
    if (name !== 'userId') {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(name)}; the option is userId.`,
      );
    }
  }
  checkUserId(where, options.userId);
  return Object.freeze({ userId: options.userId });
}

/** Checks the options of `describeSessions()`. */
export function resolveDescribeSessionsOptions(
  store: string,
  options: DescribeSessionsOptions,
): Readonly<DescribeSessionsOptions> {
  const where = `${store} store: describeSessions()`;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where} takes an options object such as { hours: 72, topUsers: 10 }.`);
  }
  for (const name of Object.keys(options)) {
    if (name !== 'hours' && name !== 'topUsers') {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(name)}; the options are hours and topUsers.`,
      );
    }
  }
  if (!isIntegerIn(options.hours, 1, MAX_OVERVIEW_HOURS)) {
    throw new RangeError(
      `${where}: option "hours" must be an integer from 1 to ${MAX_OVERVIEW_HOURS}, got ${describeValue(options.hours)}. Pass e.g. 72.`,
    );
  }
  if (!isIntegerIn(options.topUsers, 1, MAX_OVERVIEW_TOP_USERS)) {
    throw new RangeError(
      `${where}: option "topUsers" must be an integer from 1 to ${MAX_OVERVIEW_TOP_USERS}, got ${describeValue(options.topUsers)}. Pass e.g. 10.`,
    );
  }
  return Object.freeze({ hours: options.hours, topUsers: options.topUsers });
}

function checkUserId(where: string, userId: unknown): void {
  if (userId !== undefined && typeof userId !== 'string') {
    throw new TypeError(
      `${where}: option "userId" must be a string, got ${describeValue(userId)}. Leave it out for every user's sessions.`,
    );
  }
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

// btoa/atob exist on every runtime the stores run on (Node ≥ 16, Bun, Deno).
function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlToText(value: string): string | undefined {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The four statements of a SQL store's paging, one per case. */
export interface PageStatements<Statement> {
  /** Every user's sessions, first page. */
  readonly first: Statement;
  /** Every user's sessions, after a cursor. */
  readonly after: Statement;
  /** One user's sessions, first page. */
  readonly firstOfUser: Statement;
  /** One user's sessions, after a cursor. */
  readonly afterOfUser: Statement;
}

/** The statement of the page `options` ask for. */
export function choosePageStatement<Statement>(
  statements: PageStatements<Statement>,
  options: Pick<ResolvedPageSessionsOptions, 'userId' | 'after'>,
): Statement {
  if (options.userId === undefined) {
    return options.after === undefined ? statements.first : statements.after;
  }
  return options.after === undefined ? statements.firstOfUser : statements.afterOfUser;
}

/** The three listing methods of an asynchronous store, as the SQL stores build them from their statements. */
export type AsyncSessionListing = Required<
  Pick<AsyncSessionStore, 'pageSessions' | 'countSessions' | 'describeSessions'>
>;
