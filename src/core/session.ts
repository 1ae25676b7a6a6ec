/**
 * The per-request session: a dict with Django's and Pyramid's semantics.
 * It does no I/O; the session manager loads it and saves what changed.
 * @module
 */

import { SessionConfigError } from './errors.js';
import { computeExpiryAge, computeExpiryDate, type StoredExpiry } from './expiry.js';
import { generateRandomToken, isSameSecret } from './random-token.js';
import {
  CSRF_KEY,
  EXPIRY_KEY,
  FLASH_PREFIX,
  isReservedKey,
  TEST_COOKIE_KEY,
  TEST_COOKIE_VALUE,
} from './reserved-keys.js';
import { SessionState, type SessionStateInit } from './session-state.js';

/** The shape of a session's data; narrow it with a generic: `Session<{ counter: number }>`. */
// biome-ignore lint/suspicious/noExplicitAny: the untyped default must accept any key/value, as Django's dict does
export type SessionData = Record<string, any>;

/** Options of {@link Session.flash}. */
export interface FlashOptions {
  /** The queue to add to. @default '' */
  queue?: string;
  /** Add the message even when the queue already holds it. @default true */
  allowDuplicate?: boolean;
}

/** @internal The session's state, for the commit engine; not part of the public API. */
export const kState: unique symbol = Symbol('tessera.session.state');

/** @internal Sets what `session.save()` runs: `hook(context)`. */
export const kBindSave: unique symbol = Symbol('tessera.session.bindSave');

/** @internal What `session.save()` runs, given the session and the context it was bound with. */
export type SaveHook<C> = (session: Session, context: C) => Promise<void>;

/** @internal What a session needs of the configuration to answer its expiry questions. */
export interface SessionPolicy {
  readonly cookieAge: number;
  readonly expireAtBrowserClose: boolean;
}

/** The keys of a session's data that are strings: what `get`, `set` and the iterators name. */
export type Key<Data> = keyof Data & string;

/**
 * The keys of session type `S`'s data: `'visits' | 'cart'` for a
 * `Session<{ visits: number; cart: string[] }>`, `string` for an untyped `Session`.
 * The type of {@link Session.keys}.
 */
export type SessionKey<S> = S extends Session<infer Data> ? Key<Data> : never;

/** The values of session type `S`'s data (`any` for an untyped `Session`). The type of {@link Session.values}. */
export type SessionValue<S> = S extends Session<infer Data> ? Data[Key<Data>] : never;

/**
 * A session whatever its data type. The same as `Session`, which accepts every
 * `Session<Data>`; kept for code written when it did not.
 */
export type AnySession = Session;

/**
 * One visitor's session. Reads never touch the store; changes are saved when
 * the response goes out, as a delta of the keys that changed, including
 * changes made inside objects obtained with {@link Session.get}.
 *
 * A typed `Session<MyData>` is a `Session`: it is accepted wherever a session
 * is taken (`manager.save(session)`, `manager.commit(session)`, your own
 * `(session: Session) => …` helpers), while `get`/`set` stay typed by `MyData`.
 * The compiler holds that promise through the `out` annotation: the key lists
 * ({@link Session.keys}, {@link Session.entries}) are typed from `this` ({@link SessionKey})
 * rather than from `keyof Data`, which would make `Data` contravariant.
 */
export class Session<out Data extends SessionData = SessionData> {
  /** @internal */
  readonly [kState]: SessionState;
  readonly #cookieAge: number;
  readonly #expireAtBrowserClose: boolean;
  #save: SaveHook<unknown> | undefined = undefined;
  #saveContext: unknown = undefined;

  /** @internal Sessions are made by the session manager, not by applications. */
  constructor(init: SessionStateInit, policy: SessionPolicy) {
    this[kState] = new SessionState(init);
    this.#cookieAge = policy.cookieAge;
    this.#expireAtBrowserClose = policy.expireAtBrowserClose;
  }

  /** @internal One hook per manager or adapter, the per-request part in `context`: no closure per request. */
  [kBindSave]<C>(hook: SaveHook<C>, context: C): void {
    this.#save = hook as SaveHook<unknown>;
    this.#saveContext = context;
  }

