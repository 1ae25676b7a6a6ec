/**
 * The content of a session file: one JSON object with a format version,
 * written whole by an atomic rename, so a reader sees an old or a new file,
 * never half of one.
 *
 * ```json
 * {"v":1,"createdAt":1700000000000,"expiresAt":1700001209600,"userId":null,"data":{"cart":["book"]}}
 * ```
 *
 * @module
 */

import type { SessionRecord, StoredData } from '../../core/store.js';

const FORMAT_VERSION = 1;

/** The text of a session file holding `record`. */
export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify({
    v: FORMAT_VERSION,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    userId: record.userId,
    data: record.data,
  });
}

/**
 * The record in a session file's text, or a reason why there is none (not
 * JSON, truncated, another format). `JSON.parse` keeps a `"__proto__"` data
 * key as an own property, never as the prototype.
 */
export function decodeRecord(text: string): SessionRecord | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: text === '' ? 'the file is empty' : `not JSON (${messageOf(error)})` };
  }
  if (!isObject(value)) return { problem: 'not a JSON object' };
  if (value.v !== FORMAT_VERSION) return { problem: `unknown format version ${String(value.v)}` };
  const { createdAt, expiresAt, userId, data } = value;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) {
    return { problem: '"createdAt" is not a number' };
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    return { problem: '"expiresAt" is not a number' };
  }
  if (userId !== null && typeof userId !== 'string') {
    return { problem: '"userId" is neither a string nor null' };
  }
  if (!isObject(data)) return { problem: '"data" is not a JSON object' };
  return { data: data as StoredData, createdAt, expiresAt, userId };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
