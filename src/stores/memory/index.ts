/**
 * An in-process session store: a bounded map evicting the least recently used
 * record, sessions without a user before logged-in ones (so anonymous traffic
 * cannot push logged-in users out; see `eviction.ts`). Suited to tests,
 * development and single-process servers; sessions are lost when the process ends.
 *
 * Every method answers synchronously (values, not promises): this is the hot
 * path and the core awaits only what is a thenable.
 *
 * @module tessera-session/stores/memory
 */

import {
  applyDelta,
  type CountSessionsOptions,
  type DescribeSessionsOptions,
  type ListSessionsOptions,
  type PageSessionsOptions,
  type SessionDelta,
  type SessionListOrder,
  type SessionOverview,
  type SessionPage,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
  type StoredData,
  type StoreStats,
  type UserSessionInfo,
} from '../../core/store.js';
import { collectSessionPage } from '../collect-session-page.js';
import { resolveListSessionsOptions } from '../list-sessions-options.js';
import {
  nextCursorOf,
  resolveCountSessionsOptions,
  resolveDescribeSessionsOptions,
  resolvePageSessionsOptions,
  type SessionPosition,
} from '../page-sessions-options.js';
import { accumulateSessionOverview } from '../session-overview.js';
import { EvictionMap } from './eviction.js';
import { type MemoryStoreOptions, resolveMemoryStoreOptions } from './options.js';

export {
  DEFAULT_MEMORY_STORE_OPTIONS,
  type MemoryStoreOptions,
  type ResolvedMemoryStoreOptions,
} from './options.js';

/**
 * One held record. The data is kept as JSON text and the rest as primitives,
 * so callers never share an object with the store and every read is a fresh copy.
 */
interface MemoryEntry {
  readonly json: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly userId: string | null;
}

/**
 * A {@link SessionStore} held in memory. Every method answers synchronously,
 * and the optional ones are all present.
 */
export interface MemoryStore extends SessionStore {
  read(key: string): SessionRecord | null;
  create(key: string, record: SessionRecord): boolean;
  update(key: string, delta: SessionDelta): boolean;
  /** Checks and moves in one synchronous step: nothing else runs in between. */
  rotate(oldKey: string, newKey: string, record: SessionRecord): boolean;
  touch(key: string, expiresAt: number): boolean;
  destroy(key: string): void;
  clearExpired(): number;
  listUserSessions(userId: string): UserSessionInfo[];
  destroyUserSessions(userId: string, options?: { exceptKey?: string }): number;
  listSessions(options: ListSessionsOptions): SessionSummary[];
  /** One page, from a walk over every entry (only the page's data is parsed). */
  pageSessions(options: PageSessionsOptions): SessionPage;
  countSessions(options?: CountSessionsOptions): number;
  /** The overview; sizes are the UTF-8 bytes of every session's data as JSON. */
  describeSessions(options: DescribeSessionsOptions): SessionOverview;
  /** Counts; `bytes` is the UTF-8 size of the data as JSON. */
  stats(): StoreStats;
  /** Empties the store. */
  close(): void;
}

