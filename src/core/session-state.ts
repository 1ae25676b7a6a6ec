/**
 * The state of one {@link Session}, and the only code that changes it. The
 * session's public methods call its transitions (`write`, `flush`, `cycle`,
 * `login`); the commit engine reads what changed through {@link SessionChanges}
 * and reports back what it wrote through `markStored`, `markDestroyed` and
 * `markUnchanged`. Nothing else assigns a field.
 * @module
 */

import { encodeValue } from './codec.js';
import { SessionConfigError } from './errors.js';
import type { StoredExpiry } from './expiry.js';
import { EXPIRY_KEY } from './reserved-keys.js';
import type { StoredData } from './store.js';

/** A stored record this session will remove when it is committed, with when its cookie expires. */
export interface DoomedRecord {
  /** The store key (digest of the id). */
  readonly key: string;
  /** When the record (and its cookie) would have expired; bounds a cookie store's revocation entry. */
  readonly expiresAt: number | undefined;
}

/**
 * What the commit planner reads of a session: a read-only view of its state.
 * {@link SessionState} implements it; a planner test can pass a plain object.
 */
export interface SessionChanges {
  /** The store key of the record this session was loaded from or last saved as; `undefined` when none. */
  readonly key: string | undefined;
  /** The expiry of that record as stored. */
  readonly storedExpiresAt: number | undefined;
  /** Set by `cycleKey()`/`login()`: the stored record to move to a new id. */
  readonly rotateFrom: DoomedRecord | undefined;
  /** Records to remove (flushed sessions). */
  readonly doomed: readonly DoomedRecord[];
  /** How many keys the session holds, reserved ones included. */
  readonly size: number;
  /** `session.modified = true`: write every key. */
  readonly forceModified: boolean;
  /** Keys removed since the last save. */
  readonly removed: ReadonlySet<string>;
  /** The owner changed since the last save. */
  readonly userChanged: boolean;
  /** The owner. */
  readonly userId: string | null;
  /** When the session was created (ms). */
  readonly createdAt: number;
  /** A session cookie came with the request (valid or not). */
  readonly hadCookie: boolean;
  /** The value `setExpiry()` stored, if any. */
  readonly expiry: StoredExpiry;
  /** Encoded values of the keys changed since the last save, nested changes included; `undefined` when none. */
  encodeChanges(): StoredData | undefined;
  /** Every key, encoded. */
  encodeAll(): StoredData;
  /** Known to have changed nothing (lets the planner skip its work); `false` when unsure. */
  readonly isUntouched?: boolean;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** How a session was loaded: what its state starts from. */
export interface SessionStateInit {
  id?: string | undefined;
  key?: string | undefined;
  values?: Map<string, unknown>;
  createdAt?: number;
  storedExpiresAt?: number | undefined;
  userId?: string | null;
  hadCookie?: boolean;
  secure?: boolean;
  /** The loaded cookie must be issued again even if nothing changed (sealed with an older secret). */
  reissue?: boolean;
  /** The store failed while loading: every use of the session throws this (option `storeOutage: 'throw-on-use'`). */
  failure?: unknown;
  /** Every change throws a `SessionConfigError` with this message (see `SessionRequestInfo.readOnly`). */
  readOnly?: string | undefined;
}

/** A session's state and its transitions. @internal */
export class SessionState implements SessionChanges {
  #id: string | undefined;
  #key: string | undefined;
  #createdAt: number;
  #storedExpiresAt: number | undefined;
  #userId: string | null;
  #userChanged = false;
  readonly #values: Map<string, unknown>;
  /** Encoded JSON of object values as first handed out, to find in-place changes. */
  #snapshots: Map<string, string> | undefined = undefined;
  // Made on the first change: most requests change nothing, and a set costs an allocation.
  #changed: Set<string> | undefined = undefined;
  #removed: Set<string> | undefined = undefined;
  #forceModified = false;
  #accessed = false;
  #rotateFrom: DoomedRecord | undefined = undefined;
  #doomed: DoomedRecord[] = [];
  #hadCookie: boolean;
  readonly #secure: boolean;
  #createdNow = false;
  #reissue: boolean;
  readonly #failure: unknown;
  readonly #readOnly: string | undefined;
  /** An id chosen before the save, because the cookie had to go out first (a streamed response). */
  #reservedId: string | undefined = undefined;
  /** A `Set-Cookie` produced by an early save and not yet delivered by the adapter. */
  #pendingCookie: string | undefined = undefined;