  // ---- state -------------------------------------------------------------

  /** The session id; `undefined` until the session is first saved. */
  get id(): string | undefined {
    return this[kState].id;
  }

  /** True until the session has been stored by an earlier request. */
  get isNew(): boolean {
    const state = this[kState];
    return state.id === undefined || state.createdNow;
  }

  /** True once data was changed or removed (nested changes are found when saving). */
  get modified(): boolean {
    return this[kState].modified;
  }

  /** Setting `true` forces a full save, as Django's `request.session.modified = True`. */
  set modified(value: boolean) {
    this[kState].setModified(value);
  }

  /** True once the data was read or written during this request. */
  get accessed(): boolean {
    return this[kState].accessed;
  }

  /** When the session was created. */
  get createdAt(): Date {
    return new Date(this[kState].createdAt);
  }

  /** The user the session belongs to, if an application recorded one. */
  get userId(): string | null {
    this[kState].use();
    return this[kState].userId;
  }

  // ---- dict --------------------------------------------------------------

  /** The value of `key`, or `defaultValue` (else `undefined`) when absent. */
  get<K extends Key<Data>>(key: K): Data[K] | undefined;
  get<K extends Key<Data>>(key: K, defaultValue: Data[K]): Data[K];
  get<K extends Key<Data>>(key: K, defaultValue?: Data[K]): Data[K] | undefined {
    checkUserKey(key);
    return this.#read(key, defaultValue) as Data[K] | undefined;
  }

  /** Stores `value` under `key`. Throws when the value cannot be stored, naming the key. */
  set<K extends Key<Data>>(key: K, value: Data[K]): void {
    checkUserKey(key);
    this.#write(key, value);
  }

  /** Whether `key` is present. */
  has(key: Key<Data>): boolean {
    checkUserKey(key);
    return this[kState].has(key);
  }

  /** Removes `key`; answers whether it was present. */
  delete(key: Key<Data>): boolean {
    checkUserKey(key);
    return this[kState].remove(key);
  }

  /**
   * Removes `key` and returns its value; when absent, returns `defaultValue`,
   * else `undefined`. Unlike Python's `dict.pop`, a missing key without a
   * default does not throw: as `Map.get` does in JavaScript, it answers
   * `undefined`, which the return type makes the caller handle.
   */
  pop<K extends Key<Data>>(key: K): Data[K] | undefined;
  pop<K extends Key<Data>>(key: K, defaultValue: Data[K]): Data[K];
  pop<K extends Key<Data>>(key: K, defaultValue?: Data[K]): Data[K] | undefined {
    checkUserKey(key);
    const state = this[kState];
    if (!state.has(key)) return defaultValue;
    const value = state.read(key, undefined) as Data[K];
    state.remove(key);
    return value;
  }

  /** Returns the value of `key`; when absent, stores `value` first and returns it. */
  setDefault<K extends Key<Data>>(key: K, value: Data[K]): Data[K] {
    checkUserKey(key);
    if (this[kState].has(key)) return this.#read(key, undefined) as Data[K];
    this.#write(key, value);
    return value;
  }

  /** Stores every entry of `values`. */
  update(values: Partial<Data>): void {
    for (const key of Object.keys(values)) checkUserKey(key);
    for (const key of Object.keys(values)) this.#write(key, values[key]);
  }

  /** The keys, without Tessera's reserved ones. */
  keys(): SessionKey<this>[] {
    return this[kState].keys().filter(isUserKey) as SessionKey<this>[];
  }

