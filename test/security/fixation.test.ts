/**
 * Session fixation: an id chosen by an attacker is never adopted, and a
 * privilege change (cycleKey, login) kills the id the visitor had before.
 *
 * Advisories: PHP CVE-2011-4718 (strict mode: never adopt a client-supplied id),
 * passport CVE-2022-25896 (login must not keep the pre-login session id),
 * @fastify/session #240 (regenerate() must delete the old id from the store).
 */
import { describe, expect, it } from 'vitest';
import {
  createSessionManager,
  generateSessionId,
  Session,
  type SessionManager,
} from '../../src/core/index.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js';

const NAME = 'sessionid';

function setup(): { store: MemoryStore; manager: SessionManager } {
  const store = createMemoryStore();
  return { store, manager: createSessionManager({ store }) };
}

/** Loads the session a cookie names, as a request would. */
const loadWith = (manager: SessionManager, id: string) =>
  manager.load({ cookie: `${NAME}=${id}`, secure: false });

/** The id a commit issued. */
function issued(setCookie: string | undefined): string | undefined {
  return setCookie?.match(/^sessionid=([^;]*)/)?.[1] || undefined;
}

describe('session fixation', () => {
  it('never adopts an attacker-chosen id, even when the visitor then stores data', async () => {
    const { store, manager } = setup();
    const planted = generateSessionId();
    const session = await loadWith(manager, planted);
    session.set('cart', ['book']);
    const { setCookie } = await manager.commit(session, { status: 200 });
    const id = issued(setCookie);
    expect(id).toBeDefined();
    expect(id).not.toBe(planted);
    expect(session.id).toBe(id);
    // The attacker's id still names nothing: they cannot ride the victim's session.
    const attacker = await loadWith(manager, planted);
    expect(attacker.isNew).toBe(true);
    expect(attacker.get('cart')).toBeUndefined();
    expect(store.stats().count).toBe(1);
  });

  it('kills the pre-privilege id on cycleKey(): the old cookie gets an empty session', async () => {
    const { store, manager } = setup();
    const first = await manager.open();
    first.set('cart', ['book']);
    await manager.save(first);
    const before = first.id!;

    const request = await loadWith(manager, before);
    request.cycleKey();
    request.set('user', 'ann');
    const { setCookie } = await manager.commit(request, { status: 200 });
    const after = issued(setCookie);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const replay = await loadWith(manager, before);
    expect(replay.isNew).toBe(true);
    expect(replay.get('user')).toBeUndefined();
    expect(replay.get('cart')).toBeUndefined();
    const current = await loadWith(manager, after!);
    expect(current.get('user')).toBe('ann');
    expect(current.get('cart')).toEqual(['book']); // the data moves with the new id
    expect(store.stats().count).toBe(1);
  });

  it.runIf(typeof (Session.prototype as { login?: unknown }).login === 'function')(
    'kills the pre-login id on session.login() and records the owner',
    async () => {
      const { store, manager } = setup();
      // The attacker obtains a real anonymous session and plants its id on the victim.
      const attackers = await manager.open();
      attackers.set('theme', 'dark');
      await manager.save(attackers);
      const planted = attackers.id!;

      const victim = await loadWith(manager, planted);
      expect(victim.get('theme')).toBe('dark');
      victim.login('ann');
      const { setCookie } = await manager.commit(victim, { status: 200 });
      const after = issued(setCookie);
      expect(after).toBeDefined();
      expect(after).not.toBe(planted);
      expect(victim.userId).toBe('ann');

      const attacker = await loadWith(manager, planted);
      expect(attacker.isNew).toBe(true);
      expect(attacker.userId).toBeNull();
      expect(store.stats().count).toBe(1);
    },
  );

  it.runIf(typeof (Session.prototype as { login?: unknown }).login === 'function')(
    'rotates a CSRF token planted before login',
    async () => {
      const { manager } = setup();
      const session = await manager.open();
      const s = session as Session & { csrfToken(): string };
      const before = s.csrfToken();
      await manager.save(session);
      const loaded = (await loadWith(manager, session.id!)) as typeof s;
      loaded.login('ann');
      expect(loaded.csrfToken()).not.toBe(before);
    },
  );
});
