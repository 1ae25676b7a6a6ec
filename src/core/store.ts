/**
 * The contract between the session core and a storage backend.
 *
 * A store is keyed by the **digest** of a session id (SHA-256, hex), never by
 * the id itself, so a copy of the store's contents yields no usable cookie
 * (Rack CVE-2019-16782). Every method may answer synchronously or with a
 * promise. See `docs/stores.md` for the full contract and how to test a store.
 *
 * @module
 */

/** A value as stores persist it: plain JSON. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Encoded session data: one entry per session key. Objects passed to and
 * returned from a store may contain the own property `"__proto__"` as plain
 * data; build them with {@link applyDelta} or `JSON.parse`, never by assignment.
 */
export type StoredData = Record<string, JsonValue>;

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** One stored session. */
export interface SessionRecord {
  /** The session's encoded data. */
  data: StoredData;
  /** When the record stops being valid, in milliseconds since the epoch. */
  expiresAt: number;
  /** When the session was first stored, in milliseconds since the epoch. */
  createdAt: number;
  /** The user the session belongs to (for per-user listing); `null` when anonymous. */
  userId: string | null;
}

/** The change a request made to an existing session. */
export interface SessionDelta {
  /** Keys to add or replace, with their new encoded values. */
  set: StoredData;
  /** Keys to remove. */
  remove: readonly string[];
  /** The record's new expiry, in milliseconds since the epoch. */
  expiresAt: number;
  /** The new owner; `undefined` leaves it unchanged. */
  userId?: string | null | undefined;
}

/** A session as listed for its user. */
export interface UserSessionInfo {
  /** The store key (digest of the id). */
  key: string;
  createdAt: number;
  expiresAt: number;
  data: StoredData;
}

/** A session as {@link SessionStore.listSessions} lists it: the record and its key. */
export interface SessionSummary {
  /** The store key (digest of the id): safe to show, never a usable cookie. */
  key: string;
  /** The user the session belongs to; `null` when anonymous. */
  userId: string | null;
  /** When the session was created (ms since the epoch). */
  createdAt: number;
  /** When it expires (ms since the epoch). */
  expiresAt: number;
  /** Its data, Tessera's own `_` keys included. */
  data: StoredData;
}

/** What {@link SessionStore.listSessions} lists. */
export interface ListSessionsOptions {
  /** Most sessions answered: the newest ones. A positive integer. */
  limit: number;
  /** Only this user's sessions. @defaultValue every session, anonymous ones included */
  userId?: string | undefined;
  /**
   * Called now and then with the number of records examined so far, by stores
   * that walk their records to find the newest (files, Redis); stores that
   * ask an index (SQL) never call it.
   *
   * @defaultValue none
   */
  onProgress?: ((examined: number) => void) | undefined;
}

/**
 * The order of {@link SessionStore.pageSessions}, newest first:
 * - `'created'`: by creation time (for a logged-in session, the login);
 * - `'lastUsed'`: by when the record's expiry was last written, which is the
 *   last visit that saved it (Tessera writes the expiry on every save, and on
 *   visits that only refresh it: `saveEveryRequest`, `idleTimeout`, `touchAfter`).
 *   Stores order by the stored expiry: with one lifetime for every session the
 *   same order as the last save.
 *
 * Ties are broken by the store key, descending, so the order is total and a
 * cursor never skips or repeats a session.
 */
export type SessionListOrder = 'created' | 'lastUsed';

/** What {@link SessionStore.pageSessions} lists: one page of live sessions. */
export interface PageSessionsOptions {
  /** Sessions per page: an integer from 1 to 1000. */
  limit: number;
  /**
   * Where the page starts: the `nextCursor` of the previous page, opaque.
   * A cursor is only valid for the same `order` and `userId`.
   *
   * @defaultValue the first page
   */
  cursor?: string | undefined;
  /** @defaultValue `'created'` */
  order?: SessionListOrder | undefined;
  /** Only this user's sessions. @defaultValue every session, anonymous ones included */
  userId?: string | undefined;
  /**
   * Called now and then with the number of records examined so far, by stores
   * that walk their records (files, Redis, memory); stores that ask an index
   * (SQL) never call it.
   *
   * @defaultValue none
   */
  onProgress?: ((examined: number) => void) | undefined;
}

