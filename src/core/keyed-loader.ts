/**
 * Loading a session from a store keyed by the digest of the session id.
 * @module
 */

import { whenReady } from './awaitable.js';
import { decodeValue } from './codec.js';
import { isValidSessionId, type SessionIdDigester } from './session-id.js';
import type { SessionStateInit } from './session-state.js';
import type { Awaitable, SessionRecord, SessionStore } from './store.js';
import { callStore } from './store-call.js';

/** Opens the session a cookie value names; what a loader answers. */
export type SessionLoader = (
  value: string | undefined,
  secure: boolean,
) => Awaitable<SessionStateInit>;

/** Whether a record is live at `now`: not expired, and within the absolute timeout. */
export type LivenessCheck = (
  record: Pick<SessionRecord, 'expiresAt' | 'createdAt'>,
  now: number,
) => boolean;

/**
 * A loader for `store`. A missing or malformed id costs no store read; an
 * unknown or expired one is never adopted: the visitor gets a fresh session
 * (Django CVE-2015-5143).
 */
export function createKeyedLoader(
  store: SessionStore,
  digestId: SessionIdDigester,
  isLive: LivenessCheck,
): SessionLoader {
  return function loadKeyed(id, secure) {
    const hadCookie = id !== undefined;
    if (!isValidSessionId(id)) return { hadCookie, secure };
    return whenReady(digestId(id), (key) =>
      whenReady(
        callStore(store.name, 'read', () => store.read(key)),
        (record): SessionStateInit => {
          if (!record || !isLive(record, Date.now())) return { hadCookie: true, secure };
          const values = new Map<string, unknown>();
          for (const name of Object.keys(record.data))
            values.set(name, decodeValue(record.data[name]!));
          return {
            id,
            key,
            values,
            createdAt: record.createdAt,
            storedExpiresAt: record.expiresAt,
            userId: record.userId,
            hadCookie: true,
            secure,
          };
        },
      ),
    );
  };
}
