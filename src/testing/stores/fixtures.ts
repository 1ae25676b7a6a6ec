/**
 * The records, deltas and keys the conformance checks write: random keys
 * shaped like the core's (a SHA-256 digest in hex), so a store on a shared
 * server needs no emptying between checks.
 * @module
 */

import { randomBytes } from 'node:crypto';
import type { SessionDelta, SessionRecord, StoredData } from '../../core/store.js';

/** One minute, in milliseconds. */
export const MINUTE = 60_000;

/** A fresh store key shaped like the core's: a SHA-256 digest in hex. */
export function randomKey(): string {
  return randomBytes(32).toString('hex');
}

/** A user id no other check uses. */
export function randomUserId(): string {
  return `user-${randomBytes(8).toString('hex')}`;
}

/** A record that stays valid for the whole check. */
export function liveRecord(data: StoredData, fields: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

/** A record whose expiry has already passed. */
export function expiredRecord(
  data: StoredData,
  fields: Partial<SessionRecord> = {},
): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now - 2 * MINUTE, expiresAt: now - MINUTE, userId: null, ...fields };
}

/** A delta that keeps the record valid for the whole check. */
export function delta(
  set: StoredData,
  remove: readonly string[] = [],
  fields: Partial<SessionDelta> = {},
): SessionDelta {
  return { set, remove, expiresAt: Date.now() + MINUTE, ...fields };
}

/** Data exercising what JSON can hold. */
export function richData(): StoredData {
  return {
    string: 'plain',
    unicode: 'héllo 日本語 🎉 e\u0301 \u2028\u2029 "quoted" \\ back\nslash \u0000 nul',
    integer: 42,
    negative: -7,
    float: 3.25,
    large: Number.MAX_SAFE_INTEGER,
    yes: true,
    no: false,
    nothing: null,
    emptyString: '',
    emptyObject: {},
    emptyArray: [],
    list: [1, 'two', { three: [3] }, null, [true]],
    nested: { a: { b: { c: { d: ['deep'] } } } },
  };
}

/** The keys of listed sessions, in the order listed. */
export function keysOf(sessions: readonly { key: string }[]): string[] {
  return sessions.map((session) => session.key);
}
