/**
 * Loading a session from a store keyed by the digest of the session id.
 * @module
 */

import { whenReady } from './awaitable.js';
import { decodeValue } from './codec.js';
import { diagnosticsChannels } from './diagnostics.js';
import { isValidSessionId, type SessionIdDigester } from './session-id.js';
import type { SessionStateInit } from './session-state.js';
import type { Awaitable, SessionRecord, SessionStore } from './store.js';
import { callStore } from './store-call.js';
import { type TraceTarget, traceLoad } from './trace-call.js';

const loadChannel = diagnosticsChannels.load;

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
 * (Django CVE-2015-5143). Looking up a well-formed id is a `load` operation
 * on the diagnostics channel (and a debug line) for `trace`.
 */
export function createKeyedLoader(
  store: SessionStore,
  digestId: SessionIdDigester,
  isLive: LivenessCheck,
  trace: TraceTarget,
): SessionLoader {
  const { debug } = trace;

  function readSession(id: string, secure: boolean): Awaitable<SessionStateInit> {
    return whenReady(digestId(id), (key) =>
      whenReady(
        callStore(store, 'read', () => store.read(key), debug, key),
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
  }

  return function loadKeyed(id, secure) {
    const hadCookie = id !== undefined;
    if (!isValidSessionId(id)) return { hadCookie, secure };
    if (debug === undefined && !loadChannel.hasSubscribers) return readSession(id, secure);
    return traceLoad(trace, () => readSession(id, secure));
  };
}