/** One page of {@link SessionStore.pageSessions}. */
export interface SessionPage {
  /** The page's sessions, in the requested order. */
  sessions: SessionSummary[];
  /** Pass it as `cursor` for the next page; `null` when there is none. */
  nextCursor: string | null;
}

/** What {@link SessionStore.countSessions} counts. */
export interface CountSessionsOptions {
  /** Only this user's sessions. @defaultValue every live session */
  userId?: string | undefined;
}

/** What {@link SessionStore.describeSessions} summarizes. */
export interface DescribeSessionsOptions {
  /** Hours covered by the created / expiring charts: an integer from 1 to 24 × 31. */
  hours: number;
  /** Users in `topUsers`: an integer from 1 to 100. */
  topUsers: number;
}

/** A count of sessions in one hour of {@link SessionOverview}. */
export interface SessionHourCount {
  /** The hour's start, ms since the epoch (a multiple of 3,600,000, UTC). */
  hour: number;
  /** Live sessions in that hour. */
  sessions: number;
}

/** A bucket of the size histogram of {@link SessionOverview}. */
export interface SessionSizeBucket {
  /** Largest size counted in this bucket, in bytes of stored JSON data; `null` for the last, unbounded one. */
  upTo: number | null;
  /** Sessions of that size. */
  sessions: number;
}

/**
 * What an operator's overview shows (`tessera-session admin`): figures over the
 * live sessions of a store, read without loading every session at once.
 */
export interface SessionOverview {
  /** When the figures were taken (ms since the epoch). */
  at: number;
  /** Live sessions. */
  live: number;
  /** Distinct users with at least one live session. */
  users: number;
  /**
   * Live sessions by the hour they were created in: `hours` entries, oldest
   * first, the last one the hour of `at`; hours without any count 0.
   */
  createdPerHour: SessionHourCount[];
  /**
   * Live sessions by the hour their record expires in: `hours` entries from
   * the hour of `at` on; hours without any count 0.
   */
  expiringPerHour: SessionHourCount[];
  /** Histogram of data sizes, buckets in increasing order ({@link SESSION_SIZE_BUCKETS}). */
  sizes: SessionSizeBucket[];
  /**
   * How many sessions the size histogram measured: all of them, or a sample
   * when measuring all would take too long (stores say which in their docs).
   */
  sizesMeasured: number;
  /** The users with the most live sessions, most first (ties by user id). */
  topUsers: Array<{ userId: string; sessions: number }>;
}

/** Upper bounds (bytes) of the buckets of {@link SessionOverview.sizes}; a last, unbounded bucket follows. */
export const SESSION_SIZE_BUCKETS: readonly number[] = Object.freeze([
  256, 1024, 4096, 16_384, 65_536,
]);

/** Figures for `tessera-session stats`. */
export interface StoreStats {
  /** Records held, expired or not. */
  count: number;
  /** Records past their expiry that `clearExpired` would remove. */
  expired: number;
  /** Approximate bytes of session data held. */
  bytes: number;
}

/**
 * Options of {@link SessionStore.clearExpired}. A store uses what applies to
 * it and ignores the rest (the memory store removes everything at once).
 */
export interface ClearExpiredOptions {
  /**
   * Called with the number of records removed so far, after each batch, by
   * stores that remove in batches (SQLite, files, PostgreSQL, MySQL, Redis).
   *
   * @defaultValue none
   */
  onProgress?(removed: number): void;
  /**
   * Records removed per step: each batch is its own short statement,
   * transaction or walk, so a large cleanup never holds locks for long. A
   * positive integer; each store has its own default, exported as
   * `DEFAULT_CLEAR_EXPIRED_BATCH_SIZE` from its entry point.
   *
   * @defaultValue the store's own
   */
  batchSize?: number | undefined;
}

