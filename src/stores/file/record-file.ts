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

/** What the start of a session file tells without reading its data. */
export interface RecordHead {
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly userId: string | null;
  /** Where the data's JSON starts, in bytes from the start of the file. */
  readonly dataStart: number;
}

// encodeRecord writes the fields in this order, the data last; JSON numbers as JSON.stringify writes them.
const JSON_NUMBER = '(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)';
const RECORD_HEAD = new RegExp(
  `^\\{"v":${FORMAT_VERSION},"createdAt":${JSON_NUMBER},"expiresAt":${JSON_NUMBER},"userId":(null|"(?:[^"\\\\]|\\\\.)*"),"data":`,
);

/**
 * The times and owner at the start of a session file's text (its first
 * bytes suffice), or `undefined` when the start is not as `encodeRecord`
 * writes it: the whole file must then be read ({@link decodeRecord}). Lets
 * listings walk a directory without parsing every session's data.
 */
export function decodeRecordHead(start: string): RecordHead | undefined {
  const match = RECORD_HEAD.exec(start);
  if (match === null) return undefined;
  const [head, createdAt, expiresAt, owner] = match as unknown as [string, string, string, string];
  let userId: unknown = null;
  if (owner !== 'null') {
    try {
      userId = JSON.parse(owner);
    } catch {
      return undefined;
    }
  }
  if (typeof userId !== 'string' && userId !== null) return undefined;
  const times = [Number(createdAt), Number(expiresAt)] as const;
  if (!times.every(Number.isFinite)) return undefined;
  return {
    createdAt: times[0],
    expiresAt: times[1],
    userId,
    dataStart: Buffer.byteLength(head, 'utf8'),
  };
}