  constructor(init: SessionStateInit) {
    this.#id = init.id;
    this.#key = init.key;
    this.#values = init.values ?? new Map();
    this.#createdAt = init.createdAt ?? Date.now();
    this.#storedExpiresAt = init.storedExpiresAt;
    this.#userId = init.userId ?? null;
    this.#hadCookie = init.hadCookie ?? false;
    this.#secure = init.secure ?? false;
    this.#reissue = init.reissue ?? false;
    this.#failure = init.failure;
    this.#readOnly = init.readOnly;
  }

  // ---- what the session and the engine read -------------------------------------

  get id(): string | undefined {
    return this.#id;
  }
  get key(): string | undefined {
    return this.#key;
  }
  get createdAt(): number {
    return this.#createdAt;
  }
  get storedExpiresAt(): number | undefined {
    return this.#storedExpiresAt;
  }
  get userId(): string | null {
    return this.#userId;
  }
  get userChanged(): boolean {
    return this.#userChanged;
  }
  get rotateFrom(): DoomedRecord | undefined {
    return this.#rotateFrom;
  }
  get doomed(): readonly DoomedRecord[] {
    return this.#doomed;
  }
  get size(): number {
    return this.#values.size;
  }
  get forceModified(): boolean {
    return this.#forceModified;
  }
  get removed(): ReadonlySet<string> {
    return this.#removed ?? EMPTY_SET;
  }
  get hadCookie(): boolean {
    return this.#hadCookie;
  }
  get secure(): boolean {
    return this.#secure;
  }
  get accessed(): boolean {
    return this.#accessed;
  }
  get createdNow(): boolean {
    return this.#createdNow;
  }
  get reissue(): boolean {
    return this.#reissue;
  }
  get reservedId(): string | undefined {
    return this.#reservedId;
  }
  get expiry(): StoredExpiry {
    return this.#values.get(EXPIRY_KEY) as StoredExpiry;
  }
  /** Whether anything was changed since the last save (nested changes are only found when saving). */
  get modified(): boolean {
    return (
      this.#forceModified ||
      (this.#changed?.size ?? 0) > 0 ||
      (this.#removed?.size ?? 0) > 0 ||
      this.#doomed.length > 0 ||
      this.#rotateFrom !== undefined
    );
  }
  /**
   * Nothing was set, removed, flushed, cycled or re-owned, and no object was
   * handed out that could have been changed in place: a commit has nothing to
   * write but, at most, an expiry refresh.
   */
  get isUntouched(): boolean {
    return (
      this.#changed === undefined &&
      this.#removed === undefined &&
      this.#snapshots === undefined &&
      !this.#forceModified &&
      !this.#userChanged &&
      this.#rotateFrom === undefined &&
      this.#doomed.length === 0 &&
      !this.#reissue
    );
  }

  /** Whether the load failed (option `storeOutage: 'throw-on-use'`). */
  get isUnavailable(): boolean {
    return this.#failure !== undefined;
  }

  // ---- data ---------------------------------------------------------------------------

  /** Marks the session used; throws the load failure of an unavailable session. */
  use(): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#accessed = true;
  }

  /** Marks the session used for a change; throws when it is read-only. */
  change(): void {
    this.use();
    if (this.#readOnly !== undefined) throw new SessionConfigError(this.#readOnly);
  }

  has(key: string): boolean {
    this.use();
    return this.#values.has(key);
  }

  /** The value, remembering how an object looked so in-place changes are saved. */
  read(key: string, defaultValue: unknown): unknown {
    this.use();
    if (!this.#values.has(key)) return defaultValue;
    const value = this.#values.get(key);
    if (typeof value === 'object' && value !== null && !this.#changed?.has(key)) {
      this.#snapshots ??= new Map();
      if (!this.#snapshots.has(key))
        this.#snapshots.set(key, JSON.stringify(encodeValue(key, value)));
    }
    return value;
  }

  write(key: string, value: unknown): void {
    this.change();
    encodeValue(key, value); // throws now, naming the key, rather than when saving
    this.#values.set(key, value);
    this.#changed ??= new Set();
    this.#changed.add(key);
    this.#removed?.delete(key);
  }

  remove(key: string): boolean {
    this.change();
    if (!this.#values.delete(key)) return false;
    this.#changed?.delete(key);
    this.#removed ??= new Set();
    this.#removed.add(key);
    return true;
  }

  /** Every key, reserved ones included. */
  keys(): string[] {
    this.use();
    return [...this.#values.keys()];
  }

  setModified(value: boolean): void {
    this.change();
    this.#forceModified = value;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /** `flush()`: no data, no id; the stored record (and any it was cycled from) goes at the next save. */
  flush(): void {
    this.change();
    for (const key of [...this.#values.keys()]) this.remove(key);
    if (this.#rotateFrom) this.#doomed.push(this.#rotateFrom);
    this.#rotateFrom = undefined;
    if (this.#key !== undefined) this.#doomed.push(this.#current());
    this.#forgetId();
    this.#createdAt = Date.now();
    this.#setUser(null);
    this.#changed = undefined;
    this.#removed = undefined;
    this.#snapshots = undefined;
  }

  /** `cycleKey()`: same data, new id; the stored record moves at the next save, if it is still live. */
  cycle(): void {
    this.change();
    // Cycling twice before a save still moves the one stored record.
    if (this.#key !== undefined) this.#rotateFrom = this.#current();
    this.#forgetId();
  }

  /** Records the owner (after `login()` cycled the key). */
  setUser(userId: string | null): void {
    this.change();
    this.#setUser(userId);
  }

  /** Binds an id to the cookie before the save (see {@link SessionState.reservedId}). */
  reserveId(id: string): void {
    this.#reservedId = id;
  }

  // ---- what the commit engine reports ------------------------------------------------------

  /** The session is stored under `id`/`key`, expiring at `expiresAt`; tracking starts afresh. */
  markStored(id: string, key: string, expiresAt: number, created: boolean): void {
    if (created) this.#createdNow = true;
    this.#id = id;
    this.#key = key;
    this.#storedExpiresAt = expiresAt;
    this.#hadCookie = true;
    this.#reissue = false;
    this.#reservedId = undefined;
    this.#resetTracking();
  }

  /** The session's records are gone and its cookie deleted. */
  markDestroyed(): void {
    this.#forgetId();
    this.#hadCookie = false;
    this.#resetTracking();
  }

  /** Nothing needed writing (or the refresh was held back): tracking starts afresh. */
  markUnchanged(): void {
    this.#resetTracking();
  }

  /** Keeps a `Set-Cookie` an early save produced until the adapter can send it. */
  keepPendingCookie(setCookie: string | undefined): void {
    if (setCookie !== undefined) this.#pendingCookie = setCookie;
  }

  /** The pending `Set-Cookie`, if any, which is then no longer pending. */
  takePendingCookie(): string | undefined {
    const pending = this.#pendingCookie;
    this.#pendingCookie = undefined;
    return pending;
  }

  // ---- encoding ------------------------------------------------------------------------------------

  encodeChanges(): StoredData | undefined {
    let set: StoredData | undefined;
    const keys = this.#forceModified ? this.#values.keys() : (this.#changed ?? EMPTY_SET).values();
    for (const name of keys) {
      set ??= {};
      set[name] = encodeValue(name, this.#values.get(name));
    }
    if (this.#snapshots) {
      for (const [name, snapshot] of this.#snapshots) {
        if (set?.[name] !== undefined || !this.#values.has(name)) continue;
        const encoded = encodeValue(name, this.#values.get(name));
        if (JSON.stringify(encoded) === snapshot) continue;
        set ??= {};
        set[name] = encoded;
      }
    }
    return set;
  }

  encodeAll(): StoredData {
    const data: StoredData = {};
    for (const [name, value] of this.#values) data[name] = encodeValue(name, value);
    return data;
  }

  // ---- private -------------------------------------------------------------------------------------

  #current(): DoomedRecord {
    return { key: this.#key!, expiresAt: this.#storedExpiresAt };
  }

  #forgetId(): void {
    this.#id = undefined;
    this.#key = undefined;
    this.#storedExpiresAt = undefined;
    this.#createdNow = false;
    this.#reservedId = undefined;
  }

  #setUser(userId: string | null): void {
    this.#userChanged ||= this.#userId !== userId;
    this.#userId = userId;
  }

  #resetTracking(): void {
    this.#rotateFrom = undefined;
    this.#doomed = [];
    this.#userChanged = false;
    this.#changed = undefined;
    this.#removed = undefined;
    this.#snapshots = undefined;
    this.#forceModified = false;
  }
}