/** What {@link SessionStore.migrate} answers (what `npx tessera-session migrate` prints). */
export interface StoreMigrationResult {
  /** The table's name, for stores with a table. */
  readonly table?: string | undefined;
  /**
   * What was created, by this call or when the store opened, e.g.
   * `['table "tessera_sessions"']`; empty when everything was there.
   */
  readonly created: readonly string[];
}

/**
 * A session store. All methods take the store key: the digest of a session id.
 *
 * Guarantees every implementation must give (checked by the conformance suite
 * `tessera-session/testing/stores`, which every built-in store passes):
 * - `read` never returns an expired record, and returns a fresh copy each time
 *   (the caller may mutate it).
 * - `create` never overwrites: it answers `false` when the key exists.
 * - `update` applies the delta atomically and never resurrects: it answers
 *   `false` when the record is missing or expired, and then writes nothing.
 * - `rotate` checks and moves in one atomic step, and never resurrects either:
 *   `false` and no write when the old record is missing or expired; of two
 *   rotations of one key, exactly one answers `true`.
 * - `touch` only extends an existing record; `false` when it is missing.
 * - errors (store unreachable, …) are thrown/rejected, never swallowed.
 */
export interface SessionStore {
  /** A short name for messages, e.g. `"sqlite"`. */
  readonly name: string;
  /** The record, or `null` when missing or expired. */
  read(key: string): Awaitable<SessionRecord | null>;
  /** Stores a new record; `false` (and no write) when the key already exists. */
  create(key: string, record: SessionRecord): Awaitable<boolean>;
  /** Applies `delta` to an existing record; `false` (and no write) when missing or expired. */
  update(key: string, delta: SessionDelta): Awaitable<boolean>;
  /**
   * Moves a live session to a new key in one atomic step (`cycleKey()`,
   * `login()`): stores `record` under `newKey` and removes `oldKey`, answering
   * `true`; or answers `false` and writes nothing when `oldKey` is missing or
   * expired, because a concurrent logout, flush or `destroyUserSessions()` won.
   * Checking and writing separately would let a slow request bring a logged-out
   * session back under a new id. `newKey` is the digest of a fresh random id: a
   * store never overwrites it (it may throw if it exists). The per-user index
   * follows: `oldKey` leaves its owner's set, `newKey` joins `record.userId`'s.
   */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Awaitable<boolean>;
  /** Moves an existing record's expiry; `false` when missing or expired. */
  touch(key: string, expiresAt: number): Awaitable<boolean>;
  /** Removes a record; removing a missing record is not an error. */
  destroy(key: string): Awaitable<void>;
  /** Removes every expired record and answers how many were removed. */
  clearExpired(options?: ClearExpiredOptions): Awaitable<number>;
  /** Sessions of one user that have not expired (optional). */
  listUserSessions?(userId: string): Awaitable<UserSessionInfo[]>;
  /** Destroys every session of one user but `exceptKey`; answers how many (optional). */
  destroyUserSessions?(userId: string, options?: { exceptKey?: string }): Awaitable<number>;
  /**
   * The newest unexpired sessions, newest first (by creation, then key), at
   * most `options.limit` of them, optionally of one user only: what
   * `tessera-session list` shows (optional). Stores read no more than they must
   * to find them: `ORDER BY … LIMIT` in SQL, a bounded walk elsewhere.
   */
  listSessions?(options: ListSessionsOptions): Awaitable<SessionSummary[]>;
  /**
   * One page of live sessions, in `options.order`, optionally of one user
   * (optional). Cursor-based: a page starts after the last session of the
   * previous one, so sessions created or destroyed meanwhile never make a
   * page skip or repeat one. Memory stays bounded by `limit`: SQL stores read
   * one index range, walking stores (files, Redis `SCAN`, memory) keep at most
   * `limit` candidates while they walk. A malformed cursor is refused with a
   * `TypeError` naming the option.
   */
  pageSessions?(options: PageSessionsOptions): Awaitable<SessionPage>;
  /** How many live sessions there are, optionally of one user (optional). */
  countSessions?(options?: CountSessionsOptions): Awaitable<number>;
  /** Figures over the live sessions for an operator's overview (optional). */
  describeSessions?(options: DescribeSessionsOptions): Awaitable<SessionOverview>;
  /** Counts for `tessera-session stats` (optional). */
  stats?(): Awaitable<StoreStats>;
  /**
   * Connects and checks the backend (reachable, credentials, table present),
   * rejecting with a `SessionConfigError` that names the URL (password masked)
   * and what to check. Await it at startup to fail fast (optional; stores
   * without a connection leave it out).
   */
  ready?(): Promise<void>;
  /**
   * Creates what the store needs where missing (a table and its indexes, a
   * database file, a directory) and answers what it created: what
   * `npx tessera-session migrate` runs. Safe to run any number of times
   * (optional; stores without a schema leave it out).
   */
  migrate?(): Awaitable<StoreMigrationResult>;
  /** Releases what the store opened (connections, file handles). */
  close?(): Awaitable<void>;
}

