/**
 * Every record of an express-session store, from its optional `all()`.
 *
 * @module
 */

import { callStore } from './call-store.js';
import type { ExpressSessionStoreLike } from './store-like.js';

/** One record as `all()` lists it: its sid and the raw record. */
export interface ListedExpressRecord {
  readonly sid: string;
  readonly raw: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `store.all()` and answers its records with their sids. Both shapes
 * found in the wild are read: an object keyed by sid (express-session's
 * `MemoryStore`, memorystore) and an array with the sid as `id` on each entry
 * (connect-redis, whose `id` is added by `all()` and is not session data, so it
 * is removed). Entries without a sid are left out.
 */
export async function listAllRecords(
  store: ExpressSessionStoreLike & Required<Pick<ExpressSessionStoreLike, 'all'>>,
  what: string,
): Promise<ListedExpressRecord[]> {
  const answer = await callStore<unknown>(`${what}: all()`, (callback) => store.all(callback));
  if (Array.isArray(answer)) {
    const listed: ListedExpressRecord[] = [];
    for (const entry of answer) {
      if (!isPlainObject(entry) || typeof entry.id !== 'string') continue;
      const { id, ...raw } = entry;
      listed.push({ sid: id, raw });
    }
    return listed;
  }
  if (isPlainObject(answer)) {
    return Object.keys(answer).map((sid) => ({ sid, raw: answer[sid] }));
  }
  return [];
}
