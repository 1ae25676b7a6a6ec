import { describe, expect, it } from 'vitest';
import { checkCsrf, isSafeMethod, Session } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createTestManager, keyOf, request } from './harness.js';

function detachedSession(): Session {
  return new Session({}, { cookieAge: 3600, expireAtBrowserClose: false });
}

describe('session.csrfToken() (Pyramid get_csrf_token)', () => {
  it('creates a 32-byte base64url token on first use, which modifies the session', () => {
    const session = detachedSession();
    expect(session.modified).toBe(false);
    const token = session.csrfToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url, unpadded
    expect(session.modified).toBe(true);
    expect(session.csrfToken()).toBe(token);
  });
  it('gives every session its own token', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => detachedSession().csrfToken()));
    expect(tokens.size).toBe(50);
  });
  it('keeps the token under the reserved key "_csrf", hidden from keys() and size', () => {
    const session = detachedSession();
    session.set('cart', []);
    session.csrfToken();
    expect(session.keys()).toEqual(['cart']);
    expect(session.size).toBe(1);
    expect(() => session.get('_csrf')).toThrow(/reserved/);
    expect(() => session.set('_csrf', 'attacker-chosen')).toThrow(/reserved/);
  });
  it('stays the same across requests', async () => {
    const store = createMemoryStore();
    const manager = createTestManager({ store });
    const first = await request(manager, undefined, (s) => s.csrfToken());
    expect(first.cookie).toBeDefined(); // creating the token saved the session
    expect(store.read(keyOf(first.cookie!))?.data._csrf).toBe(first.result);
    const second = await request(manager, first.cookie, (s) => s.csrfToken());
    expect(second.result).toBe(first.result);
    expect(second.setCookie).toBeUndefined(); // reading an existing token writes nothing
  });
});

describe('session.rotateCsrfToken() (Pyramid new_csrf_token)', () => {
  it('replaces the token; the old one is refused from then on', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.csrfToken());
    const rotated = await request(manager, first.cookie, (s) => s.rotateCsrfToken());
    expect(rotated.result).not.toBe(first.result);
    const later = await request(manager, first.cookie, (s) => [
      s.isValidCsrfToken(first.result),
      s.isValidCsrfToken(rotated.result),
      s.csrfToken(),
    ]);
    expect(later.result).toEqual([false, true, rotated.result]);
  });
});

describe('session.isValidCsrfToken()', () => {
  it('accepts exactly the session token', () => {
    const session = detachedSession();
    expect(session.isValidCsrfToken(session.csrfToken())).toBe(true);
  });
  it('rejects a wrong token of the right length, differing in the first or the last character', () => {
    const session = detachedSession();
    const token = session.csrfToken();
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    expect(session.isValidCsrfToken(flip(token[0]!) + token.slice(1))).toBe(false);
    expect(session.isValidCsrfToken(token.slice(0, -1) + flip(token.at(-1)!))).toBe(false);
    expect(session.isValidCsrfToken(detachedSession().csrfToken())).toBe(false);
  });
  it('rejects prefixes, extensions and padding of the token', () => {
    const session = detachedSession();
    const token = session.csrfToken();
    for (const candidate of [
      '',
      token.slice(0, 1),
      token.slice(0, -1),
      `${token}x`,
      `${token}=`,
      `${token}\0`,
      ` ${token}`,
      token + token,
    ]) {
      expect(session.isValidCsrfToken(candidate), JSON.stringify(candidate)).toBe(false);
    }
  });
  it('rejects anything but a string, such as a repeated header or field (array)', () => {
    const session = detachedSession();
    const token = session.csrfToken();
    for (const candidate of [undefined, null, 0, true, [token], { toString: () => token }]) {
      expect(session.isValidCsrfToken(candidate)).toBe(false);
    }
  });
  it('is false while the session has no token, and checking does not create one', () => {
    const session = detachedSession();
    expect(session.isValidCsrfToken('')).toBe(false);
    expect(session.isValidCsrfToken('anything')).toBe(false);
    expect(session.isEmpty).toBe(true);
    expect(session.modified).toBe(false);
  });
});

describe('token rotation on privilege changes', () => {
  it('rotates an existing token on cycleKey(), so a token seen before login is dead after it', async () => {
    const manager = createTestManager();
    const first = await request(manager, undefined, (s) => s.csrfToken());
    const cycled = await request(manager, first.cookie, (s) => {
      s.cycleKey();
      return s.csrfToken();
    });
    expect(cycled.result).not.toBe(first.result);
    const later = await request(manager, cycled.cookie, (s) => s.isValidCsrfToken(first.result));
    expect(later.result).toBe(false);
  });
  it('does not create a token on cycleKey() when there was none', () => {
    const session = detachedSession();
    session.set('cart', []);
    session.cycleKey();
    expect(session.isValidCsrfToken('')).toBe(false);
    expect(session.keys()).toEqual(['cart']);
  });
  it('drops the token on flush(): a new session gets a new one', () => {
    const session = detachedSession();
    const token = session.csrfToken();
    session.flush();
    expect(session.isValidCsrfToken(token)).toBe(false);
    expect(session.csrfToken()).not.toBe(token);
  });
});

describe('isSafeMethod()', () => {
  it('exempts GET, HEAD, OPTIONS and TRACE only, matched exactly (methods are case-sensitive)', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE'])
      expect(isSafeMethod(method)).toBe(true);
    for (const method of [
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'CONNECT',
      'get',
      'Post',
      '',
      undefined,
    ])
      expect(isSafeMethod(method), String(method)).toBe(false);
  });
});

describe('checkCsrf()', () => {
  it('passes safe methods without a token and without creating one', () => {
    const session = detachedSession();
    expect(checkCsrf({ method: 'GET' }, session)).toBe(true);
    expect(session.modified).toBe(false);
  });
  it('refuses an unsafe method without a token, with a wrong one, or when the session has none', () => {
    const fresh = detachedSession();
    expect(checkCsrf({ method: 'POST', headerToken: 'x', formToken: 'y' }, fresh)).toBe(false);
    const session = detachedSession();
    session.csrfToken();
    expect(checkCsrf({ method: 'POST' }, session)).toBe(false);
    expect(checkCsrf({ method: 'DELETE', headerToken: 'nope' }, session)).toBe(false);
    expect(checkCsrf({ method: 'PUT', formToken: ['a', 'b'] }, session)).toBe(false);
  });
  it('accepts the token from the header or from the form field', () => {
    const session = detachedSession();
    const token = session.csrfToken();
    expect(checkCsrf({ method: 'POST', headerToken: token }, session)).toBe(true);
    expect(checkCsrf({ method: 'POST', formToken: token }, session)).toBe(true);
    expect(checkCsrf({ method: 'PATCH', headerToken: 'wrong', formToken: token }, session)).toBe(
      true,
    );
  });
});
