/**
 * Carrying out commit plans on a store keyed by the digest of the session id
 * (memory, SQLite, files, Redis, PostgreSQL, MySQL, cached).
 * @module
 */

import type { DebugOutput } from './debug-output.js';
import { SessionInterruptedError, SessionStoreError } from './errors.js';
import type { PlanWriter, StoredAs, StoringPlan } from './plan-writer.js';
import { generateSessionId, type SessionIdDigester } from './session-id.js';
import type { DoomedRecord, SessionState } from './session-state.js';
import type { SessionRecord, SessionStore } from './store.js';
import { callStore } from './store-call.js';

const MAX_CREATE_ATTEMPTS = 10;

/**
 * A writer for `store`; `checkSize` throws when encoded data is over the size
 * limit. `debug` is the manager's debug output, told about each store call.
 */
export function createKeyedWriter(
  store: SessionStore,
  digestId: SessionIdDigester,
  checkSize: (data: SessionRecord['data']) => void,
  debug?: DebugOutput,
): PlanWriter {
  const name = store.name;
  const call = <T>(operation: string, key: string | undefined, run: () => T | Promise<T>) =>
    callStore(store, operation, run, debug, key);

  async function destroy(doomed: readonly DoomedRecord[]): Promise<void> {
    for (const { key } of doomed) await call('destroy', key, () => store.destroy(key));
  }

  async function create(record: SessionRecord, session: SessionState): Promise<StoredAs> {
    const reserved = session.reservedId;
    // A reserved id already went out in a cookie: it must be the one stored.
    const attempts = reserved === undefined ? MAX_CREATE_ATTEMPTS : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const id = reserved ?? generateSessionId();
      const key = await digestId(id);
      if (await call('create', key, () => store.create(key, record))) {
        return { id, key, expiresAt: record.expiresAt, cookieValue: id, created: true };
      }
    }
    throw new SessionStoreError(name, 'create', new Error('no unused session id'));
  }

  /**
   * Moves the session to a new id only if its record is still live, in one
   * store operation: checking first and writing after would let a logout that
   * lands in between be undone by this request (issue 10 §1).
   */
  async function rotate(
    from: DoomedRecord,
    record: SessionRecord,
    session: SessionState,
  ): Promise<StoredAs> {
    const id = session.reservedId ?? generateSessionId();
    const key = await digestId(id);
    const shownKeys = debug?.showIds ? `${from.key} -> ${key}` : undefined;
    if (!(await call('rotate', shownKeys, () => store.rotate(from.key, key, record)))) {
      throw new SessionInterruptedError();
    }
    return { id, key, expiresAt: record.expiresAt, cookieValue: id, created: true };
  }

  return {
    name,
    canReserveId: true,
    async write(plan: StoringPlan, session: SessionState): Promise<StoredAs | undefined> {
      switch (plan.action) {
        case 'touch': {
          if (!(await call('touch', plan.key, () => store.touch(plan.key, plan.expiresAt))))
            return undefined;
          return stayed(session, plan.key, plan.expiresAt);
        }
        case 'delta': {
          checkSize(session.encodeAll());
          // `false` means a concurrent request destroyed the session: never resurrect it.
          if (!(await call('update', plan.key, () => store.update(plan.key, plan.delta)))) {
            throw new SessionInterruptedError();
          }
          await destroy(plan.doomed);
          return stayed(session, plan.key, plan.delta.expiresAt);
        }
        case 'create': {
          checkSize(plan.record.data);
          const stored = await create(plan.record, session);
          await destroy(plan.doomed);
          return stored;
        }
        case 'rotate': {
          checkSize(plan.record.data);
          const stored = await rotate(plan.from, plan.record, session);
          await destroy(plan.doomed);
          return stored;
        }
      }
    },
    destroy,
  };
}

function stayed(session: SessionState, key: string, expiresAt: number): StoredAs {
  const id = session.id!;
  return { id, key, expiresAt, cookieValue: id, created: false };
}