  /** The values, in key order. */
  values(): SessionValue<this>[] {
    return this.keys().map((key) => this.#read(key, undefined) as SessionValue<this>);
  }

  /** `[key, value]` pairs. */
  entries(): [SessionKey<this>, SessionValue<this>][] {
    return this.keys().map((key) => [key, this.#read(key, undefined) as SessionValue<this>]);
  }

  /** `for (const [key, value] of session)`: the {@link Session.entries}. */
  [Symbol.iterator](): IterableIterator<[SessionKey<this>, SessionValue<this>]> {
    return this.entries()[Symbol.iterator]();
  }

  /** How many keys the application stored. */
  get size(): number {
    return this.keys().length;
  }

  /** True when the session holds no data at all (nothing would be stored). */
  get isEmpty(): boolean {
    this[kState].use();
    return this[kState].size === 0;
  }

  /** Removes all data, Tessera's own keys included; the id stays (see {@link flush}). */
  clear(): void {
    const state = this[kState];
    for (const key of state.keys()) state.remove(key);
  }

  // ---- lifecycle -----------------------------------------------------------

  /**
   * Removes all data, deletes the stored session and the cookie. The old id is
   * dead from now on; data set afterwards goes to a new session with a new id.
   */
  flush(): void {
    this[kState].flush();
  }

  /**
   * Keeps the data under a new id and deletes the old record. Call it when
   * privileges change (login): it defeats session fixation.
   */
  cycleKey(): void {
    const state = this[kState];
    state.cycle();
    // A token seen before the privilege change (e.g. planted on a login form) must not outlive it.
    if (state.has(CSRF_KEY)) this.rotateCsrfToken();
  }

  /**
   * Logs `userId` in: cycles the key (the pre-login id dies, so an id an
   * attacker planted never becomes the logged-in session: passport
   * CVE-2022-25896, PHP CVE-2011-4718), rotates the CSRF token, and records
   * the user as the owner ({@link Session.userId}), which the store indexes for
   * `manager.listUserSessions()` / `destroyUserSessions()`. The data is kept
   * (e.g. a cart); call {@link flush} first to drop it.
   * Throws a `TypeError` when `userId` is not a non-empty string.
   */
  login(userId: string): void {
    if (typeof userId !== 'string' || userId === '') {
      throw new TypeError(
        `session.login() takes the user's id as a non-empty string; got ${describeUserId(userId)}. ` +
          'Convert numeric ids with String(id).',
      );
    }
    this.cycleKey();
    this.rotateCsrfToken();
    this[kState].setUser(userId);
  }

  /**
   * Logs out: the same as {@link flush}. Data, record and cookie are gone and
   * the old id is dead, so a copied cookie replayed afterwards gets a fresh,
   * empty session (CVE-2024-31999; passport CVE-2022-25896).
   */
  logout(): void {
    this.flush();
  }

  /** Alias of {@link cycleKey}, for express-session users. */
  regenerate(): void {
    this.cycleKey();
  }

  /**
   * Saves now instead of when the response goes out, e.g. before streaming a
   * response. Adapters also send the cookie headers if they still can.
   */
  async save(): Promise<void> {
    if (this.#save === undefined) {
      throw new SessionConfigError(
        'This session is not bound to a manager; use manager.save(session).',
      );
    }
    await this.#save(this, this.#saveContext);
  }

  // ---- expiry (Django semantics) ------------------------------------------

  /**
   * Sets when this session expires: seconds of inactivity, a `Date`, `0` for
   * "when the browser closes", or `null` to return to the configured default.
   */
  setExpiry(value: number | Date | null): void {
    if (value === null) {
      this.#remove(EXPIRY_KEY);
      return;
    }
    if (
      value instanceof Date ? Number.isNaN(value.getTime()) : !Number.isInteger(value) || value < 0
    ) {
      throw new TypeError(
        'setExpiry() takes a whole number of seconds ≥ 0, a valid Date, or null.',
      );
    }
    this.#write(EXPIRY_KEY, value);
  }

  /** Seconds until the session expires, counted from now. */
  getExpiryAge(): number {
    return computeExpiryAge(this.#storedExpiry(), this.#cookieAge, Date.now());
  }

  /** When the session expires. */
  getExpiryDate(): Date {
    return computeExpiryDate(this.#storedExpiry(), this.#cookieAge, Date.now());
  }

  /** True when the cookie lasts only until the browser closes. */
  get expiresAtBrowserClose(): boolean {
    const expiry = this.#storedExpiry();
    return expiry === undefined ? this.#expireAtBrowserClose : expiry === 0;
  }

  // ---- test cookie (Django) -------------------------------------------------

  /** Sets a marker to check on the next request whether the browser keeps cookies. */
  setTestCookie(): void {
    this.#write(TEST_COOKIE_KEY, TEST_COOKIE_VALUE);
  }

  /** True when the marker set by {@link setTestCookie} on an earlier request came back. */
  testCookieWorked(): boolean {
    return this.#read(TEST_COOKIE_KEY, undefined) === TEST_COOKIE_VALUE;
  }

  /** Removes the marker. */
  deleteTestCookie(): void {
    this.#remove(TEST_COOKIE_KEY);
  }

  // ---- CSRF (Pyramid's get_csrf_token / new_csrf_token) ---------------------------

  /**
   * The session's CSRF token (Pyramid's `get_csrf_token`): 32 random bytes,
   * base64url. Created on first use, which modifies the session (it is stored
   * under the reserved key `_csrf`), and the same value afterwards until
   * {@link rotateCsrfToken}, {@link cycleKey}, {@link login} or {@link flush}.
   * Put it in forms as the field `_csrf` or send it as the `X-CSRF-Token` header.
   */
  csrfToken(): string {
    const token = this.#read(CSRF_KEY, undefined);
    return typeof token === 'string' && token !== '' ? token : this.rotateCsrfToken();
  }

  /** Replaces the CSRF token with a fresh one and returns it (Pyramid's `new_csrf_token`). */
  rotateCsrfToken(): string {
    const token = generateRandomToken();
    this.#write(CSRF_KEY, token);
    return token;
  }

  /**
   * Whether `candidate` is this session's CSRF token, compared in constant
   * time. `false` for anything but a string, and when the session has no
   * token (checking never creates one).
   */
  isValidCsrfToken(candidate: unknown): boolean {
    const token = this.#read(CSRF_KEY, undefined);
    return typeof token === 'string' && isSameSecret(token, candidate);
  }

  // ---- flash messages (Pyramid) ----------------------------------------------

  /** Queues a message to show on a later request (after a redirect). */
  flash(message: unknown, options: FlashOptions = {}): void {
    const key = FLASH_PREFIX + (options.queue ?? '');
    const queue = (this.#read(key, undefined) as unknown[] | undefined) ?? [];
    if (options.allowDuplicate === false && queue.some((item) => sameMessage(item, message)))
      return;
    this.#write(key, [...queue, message]);
  }

  /** Returns and removes the queued messages. */
  popFlash<T = unknown>(queue = ''): T[] {
    const key = FLASH_PREFIX + queue;
    const messages = this.#read(key, undefined) as T[] | undefined;
    if (messages === undefined) return [];
    this.#remove(key);
    return messages;
  }

  /** Returns the queued messages without removing them. */
  peekFlash<T = unknown>(queue = ''): T[] {
    const messages = this.#read(FLASH_PREFIX + queue, undefined) as T[] | undefined;
    return messages ? [...messages] : [];
  }

  // ---- internals -------------------------------------------------------------

  #read(key: string, defaultValue: unknown): unknown {
    return this[kState].read(key, defaultValue);
  }

  #write(key: string, value: unknown): void {
    this[kState].write(key, value);
  }

  #remove(key: string): boolean {
    return this[kState].remove(key);
  }

  #storedExpiry(): StoredExpiry {
    return this.#read(EXPIRY_KEY, undefined) as StoredExpiry;
  }
}

function isUserKey(key: string): boolean {
  return !isReservedKey(key);
}

function checkUserKey(key: unknown): asserts key is string {
  if (typeof key !== 'string')
    throw new TypeError(`Session keys must be strings; got ${typeof key}.`);
  if (isReservedKey(key)) {
    throw new TypeError(
      `Session key "${key}" is reserved: keys starting with "_" belong to Tessera. Rename it.`,
    );
  }
}

function describeUserId(value: unknown): string {
  return typeof value === 'string' ? 'an empty string' : typeof value;
}

function sameMessage(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
