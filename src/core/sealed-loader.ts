/**
 * Loading a session sealed in its cookie. A missing, tampered, truncated,
 * expired, revoked or garbage cookie gives a fresh empty session, never an
 * exception.
 * @module
 */

import { decodeValue } from './codec.js';
import type { CookieSessionStore } from './cookie-store.js';
import { diagnosticsChannels } from './diagnostics.js';
import type { LivenessCheck, SessionLoader } from './keyed-loader.js';
import { MAX_COOKIE_BYTES } from './sealed-writer.js';
import { isValidSessionId, type SessionIdDigester } from './session-id.js';
import type { SessionStateInit } from './session-state.js';
import { callStore } from './store-call.js';
import { type TraceTarget, traceLoad } from './trace-call.js';

const loadChannel = diagnosticsChannels.load;

/** Cookie values longer than this are not even opened (a sealed one is never longer). */
const MAX_READ_LENGTH = 2 * MAX_COOKIE_BYTES;

/**
 * A loader for the cookie store `store`. Opening a cookie is a `load`
 * operation on the diagnostics channel (and a debug line) for `trace`.
 */
export function createSealedLoader(
  store: CookieSessionStore,
  digestId: SessionIdDigester,
  isLive: LivenessCheck,
  trace: TraceTarget,
): SessionLoader {
  const revocation = store.revocation;
  const { debug } = trace;

  /** Opens a cookie value; any failure of a store to open garbage is "no session" too. */
  async function open(value: string) {
    if (value.length === 0 || value.length > MAX_READ_LENGTH) return null;
    try {
      return await store.open(value);
    } catch {
      return null;
    }
  }

  async function openSession(value: string, secure: boolean): Promise<SessionStateInit> {
    const opened = await open(value);
    // Bad client input is "no session": the visitor gets a fresh one and the cookie is replaced.
    if (!opened || !isValidSessionId(opened.payload.sid) || !isLive(opened.payload, Date.now())) {
      return { hadCookie: true, secure };
    }
    const { payload } = opened;
    const key = await digestId(payload.sid);
    if (revocation) {
      // A copy of a flushed or cycled cookie (CVE-2024-31999): never honoured.
      const revoked = await callStore(revocation, 'read', () => revocation.read(key), debug, key);
      if (revoked !== null) return { hadCookie: true, secure };
    }
    const values = new Map<string, unknown>();
    for (const name of Object.keys(payload.data))
      values.set(name, decodeValue(payload.data[name]!));
    return {
      id: payload.sid,
      key,
      values,
      createdAt: payload.createdAt,
      storedExpiresAt: payload.expiresAt,
      userId: payload.userId,
      hadCookie: true,
      secure,
      reissue: opened.sealedWith > 0,
    };
  }

  return function loadSealed(value, secure) {
    if (value === undefined) return { secure };
    if (debug === undefined && !loadChannel.hasSubscribers) return openSession(value, secure);
    return traceLoad(trace, () => openSession(value, secure));
  };
}
