/**
 * The sealed payload as JSON, and its strict reading back. Even an
 * authenticated payload is checked field by field: the parser never trusts
 * shape it did not verify.
 * @module
 */

import type { CookieSessionPayload } from '../../core/cookie-store.js';
import type { StoredData } from '../../core/store.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The payload as UTF-8 JSON bytes. */
export function encodePayload(payload: CookieSessionPayload): Uint8Array<ArrayBuffer> {
  return encoder.encode(
    JSON.stringify({
      sid: payload.sid,
      data: payload.data,
      createdAt: payload.createdAt,
      expiresAt: payload.expiresAt,
      userId: payload.userId,
      issuedAt: payload.issuedAt,
    }),
  );
}

/** Reads a payload back; `null` for invalid UTF-8, invalid JSON or the wrong shape. */
export function decodePayload(bytes: Uint8Array): CookieSessionPayload | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { sid, data, createdAt, expiresAt, userId, issuedAt } = parsed as Record<string, unknown>;
  if (typeof sid !== 'string') return null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (!isTime(createdAt) || !isTime(expiresAt) || !isTime(issuedAt)) return null;
  if (userId !== null && typeof userId !== 'string') return null;
  return { sid, data: data as StoredData, createdAt, expiresAt, userId, issuedAt };
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
