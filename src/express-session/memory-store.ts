/**
 * express-session's `MemoryStore`: a callback store in process memory, for
 * development and tests (records are lost on restart and not shared between
 * processes).
 * @module
 */

import { inherits } from 'node:util';
import { Store, type StoreCallback, type StoredSession } from './store.js';

/** The in-memory callback store. */
export interface MemoryStore extends Store {
  /** The stored sessions, as JSON text keyed by sid. */
  sessions: Record<string, string>;
  /** Every live session, keyed by sid (express-session answers an object, not an array). */
  all(callback: (error: unknown, sessions?: Record<string, StoredSession>) => void): void;
  length(callback: (error: unknown, length?: number) => void): void;
  clear(callback?: StoreCallback): void;
  touch(sid: string, session: StoredSession, callback?: StoreCallback): void;
}

/** The `MemoryStore` constructor. */
export interface MemoryStoreConstructor {
  new (): MemoryStore;
  (this: MemoryStore): void;
  readonly prototype: MemoryStore;
}

/** express-session's in-memory store: answers parsed copies, drops expired records when read. */
export const MemoryStore: MemoryStoreConstructor = function MemoryStore(this: MemoryStore): void {
  Store.call(this);
  this.sessions = Object.create(null) as Record<string, string>;
} as unknown as MemoryStoreConstructor;

inherits(MemoryStore as unknown as new () => MemoryStore, Store as unknown as new () => Store);

/** Calls back on a later turn, as express-session's store does. */
function later<A extends unknown[]>(
  callback: ((...args: A) => void) | undefined,
  ...args: A
): void {
  if (callback) setImmediate(() => callback(...args));
}

/** The live session stored under `sid`, parsed; an expired one is removed. */
function readLive(store: MemoryStore, sid: string): StoredSession | undefined {
  const text = store.sessions[sid];
  if (text === undefined) return undefined;
  const session = JSON.parse(text) as StoredSession;
  const expires = (session.cookie as { expires?: unknown } | undefined)?.expires;
  if (expires !== undefined && expires !== null) {
    const time = new Date(expires as string).getTime();
    if (time <= Date.now()) {
      delete store.sessions[sid];
      return undefined;
    }
  }
  return session;
}

const proto = MemoryStore.prototype;

proto.get = function get(this: MemoryStore, sid, callback) {
  later(callback, undefined, readLive(this, sid));
};

proto.set = function set(this: MemoryStore, sid, session, callback) {
  this.sessions[sid] = JSON.stringify(session);
  later(callback);
};

proto.destroy = function destroy(this: MemoryStore, sid, callback) {
  delete this.sessions[sid];
  later(callback);
};

proto.touch = function touch(this: MemoryStore, sid, session, callback) {
  const current = readLive(this, sid);
  if (current) {
    // Only the cookie (its expiry) changes: the data stays as stored.
    current.cookie = session.cookie;
    this.sessions[sid] = JSON.stringify(current);
  }
  later(callback);
};

proto.all = function all(this: MemoryStore, callback) {
  const sessions: Record<string, StoredSession> = Object.create(null);
  for (const sid of Object.keys(this.sessions)) {
    const session = readLive(this, sid);
    if (session) sessions[sid] = session;
  }
  later(callback, undefined, sessions);
};

proto.length = function length(this: MemoryStore, callback) {
  this.all((error, sessions) => {
    if (error) return callback(error);
    callback(undefined, Object.keys(sessions ?? {}).length);
  });
};

proto.clear = function clear(this: MemoryStore, callback) {
  this.sessions = Object.create(null) as Record<string, string>;
  later(callback);
};