/**
 * Creates a session store held in this process's memory.
 *
 * @throws RangeError or TypeError when an option is invalid.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxEntries, now } = resolveMemoryStoreOptions(options);
  // LRU order, anonymous sessions evicted before logged-in ones (issue 10 §3, see eviction.ts).
  const entries = new EvictionMap<MemoryEntry>(maxEntries);

  /** The unexpired entry under `key`; an expired one is deleted when met. */
  function findLiveEntry(key: string, time: number): MemoryEntry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= time) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores `entry` as the most recently used, evicting the least recent ones beyond the bound, anonymous first. */
  function putEntry(key: string, entry: MemoryEntry): void {
    entries.use(key, entry);
  }

  /**
   * The first `limit` live sessions after `after` in `order`, from a walk over
   * every entry that keeps `limit` at most; only those have their data parsed.
   */
  function collectPage(
    limit: number,
    order: SessionListOrder,
    after: SessionPosition | undefined,
    userId: string | undefined,
    onProgress: (examined: number) => void,
  ): SessionSummary[] {
    const time = now();
    const page = collectSessionPage<{
      key: string;
      createdAt: number;
      expiresAt: number;
      entry: MemoryEntry;
    }>(limit, order, after);
    let examined = 0;
    for (const [key, entry] of entries) {
      examined += 1;
      if (examined % PROGRESS_EVERY === 0) onProgress(examined);
      if (entry.expiresAt <= time || (userId !== undefined && entry.userId !== userId)) continue;
      page.offer({ key, createdAt: entry.createdAt, expiresAt: entry.expiresAt, entry });
    }
    onProgress(examined);
    return page.list().map(({ key, entry }) => ({
      key,
      userId: entry.userId,
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
      data: parseData(entry.json),
    }));
  }

  return {
    name: 'memory',

    read(key: string): SessionRecord | null {
      const entry = findLiveEntry(key, now());
      if (entry === undefined) return null;
      putEntry(key, entry);
      return {
        data: parseData(entry.json),
        expiresAt: entry.expiresAt,
        createdAt: entry.createdAt,
        userId: entry.userId,
      };
    },

    create(key: string, record: SessionRecord): boolean {
      // An expired record counts as absent, so it may be replaced.
      if (findLiveEntry(key, now()) !== undefined) return false;
      putEntry(key, {
        json: JSON.stringify(record.data),
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        userId: record.userId,
      });
      return true;
    },

    update(key: string, delta: SessionDelta): boolean {
      const entry = findLiveEntry(key, now());
      if (entry === undefined) return false;
      putEntry(key, {
        json: JSON.stringify(applyDelta(parseData(entry.json), delta)),
        createdAt: entry.createdAt,
        expiresAt: delta.expiresAt,
        userId: delta.userId === undefined ? entry.userId : delta.userId,
      });
      return true;
    },

    rotate(oldKey: string, newKey: string, record: SessionRecord): boolean {
      // Issue 10: the check and the move happen in one synchronous step, so a
      // logout (destroy, destroyUserSessions) either comes first and the
      // rotation answers false, or comes after and meets the new key.
      const time = now();
      if (findLiveEntry(oldKey, time) === undefined) return false;
      if (findLiveEntry(newKey, time) !== undefined) {
        throw new Error('memory store: rotate() was given a new key that already holds a session.');
      }
      entries.delete(oldKey);
      putEntry(newKey, {
        json: JSON.stringify(record.data),
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        userId: record.userId,
      });
      return true;
    },

    touch(key: string, expiresAt: number): boolean {
      const entry = findLiveEntry(key, now());
      if (entry === undefined) return false;
      putEntry(key, { ...entry, expiresAt });
      return true;
    },

    destroy(key: string): void {
      entries.delete(key);
    },

    clearExpired(): number {
      const time = now();
      let removed = 0;
      // Deleting the current entry while iterating a Map is safe.
      for (const [key, entry] of entries) {
        if (entry.expiresAt <= time) {
          entries.delete(key);
          removed += 1;
        }
      }
      return removed;
    },

    // Listing scans every entry: the store is bounded and this is not a hot path.
    listUserSessions(userId: string): UserSessionInfo[] {
      const time = now();
      const sessions: UserSessionInfo[] = [];
      for (const [key, entry] of entries) {
        if (entry.userId !== userId || entry.expiresAt <= time) continue;
        sessions.push({
          key,
          createdAt: entry.createdAt,
          expiresAt: entry.expiresAt,
          data: parseData(entry.json),
        });
      }
      return sessions.sort((a, b) => a.createdAt - b.createdAt);
    },

    destroyUserSessions(userId: string, options: { exceptKey?: string } = {}): number {
      const time = now();
      let removed = 0;
      for (const [key, entry] of entries) {
        if (entry.userId !== userId || key === options.exceptKey) continue;
        entries.delete(key);
        // Expired sessions are removed too, but only live ones are counted as destroyed.
        if (entry.expiresAt > time) removed += 1;
      }
      return removed;
    },

    listSessions(options: ListSessionsOptions): SessionSummary[] {
      const { limit, userId, onProgress } = resolveListSessionsOptions('memory', options);
      // The first page by creation, without pageSessions()'s bound on limit.
      return collectPage(limit, 'created', undefined, userId, onProgress);
    },

    pageSessions(options: PageSessionsOptions): SessionPage {
      const { limit, after, order, userId, onProgress } = resolvePageSessionsOptions(
        'memory',
        options,
      );
      const sessions = collectPage(limit, order, after, userId, onProgress);
      return { sessions, nextCursor: nextCursorOf(sessions, limit, order) };
    },

    countSessions(options?: CountSessionsOptions): number {
      const { userId } = resolveCountSessionsOptions('memory', options);
      const time = now();
      let count = 0;
      for (const entry of entries.values()) {
        if (entry.expiresAt > time && (userId === undefined || entry.userId === userId)) count += 1;
      }
      return count;
    },

    describeSessions(options: DescribeSessionsOptions): SessionOverview {
      const resolved = resolveDescribeSessionsOptions('memory', options);
      const time = now();
      const overview = accumulateSessionOverview(resolved, time);
      for (const entry of entries.values()) {
        if (entry.expiresAt <= time) continue;
        overview.add({
          userId: entry.userId,
          createdAt: entry.createdAt,
          expiresAt: entry.expiresAt,
          bytes: Buffer.byteLength(entry.json, 'utf8'),
        });
      }
      return overview.result();
    },

    stats(): StoreStats {
      const time = now();
      let expired = 0;
      let bytes = 0;
      for (const entry of entries.values()) {
        if (entry.expiresAt <= time) expired += 1;
        bytes += Buffer.byteLength(entry.json, 'utf8');
      }
      return { count: entries.size, expired, bytes };
    },

    close(): void {
      entries.clear();
    },
  };
}

/** Entries examined between two `onProgress` calls of a listing walk. */
const PROGRESS_EVERY = 10_000;

/** JSON.parse defines `"__proto__"` as an own data property, never as the prototype. */
function parseData(json: string): StoredData {
  return JSON.parse(json) as StoredData;
}
