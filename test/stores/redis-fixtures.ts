/**
 * The records and keys the Redis store's specs (node-redis, ioredis, single
 * server and cluster) write: fresh store keys, live records, deltas.
 */
import { randomBytes } from 'node:crypto';
import type { SessionDelta, SessionRecord, StoredData } from '../../src/core/store.js';

export const MINUTE = 60_000;

/** A fresh store key shaped like the core's: a SHA-256 digest in hex. */
export function randomKey(): string {
  return randomBytes(32).toString('hex');
}

/** A record that expires in a minute, of no user unless `fields` says otherwise. */
export function liveRecord(
  data: StoredData = {},
  fields: Partial<SessionRecord> = {},
): SessionRecord {
  const now = Date.now();
  return { data, createdAt: now, expiresAt: now + MINUTE, userId: null, ...fields };
}

/** An update setting `set`, removing `remove`, and moving the expiry a minute ahead. */
export function delta(
  set: StoredData,
  remove: string[] = [],
  fields: Partial<SessionDelta> = {},
): SessionDelta {
  return { set, remove, expiresAt: Date.now() + MINUTE, ...fields };
}
