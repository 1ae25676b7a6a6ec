/**
 * The memory store's bounded, least-recently-used map, which evicts sessions
 * without a user before logged-in ones.
 *
 * Issue 10 §3 "Hardening": with one LRU order, 60 anonymous requests to a
 * page that writes the session evicted a logged-in session from a
 * `maxEntries: 50` store, so anyone could log users out by sending requests
 * without a cookie. Anonymous sessions are cheap to make and cheap to lose (a
 * visitor's cart at worst); a logged-in one costs its user a login.
 *
 * One bound for both kinds, rather than a bound each: `maxEntries` keeps its
 * meaning (records held, whatever their kind), no second option has to be
 * sized, and neither kind is refused room the other leaves unused. Anonymous
 * traffic can then evict a logged-in session only when the store holds
 * nothing but logged-in sessions, which no amount of anonymous requests can
 * bring about.
 *
 * Two insertion-ordered `Map`s, one per kind, keep every operation O(1)
 * (amortized for eviction): re-inserting a key on use keeps each map in LRU
 * order, so the first key of a map is its least recently used.
 *
 * @module
 */

/** What the map needs to know of a record: whether it belongs to a user. */
export interface EvictableEntry {
  readonly userId: string | null;
}

/**
 * A map of at most `maxEntries` entries in least-recently-used order. When a
 * {@link EvictionMap.use | use} makes it overflow, the least recently used
 * anonymous entry (`userId` null) goes first; a logged-in one only when no
 * anonymous entry is left.
 */
export class EvictionMap<Entry extends EvictableEntry> {
  readonly #maxEntries: number;
  readonly #anonymous = new Map<string, Entry>();
  readonly #authenticated = new Map<string, Entry>();

  /** @param maxEntries - most entries held at once; a positive integer (checked by the store's options). */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** How many entries are held. */
  get size(): number {
    return this.#anonymous.size + this.#authenticated.size;
  }

  /** The entry under `key`, without counting as use. */
  get(key: string): Entry | undefined {
    return this.#anonymous.get(key) ?? this.#authenticated.get(key);
  }

  /**
   * Stores `entry` under `key` as the most recently used (replacing what was
   * there, and moving it to the other kind when its `userId` changed), then
   * evicts entries beyond the bound: anonymous ones first, least recent first.
   */
  use(key: string, entry: Entry): void {
    this.#anonymous.delete(key);
    this.#authenticated.delete(key);
    const own = entry.userId === null ? this.#anonymous : this.#authenticated;
    own.set(key, entry);
    while (this.size > this.#maxEntries) {
      // The entry just used is the newest of its map, so the map's first key is
      // another entry unless that map holds only this one: never evict it.
      const hasOther = (kind: Map<string, Entry>) => kind.size > (kind === own ? 1 : 0);
      const kind = hasOther(this.#anonymous) ? this.#anonymous : this.#authenticated;
      if (!hasOther(kind)) break;
      const oldest = kind.keys().next();
      if (oldest.done === true) break;
      kind.delete(oldest.value);
    }
  }

  /** Removes the entry under `key`, if any. */
  delete(key: string): boolean {
    return this.#anonymous.delete(key) || this.#authenticated.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#anonymous.clear();
    this.#authenticated.clear();
  }

  /** Every entry's value: anonymous ones, then logged-in ones. */
  *values(): IterableIterator<Entry> {
    yield* this.#anonymous.values();
    yield* this.#authenticated.values();
  }

  /** Every `[key, entry]`: anonymous ones, then logged-in ones. Deleting the current one while iterating is safe. */
  *[Symbol.iterator](): IterableIterator<[string, Entry]> {
    yield* this.#anonymous;
    yield* this.#authenticated;
  }
}
