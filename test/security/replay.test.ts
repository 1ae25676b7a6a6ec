/**
 * Replay after logout: once a session is flushed, a copy of its old cookie
 * yields a fresh, empty session on every server-side store.
 *
 * Advisories: @fastify/secure-session CVE-2024-31999 (a deleted session's copied
 * cookie kept working), Rails CookieStore replay, Django CVE-2015-5963 (flush).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionManager, type SessionManager } from '../../src/core/index.js';
import { type OpenedStore, serverSideStores } from '../helpers/security-stores.js';
import { describeWithServer } from '../helpers/servers.js';

const NAME = 'sessionid';
const kinds = await serverSideStores();

for (const kind of kinds) {
  const body = () => {
    let opened: OpenedStore;
    let manager: SessionManager;
    beforeAll(async () => {
      opened = await kind.open();
      manager = createSessionManager({ store: opened.store });
    });
    afterAll(() => opened.cleanup());

    const load = (id: string) => manager.load({ cookie: `${NAME}=${id}`, secure: false });

    it('a cookie copied before flush() opens an empty session afterwards', async () => {
      const session = await manager.open();
      session.set('user', 'ann');
      session.set('balance', 100);
      await manager.save(session);
      const stolen = session.id!;
      expect((await load(stolen)).get('user')).toBe('ann');

      const logout = await load(stolen);
      logout.flush();
      const { setCookie } = await manager.commit(logout, { status: 200 });
      expect(setCookie).toMatch(/^sessionid=;.*Max-Age=0/);

      const replay = await load(stolen);
      expect(replay.isNew).toBe(true);
      expect(replay.isEmpty).toBe(true);
      expect(replay.get('balance')).toBeUndefined();
      // Writing through the replayed cookie never resurrects the old id.
      replay.set('balance', 1_000_000);
      const result = await manager.commit(replay, { status: 200 });
      expect(result.setCookie).not.toContain(stolen);
      expect((await load(stolen)).isNew).toBe(true);
    });

    it('a request still holding the old session cannot write it back after logout (connect-redis #328)', async () => {
      const session = await manager.open();
      session.set('user', 'ann');
      await manager.save(session);
      const id = session.id!;
      const slow = await load(id);
      const logout = await load(id);
      logout.flush();
      await manager.commit(logout, { status: 200 });
      slow.set('late', true);
      await expect((async () => manager.commit(slow, { status: 200 }))()).rejects.toThrow(
        /deleted before the request completed/,
      );
      expect((await load(id)).isNew).toBe(true);
    });
  };
  if (kind.probe) describeWithServer(kind.probe, `replay after logout: ${kind.name} store`, body);
  else describe(`replay after logout: ${kind.name} store`, body);
}
