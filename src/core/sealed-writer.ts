/**
 * Carrying out commit plans on a cookie-only store: the whole session is
 * sealed into the cookie (Django `signed_cookies`, Pyramid
 * `SignedCookieSessionFactory`). With the store's `revocation` set, a flushed
 * or cycled cookie's id is recorded there until the cookie would have
 * expired, so its copies die too (CVE-2024-31999).
 * @module
 */

import type { CookieSessionPayload, CookieSessionStore } from './cookie-store.js';
import type { DebugOutput } from './debug-output.js';
import { SessionDataError, SessionInterruptedError } from './errors.js';
import type { PlanWriter, StoredAs, StoringPlan } from './plan-writer.js';
import { generateSessionId, type SessionIdDigester } from './session-id.js';
import type { DoomedRecord, SessionState } from './session-state.js';
import type { SessionStore } from './store.js';
import { callStore, describeStoreFailure } from './store-call.js';

/** Browsers keep at most 4096 bytes of name and value per cookie (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096;

/** What the sealed writer needs besides the store. */
export interface SealedWriterSettings {
  digestId: SessionIdDigester;
  /** The cookie's name, whose bytes count towards the limit. */
  cookieName: string;
  /** Seconds a revocation lasts when the revoked cookie's expiry is unknown. */
  cookieAge: number;
  /** The manager's debug output, told about each call of the revocation store. */
  debug?: DebugOutput | undefined;
}

/** A writer sealing sessions into cookies of `store`. */
export function createSealedWriter(
  store: CookieSessionStore,
  settings: SealedWriterSettings,
): PlanWriter {
  const revocation = store.revocation;
  const name = revocation?.name ?? store.name;
  const call = <T>(
    target: SessionStore,
    operation: string,
    key: string,
    run: () => T | Promise<T>,
  ) => callStore(target, operation, run, settings.debug, key);
  const cookieNameBytes = settings.cookieName.length + 1;

  async function seal(payload: CookieSessionPayload): Promise<string> {
    let sealed: string;
    try {
      sealed = await store.seal(payload);
    } catch (error) {
      throw describeStoreFailure(store.name, 'seal', error);
    }
    const bytes = cookieNameBytes + sealed.length; // sealed values are ASCII
    if (bytes > MAX_COOKIE_BYTES) {
      // Rails CookieOverflow: a browser would silently drop the cookie, so fail loudly instead.
      throw new SessionDataError(
        `The sealed session cookie is ${bytes} bytes, over the ${MAX_COOKIE_BYTES}-byte limit of a cookie; nothing was saved. ` +
          'Keep large data in your database and store only its id in the session, or use a server-side store.',
      );
    }
    return sealed;
  }

  /**
   * Records a cookie's id as revoked until it would have expired; answers
   * `false` when it already was (a concurrent flush or cycle came first).
   */
  async function revoke(doomed: DoomedRecord, now: number): Promise<boolean> {
    if (!revocation) return true;
    const expiresAt = doomed.expiresAt ?? now + settings.cookieAge * 1000;
    if (expiresAt <= now) return true;
    const record = { data: {}, createdAt: now, expiresAt, userId: null };
    return call(revocation, 'create', doomed.key, () => revocation.create(doomed.key, record));
  }

  async function destroy(doomed: readonly DoomedRecord[], now: number): Promise<void> {
    for (const record of doomed) await revoke(record, now);
  }

  return {
    name,
    canReserveId: false,
    async write(plan: StoringPlan, session: SessionState, now: number): Promise<StoredAs> {
      const keeps = plan.action === 'touch' || plan.action === 'delta';
      if (keeps && revocation && !session.createdNow) {
        // A concurrent request flushed this cookie: never bring it back (connect-redis #328).
        if ((await call(revocation, 'read', plan.key, () => revocation.read(plan.key))) !== null) {
          throw new SessionInterruptedError();
        }
      }
      const id = keeps ? session.id! : generateSessionId();
      const key = keeps ? plan.key : await settings.digestId(id);
      const expiresAt =
        plan.action === 'touch'
          ? plan.expiresAt
          : plan.action === 'delta'
            ? plan.delta.expiresAt
            : plan.record.expiresAt;
      const sealed = await seal({
        sid: id,
        data:
          plan.action === 'create' || plan.action === 'rotate'
            ? plan.record.data
            : session.encodeAll(),
        createdAt: session.createdAt,
        expiresAt,
        userId: session.userId,
        issuedAt: now,
      });
      // A revoked id cannot be rotated into a fresh cookie (issue 10 §1): revoking it is the
      // check, one atomic create in the revocation store, made once the new cookie is certain.
      if (plan.action === 'rotate' && !(await revoke(plan.from, now))) {
        throw new SessionInterruptedError();
      }
      if (plan.action !== 'touch') await destroy(plan.doomed, now);
      return { id, key, expiresAt, cookieValue: sealed, created: !keeps };
    },
    destroy,
  };
}
