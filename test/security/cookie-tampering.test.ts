/**
 * A sealed session cookie is the session: every change a client makes to it
 * must turn it into "no session" — never into someone else's data, never into
 * an exception (an exception would be a 500 any visitor could trigger).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { createSessionManager, type Session, type SessionManager } from '../../src/core/index.js';
import {
  type CookieSessionStore,
  type CookieStoreOptions,
  createEncryptedCookieStore,
  createSignedCookieStore,
} from '../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';

const SECRET = 'tamper-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

const FACTORIES: { name: string; create: (options: CookieStoreOptions) => CookieSessionStore }[] = [
  { name: 'signed', create: createSignedCookieStore },
  { name: 'encrypted', create: createEncryptedCookieStore },
];

function managerOn(store: CookieSessionStore): SessionManager {
  return createSessionManager({ store }, { digestId: digestSessionIdNode });
}

/** A sealed cookie value holding a logged-in user's data. */
async function sealedValue(manager: SessionManager): Promise<string> {
  const session = await manager.load({ cookie: undefined, secure: false });
  session.login('ann');
  session.set('role', 'user');
  session.set('cart', { items: ['a', 'b'] });
  const { setCookie } = await manager.commit(session);
  return setCookie!.split(';')[0]!.slice('sessionid='.length);
}

/** Loads a request carrying `value`; the session must be fresh and empty. */
async function expectNoSession(manager: SessionManager, value: string): Promise<Session> {
  const session = await manager.load({ cookie: `sessionid=${value}`, secure: false });
  expect(session.isEmpty).toBe(true);
  expect(session.id).toBeUndefined();
  expect(session.userId).toBeNull();
  return session;
}

function flipByte(value: string, position: number): string {
  return (
    value.slice(0, position) +
    String.fromCharCode(value.charCodeAt(position) ^ 0x01) +
    value.slice(position + 1)
  );
}

describe.each(FACTORIES)('tampering with a $name session cookie', ({ create }) => {
  const store = create({ secrets: [SECRET] });
  const manager = managerOn(store);

  it('opens the untampered cookie (the baseline the other tests change)', async () => {
    const value = await sealedValue(manager);
    const session = await manager.load({ cookie: `sessionid=${value}`, secure: false });
    expect(session.userId).toBe('ann');
    expect(session.get('role')).toBe('user');
  });

  it('rejects the cookie with any single byte changed (every position, XOR 0x01)', async () => {
    const value = await sealedValue(manager);
    for (let position = 0; position < value.length; position++) {
      const tampered = flipByte(value, position);
      expect(await store.open(tampered), `position ${position}`).toBeNull();
      await expectNoSession(manager, tampered);
    }
  });

  it('rejects the cookie truncated at every length', async () => {
    const value = await sealedValue(manager);
    for (let length = 0; length < value.length; length++) {
      const truncated = value.slice(0, length);
      expect(await store.open(truncated), `length ${length}`).toBeNull();
      await expectNoSession(manager, truncated);
    }
  });

  it('rejects a valid cookie with bytes appended (tinyhttp GHSA-63x4-8g8c-vhww)', async () => {
    const value = await sealedValue(manager);
    for (const suffix of [
      'A',
      'AA',
      'AAAA',
      '0',
      '-',
      '_',
      '.',
      '.A',
      '..',
      '=',
      '==',
      'x'.repeat(100),
      '.t1',
      ' junk',
      '\u0000',
    ]) {
      expect(await store.open(value + suffix), JSON.stringify(suffix)).toBeNull();
      await expectNoSession(manager, value + suffix);
    }
  });

  it('rejects bytes prepended and parts swapped or repeated', async () => {
    const value = await sealedValue(manager);
    const parts = value.split('.');
    const variants = [
      `A${value}`,
      `.${value}`,
      [...parts, parts.at(-1)].join('.'),
      [parts[0], ...parts.slice(1).reverse()].join('.'),
      parts.slice(0, -1).join('.'),
    ];
    for (const variant of variants) {
      expect(await store.open(variant), variant).toBeNull();
      await expectNoSession(manager, variant);
    }
  });

  it('rejects a cookie sealed under another secret', async () => {
    const other = managerOn(
      create({ secrets: ['another-secret-0123456789abcdefghijklmnopqrstuvwxyz'] }),
    );
    await expectNoSession(manager, await sealedValue(other));
  });

  it('rejects garbage, huge and unicode values without an exception', async () => {
    const garbage = [
      '',
      'null',
      '{}',
      '[]',
      'undefined',
      't1',
      't1..',
      `t1.${'A'.repeat(10)}.${'A'.repeat(43)}`,
      'e1',
      `e1.${'A'.repeat(8)}.${'A'.repeat(16)}.${'A'.repeat(40)}`,
      'ForgedForgedForgedForgedForged12',
      '😀'.repeat(50),
      '%F0%9F%98%80',
      '%ZZ',
      '\u0000\u0001\u0002',
      'é'.repeat(100),
      'x'.repeat(5000),
      'A'.repeat(1_000_000),
      `t1.${'A'.repeat(1_000_000)}.${'A'.repeat(43)}`,
    ];
    for (const value of garbage) {
      expect(await store.open(value), value.slice(0, 40)).toBeNull();
      await expectNoSession(manager, value);
    }
  });

  it('never throws and never opens a random string (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (value) => {
        expect(await store.open(value)).toBeNull();
        const session = await manager.load({
          cookie: `sessionid=${encodeURIComponent(value)}`,
          secure: false,
        });
        expect(session.isEmpty).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never opens a random change to a real cookie (property)', async () => {
    const value = await sealedValue(manager);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: value.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, mask) => {
          const code = value.charCodeAt(position) ^ mask;
          const changed =
            value.slice(0, position) + String.fromCharCode(code) + value.slice(position + 1);
          expect(await store.open(changed)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('replaying a cookie after flush() with revocation: an empty session', async () => {
    const revoking = managerOn(create({ secrets: [SECRET], revocation: createMemoryStore() }));
    const value = await sealedValue(revoking);
    const session = await revoking.load({ cookie: `sessionid=${value}`, secure: false });
    session.logout();
    await revoking.commit(session);
    await expectNoSession(revoking, value);
  });

  it('replaying a cookie after flush() without revocation: still accepted until it expires (documented; CVE-2024-31999)', async () => {
    const value = await sealedValue(manager);
    const session = await manager.load({ cookie: `sessionid=${value}`, secure: false });
    session.flush();
    await manager.commit(session);
    // The server keeps no state, so it cannot tell a copy from the original:
    // this is why the default lifetime is one day and `revocation` exists.
    const replayed = await manager.load({ cookie: `sessionid=${value}`, secure: false });
    expect(replayed.userId).toBe('ann');
  });
});

describe('a signed cookie is readable but not forgeable', () => {
  it('rejects a payload edited to another user while keeping the old MAC', async () => {
    const store = createSignedCookieStore({ secrets: [SECRET] });
    const manager = managerOn(store);
    const value = await sealedValue(manager);
    const [version, payload, mac] = value.split('.') as [string, string, string];
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(json.userId).toBe('ann'); // readable: never put secrets in a signed cookie
    json.userId = 'admin';
    json.data.role = 'admin';
    const forged = `${version}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${mac}`;
    expect(await store.open(forged)).toBeNull();
    await expectNoSession(manager, forged);
  });
});
