/**
 * Session records to and from the fields of their hash: one field per session
 * key (`d:<name>`, its value as JSON text) and the meta fields.
 *
 * @module
 */

import { type SessionRecord, type StoredData, setOwnEntry } from '../../core/store.js';
import {
  CREATED_AT_FIELD,
  DATA_FIELD_PREFIX,
  dataField,
  EXPIRES_AT_FIELD,
  USER_ID_FIELD,
} from './keys.js';

/** `field, JSON value, field, JSON value, …` for HSET. Stringifying copies: later changes to `data` are not seen. */
export function encodeFields(data: StoredData): string[] {
  const args: string[] = [];
  for (const name of Object.keys(data)) args.push(dataField(name), JSON.stringify(data[name]));
  return args;
}

/** A timestamp as Redis stores it (exact: `Number(String(n)) === n`). */
export function encodeTime(milliseconds: number): string {
  return String(milliseconds);
}

/**
 * The record in an HGETALL reply (a flat `field, value, …` array), or `null`
 * when there is none, it has expired at `now`, or the hash is not a session.
 * Every call builds fresh objects; `__proto__` stays a plain key.
 */
export function decodeRecord(reply: unknown, now: number): SessionRecord | null {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const data: StoredData = {};
  let createdAt: number | undefined;
  let expiresAt: number | undefined;
  let userId: string | null = null;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    const field = String(reply[index]);
    const value = String(reply[index + 1]);
    if (field.startsWith(DATA_FIELD_PREFIX)) {
      // JSON.parse defines "__proto__" as an own property; setOwnEntry keeps the top level so.
      setOwnEntry(data, field.slice(DATA_FIELD_PREFIX.length), JSON.parse(value));
    } else if (field === EXPIRES_AT_FIELD) {
      expiresAt = Number(value);
    } else if (field === CREATED_AT_FIELD) {
      createdAt = Number(value);
    } else if (field === USER_ID_FIELD) {
      userId = value;
    }
  }
  // A hash without both times is not a session record (a foreign key under the prefix).
  if (expiresAt === undefined || createdAt === undefined || !(expiresAt > now)) return null;
  return { data, expiresAt, createdAt, userId };
}

/** The expiry in an HGETALL reply, or `undefined` when the hash has none. */
export function expiryOf(reply: unknown): number | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    if (reply[index] === EXPIRES_AT_FIELD) return Number(reply[index + 1]);
  }
  return undefined;
}

/** UTF-8 bytes of the session data in an HGETALL reply, as stored (JSON per key). */
export function dataBytesOf(reply: unknown): number {
  if (!Array.isArray(reply)) return 0;
  let bytes = 0;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    if (String(reply[index]).startsWith(DATA_FIELD_PREFIX)) {
      bytes += Buffer.byteLength(String(reply[index + 1]), 'utf8');
    }
  }
  return bytes;
}
