/**
 * The foundation's rules that touch a store, checked through the session
 * manager on the store under test: what a request sees, not only what the
 * store answers.
 * @module
 */

import assert from 'node:assert/strict';
import { SessionInterruptedError } from '../../core/errors.js';
import { createSessionManager, type SessionManager } from '../../core/manager.js';
import type { Session } from '../../core/session.js';
import { digestSessionIdWebCrypto } from '../../core/session-id.js';
import type { SessionStore } from '../../core/store.js';
import { group, type StoreCheck } from './check.js';
import { randomUserId } from './fixtures.js';

function managerOn(store: SessionStore): SessionManager {
  return createSessionManager({ store });
}

/** One request: loads the session of `cookie`, changes it, commits; answers the cookie to send next. */
async function visit(
  manager: SessionManager,
  cookie: string | undefined,
  change: (session: Session) => void,
): Promise<{ session: Session; cookie: string | undefined }> {
  const session = await manager.load({ cookie, secure: false });
  change(session);
  const { setCookie } = await manager.commit(session);
  return { session, cookie: setCookie?.split(';')[0] ?? cookie };
}

/** The store key of the session a `name=value` cookie names. */
async function keyOf(cookie: string | undefined): Promise<string> {
  const id = cookie?.split('=')[1];
  assert.ok(id !== undefined && id !== '', 'the response set no session cookie');
  return digestSessionIdWebCrypto(id);
}

/** `assert.rejects` validation: the commit failed with {@link SessionInterruptedError}. */
function isInterrupted(error: unknown): boolean {
  return error instanceof SessionInterruptedError;
}

/** The checks run through the session manager. */
export function managerChecks(): StoreCheck[] {
  return group('through the session manager', [
    [
      'keeps all 20 keys when 20 parallel requests each set their own key',
      async (store) => {
        const manager = managerOn(store);
        const first = await visit(manager, undefined, (s) => s.set('start', 0));
        const loaded = await Promise.all(
          Array.from({ length: 20 }, () => manager.load({ cookie: first.cookie, secure: false })),
        );
        for (const [index, session] of loaded.entries()) session.set(`key${index}`, index);
        await Promise.all(loaded.map((session) => manager.commit(session)));

        const last = await manager.load({ cookie: first.cookie, secure: false });
        assert.deepEqual(
          last.keys().sort(),
          ['start', ...Array.from({ length: 20 }, (_, index) => `key${index}`)].sort(),
        );
        last.flush();
        await manager.commit(last);
      },
    ],
    [
      'drops the write of a request that ends after a concurrent flush',
      async (store) => {
        const manager = managerOn(store);
        const first = await visit(manager, undefined, (s) => s.set('user', 'ann'));
        const slow = await manager.load({ cookie: first.cookie, secure: false });
        await visit(manager, first.cookie, (s) => s.flush());
        slow.set('late', true);

        await assert.rejects(async () => manager.commit(slow), isInterrupted);

        assert.equal(await store.read(await keyOf(first.cookie)), null);
      },
    ],
    [
      'refuses the login of a request that ends after a concurrent logout, and stores no session (issue 10)',
      async (store) => {
        const manager = managerOn(store);
        const userId = randomUserId();
        const first = await visit(manager, undefined, (s) => s.login(userId));
        const slow = await manager.load({ cookie: first.cookie, secure: false });
        await visit(manager, first.cookie, (s) => s.logout());
        slow.cycleKey();
        slow.set('late', true);

        await assert.rejects(async () => manager.commit(slow), isInterrupted);

        assert.equal(await store.read(await keyOf(first.cookie)), null);
        if (store.listUserSessions !== undefined) {
          assert.deepEqual(await store.listUserSessions(userId), []);
        }
      },
    ],
    [
      'creates no record for an unknown id and never adopts it',
      async (store) => {
        const manager = managerOn(store);
        const forgedId = 'ForgedForgedForgedForgedForged12';
        const result = await visit(manager, `sessionid=${forgedId}`, (s) => s.set('n', 1));

        assert.notEqual(result.session.id, forgedId);
        assert.equal(await store.read(await digestSessionIdWebCrypto(forgedId)), null);
        result.session.flush();
        await manager.commit(result.session);
      },
    ],
    [
      'saves a change made inside a nested value',
      async (store) => {
        const manager = managerOn(store);
        const first = await visit(manager, undefined, (s) => s.set('cart', { items: ['a'] }));
        await visit(manager, first.cookie, (s) => s.get('cart').items.push('b'));

        const last = await manager.load({ cookie: first.cookie, secure: false });
        assert.deepEqual(last.get('cart'), { items: ['a', 'b'] });
      },
    ],
  ]);
}