/**
 * A {@link SessionStore} whose every method answers a promise: the stores that
 * talk to a server or to the disk (Redis, PostgreSQL, MySQL, files, cached).
 * Their interfaces extend it, or {@link AsyncSessionStoreWith} when they
 * always have some of the optional methods, and add only their extras. The
 * methods are those of {@link SessionStore}, with the same meaning.
 */
export interface AsyncSessionStore extends SessionStore {
  read(key: string): Promise<SessionRecord | null>;
  create(key: string, record: SessionRecord): Promise<boolean>;
  update(key: string, delta: SessionDelta): Promise<boolean>;
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  touch(key: string, expiresAt: number): Promise<boolean>;
  destroy(key: string): Promise<void>;
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  listUserSessions?(userId: string): Promise<UserSessionInfo[]>;
  destroyUserSessions?(userId: string, options?: { exceptKey?: string }): Promise<number>;
  listSessions?(options: ListSessionsOptions): Promise<SessionSummary[]>;
  stats?(): Promise<StoreStats>;
  pageSessions?(options: PageSessionsOptions): Promise<SessionPage>;
  countSessions?(options?: CountSessionsOptions): Promise<number>;
  describeSessions?(options: DescribeSessionsOptions): Promise<SessionOverview>;
  migrate?(): Promise<StoreMigrationResult>;
  close?(): Promise<void>;
}

/** The methods of {@link SessionStore} a store may leave out. */
export type OptionalSessionStoreMethod = {
  [K in keyof SessionStore]-?: object extends Pick<SessionStore, K> ? K : never;
}[keyof SessionStore];

/**
 * {@link AsyncSessionStore} with the optional methods named in `Present`
 * required: the type of a store that always has them.
 *
 * ```ts
 * interface MyStore extends AsyncSessionStoreWith<'listUserSessions' | 'close'> {
 *   readonly url: string;
 * }
 * ```
 */
export type AsyncSessionStoreWith<Present extends OptionalSessionStoreMethod> = AsyncSessionStore &
  Required<Pick<AsyncSessionStore, Present>>;

/**
 * Applies a delta to stored data and returns a new object; the input is not
 * changed. Keys such as `__proto__` stay plain data (defineProperty, not assignment).
 */
export function applyDelta(
  data: StoredData,
  delta: Pick<SessionDelta, 'set' | 'remove'>,
): StoredData {
  const result: StoredData = {};
  const removed = delta.remove.length > 0 ? new Set(delta.remove) : undefined;
  for (const key of Object.keys(data)) {
    if (!removed?.has(key) && !Object.hasOwn(delta.set, key)) setOwnEntry(result, key, data[key]!);
  }
  for (const key of Object.keys(delta.set)) setOwnEntry(result, key, delta.set[key]!);
  return result;
}

/** Sets an own enumerable property without ever invoking the `__proto__` setter. */
export function setOwnEntry(target: StoredData, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
