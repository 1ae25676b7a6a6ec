/**
 * The foundation's rules that touch a store, checked through the session
 * manager on the store under test (part of the conformance suite).
 */
import { describe, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import {
  createSessionManager,
  SessionInterruptedError,
  type SessionManager,
  type SessionStore,
} from '../../src/core/index.js';

function managerOn(store: SessionStore): SessionManager {
  return createSessionManager({ store }, { digestId: digestSessionIdNode });
}

async function visit(
  manager: SessionManager,
  cookie: string | undefined,
  change: (s: import('../../src/core/index.js').Session) => void,
) {
  const session = await manager.load({ cookie, secure: false });
  change(session);
  const { setCookie } = await manager.commit(session);
  return { session, cookie: setCookie?.split(';')[0] ?? cookie };
}

export function describeManagerRules(store: () => SessionStore): void {
  describe('through the session manager', () => {
    it('keeps all 20 keys when 20 parallel requests each set their own key', async () => {
      const manager = managerOn(store());
      const first = await visit(manager, undefined, (s) => s.set('start', 0));
      const loaded = await Promise.all(
        Array.from({ length: 20 }, () => manager.load({ cookie: first.cookie, secure: false })),
      );
      for (const [i, session] of loaded.entries()) session.set(`key${i}`, i);
      await Promise.all(loaded.map((session) => manager.commit(session)));
      const last = await manager.load({ cookie: first.cookie, secure: false });
      expect(last.keys().sort()).toEqual(
        ['start', ...Array.from({ length: 20 }, (_, i) => `key${i}`)].sort(),
      );
      last.flush();
      await manager.commit(last);
    });

    it('drops the write of a request that ends after a concurrent flush', async () => {
      const manager = managerOn(store());
      const first = await visit(manager, undefined, (s) => s.set('user', 'ann'));
      const slow = await manager.load({ cookie: first.cookie, secure: false });
      await visit(manager, first.cookie, (s) => s.flush());
      slow.set('late', true);
      await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);
      expect(await store().read(digestSessionIdNode(first.cookie!.split('=')[1]!))).toBeNull();
    });

    it('refuses the login of a request that ends after a concurrent logout, and stores no session (issue 10)', async () => {
      const manager = managerOn(store());
      const userId = `user-${Math.random().toString(36).slice(2)}`;
      const first = await visit(manager, undefined, (s) => s.login(userId));
      const slow = await manager.load({ cookie: first.cookie, secure: false });
      await visit(manager, first.cookie, (s) => s.logout());
      slow.cycleKey();
      slow.set('late', true);

      await expect(manager.commit(slow)).rejects.toBeInstanceOf(SessionInterruptedError);

      expect(await store().read(digestSessionIdNode(first.cookie!.split('=')[1]!))).toBeNull();
      expect(await store().listUserSessions?.(userId)).toEqual(
        store().listUserSessions === undefined ? undefined : [],
      );
    });

    it('creates no record for an unknown id and never adopts it', async () => {
      const manager = managerOn(store());
      const forgedId = 'ForgedForgedForgedForgedForged12';
      const forged = `sessionid=${forgedId}`;
      const result = await visit(manager, forged, (s) => s.set('n', 1));
      expect(result.session.id).not.toBe(forgedId);
      expect(await store().read(digestSessionIdNode(forgedId))).toBeNull();
      result.session.flush();
      await manager.commit(result.session);
    });

    it('saves a change made inside a nested value', async () => {
      const manager = managerOn(store());
      const first = await visit(manager, undefined, (s) => s.set('cart', { items: ['a'] }));
      await visit(manager, first.cookie, (s) => s.get('cart').items.push('b'));
      const last = await manager.load({ cookie: first.cookie, secure: false });
      expect(last.get('cart')).toEqual({ items: ['a', 'b'] });
    });
  });
}
