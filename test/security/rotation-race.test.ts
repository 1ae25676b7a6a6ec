/**
 * Rotating the id after a concurrent logout: a request that loaded a session,
 * then calls `cycleKey()`/`regenerate()`/`login()` while another request logs
 * the session out (or signs the user out everywhere), must not write a new,
 * logged-in session holding the old data (issue 10 §1). The rotation
 * succeeds only while the old record is live, and otherwise fails with
 * `SessionInterruptedError`, writing nothing — on every server-side store, and
 * on a cookie store with a revocation store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSessionManager,
  type Session,
  SessionInterruptedError,
  type SessionManager,
} from '../../src/core/index.js';
import { createSignedCookieStore } from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { type OpenedStore, serverSideStores } from '../helpers/security-stores.js';
import { describeWithServer } from '../helpers/servers.js';

const NAME = 'sessionid';
const kinds = await serverSideStores();

/** The cookie value a commit issued. */
function cookieValue(setCookie: string | undefined): string {
  const match = /^sessionid=([^;]*)/.exec(setCookie ?? '');
  if (!match) throw new Error(`no session cookie in ${String(setCookie)}`);
  return match[1]!;
}

function describeRotationRace(
  open: () => Promise<{ manager: SessionManager; cleanup(): Promise<void> }>,
  perUser: boolean,
) {
  let manager: SessionManager;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ manager, cleanup } = await open());
  });
  afterAll(() => cleanup());

  const load = (value: string) => manager.load({ cookie: `${NAME}=${value}`, secure: false });

  /** A logged-in session, committed; answers its cookie value. */
  async function logIn(user: string): Promise<string> {
    const session = await manager.load({ cookie: undefined, secure: false });
    session.login(user);
    session.set('cart', ['pear']);
    return cookieValue((await manager.commit(session, { status: 200 })).setCookie);
  }

  async function expectInterrupted(slow: Session): Promise<void> {
    await expect(manager.commit(slow, { status: 200 })).rejects.toBeInstanceOf(
      SessionInterruptedError,
    );
  }

  for (const [name, rotate] of [
    ['regenerate()', (s: Session) => s.regenerate()],
    ['cycleKey()', (s: Session) => s.cycleKey()],
    ['login()', (s: Session) => s.login('mallory')],
  ] as const) {
    it(`${name} after a concurrent logout fails and brings nothing back`, async () => {
      const cookie = await logIn('alice');
      const slow = await load(cookie);
      const out = await load(cookie);
      out.logout();
      await manager.commit(out, { status: 200 });
      rotate(slow);
      await expectInterrupted(slow);
      expect(slow.id).toBeUndefined();
      expect((await load(cookie)).isNew).toBe(true);
      if (perUser) expect(await manager.listUserSessions('alice')).toEqual([]);
    });
  }

  it('cycleKey() after flush() in a concurrent request fails', async () => {
    const cookie = await logIn('bob');
    const slow = await load(cookie);
    const other = await load(cookie);
    other.flush();
    await manager.commit(other, { status: 200 });
    slow.cycleKey();
    await expectInterrupted(slow);
  });

  it('a rotation that nobody raced moves the session and kills the old id', async () => {
    const cookie = await logIn('carol');
    const session = await load(cookie);
    session.regenerate();
    const next = cookieValue((await manager.commit(session, { status: 200 })).setCookie);
    expect(next).not.toBe(cookie);
    const moved = await load(next);
    expect(moved.userId).toBe('carol');
    expect(moved.get('cart')).toEqual(['pear']);
    expect((await load(cookie)).isNew).toBe(true);
  });
}

for (const kind of kinds) {
  const body = () => {
    let opened: OpenedStore;
    describeRotationRace(async () => {
      opened = await kind.open();
      return {
        manager: createSessionManager({ store: opened.store }),
        cleanup: () => opened.cleanup(),
      };
    }, true);

    it('login() after destroyUserSessions() (sign out everywhere) fails', async () => {
      const manager = createSessionManager({ store: opened.store });
      const first = await manager.load({ cookie: undefined, secure: false });
      first.login('dave');
      const cookie = cookieValue((await manager.commit(first, { status: 200 })).setCookie);
      const slow = await manager.load({ cookie: `${NAME}=${cookie}`, secure: false });
      expect(await manager.destroyUserSessions('dave')).toBeGreaterThanOrEqual(1);
      slow.login('dave');
      await expect(manager.commit(slow, { status: 200 })).rejects.toBeInstanceOf(
        SessionInterruptedError,
      );
      expect(await manager.listUserSessions('dave')).toEqual([]);
    });
  };
  if (kind.probe) describeWithServer(kind.probe, `rotation race: ${kind.name} store`, body);
  else describe(`rotation race: ${kind.name} store`, body);
}

describe('rotation race: signed cookie store with a revocation store', () => {
  describeRotationRace(async () => {
    const revocation = createMemoryStore();
    const store = createSignedCookieStore({ secrets: ['s'.repeat(32)], revocation });
    return { manager: createSessionManager({ store }), cleanup: async () => {} };
  }, false);
});
