/**
 * The kit's pieces for an adapter's own cookies and secrets: random tokens,
 * their constant-time comparison, and reading one cookie from a header. The
 * session's CSRF token and the admin's tokens are made with these.
 */
import { describe, expect, it } from 'vitest';
import {
  generateRandomToken,
  isRandomToken,
  isSameSecret,
  readCookie,
} from '../../src/kit/index.js';

describe('generateRandomToken', () => {
  it('answers 43 base64url characters (32 random bytes), a new one each time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateRandomToken()));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('uses the whole alphabet (no bias towards a few characters)', () => {
    const seen = new Set([...Array.from({ length: 200 }, () => generateRandomToken()).join('')]);
    expect(seen.size).toBe(64);
  });
});

describe('isRandomToken', () => {
  it('accepts a generated token and nothing else', () => {
    expect(isRandomToken(generateRandomToken())).toBe(true);
    for (const value of [
      undefined,
      null,
      42,
      '',
      'a'.repeat(42),
      'a'.repeat(44),
      `${'a'.repeat(42)}=`,
      `${'a'.repeat(42)}+`,
    ]) {
      expect(isRandomToken(value)).toBe(false);
    }
  });
});

describe('isSameSecret', () => {
  const secret = generateRandomToken();

  it('is true for the same secret', () => {
    expect(isSameSecret(secret, `${secret}`)).toBe(true);
  });

  it('is false for another secret, a prefix, a longer string, or one character changed', () => {
    expect(isSameSecret(secret, generateRandomToken())).toBe(false);
    expect(isSameSecret(secret, secret.slice(0, -1))).toBe(false);
    expect(isSameSecret(secret, `${secret}x`)).toBe(false);
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(isSameSecret(secret, secret.slice(0, -1) + last)).toBe(false);
  });

  it('is false for anything but a string, and when the expected secret is empty', () => {
    for (const candidate of [undefined, null, 0, [secret], { toString: () => secret }]) {
      expect(isSameSecret(secret, candidate)).toBe(false);
    }
    expect(isSameSecret('', '')).toBe(false);
  });
});

describe('readCookie', () => {
  it('answers the named cookie’s value, undefined when absent or without a header', () => {
    expect(readCookie('a=1; csrf=xyz; b=2', 'csrf')).toBe('xyz');
    expect(readCookie('a=1; b=2', 'csrf')).toBeUndefined();
    expect(readCookie(null, 'csrf')).toBeUndefined();
    expect(readCookie(undefined, 'csrf')).toBeUndefined();
    expect(readCookie('', 'csrf')).toBeUndefined();
  });

  it('does not take a cookie whose name only ends with the name', () => {
    expect(readCookie('xcsrf=evil', 'csrf')).toBeUndefined();
    expect(readCookie('xcsrf=evil; csrf=good', 'csrf')).toBe('good');
  });

  it('takes the first of duplicate names (RFC 6265 §5.4: the most specific path comes first)', () => {
    expect(readCookie('csrf=first; csrf=second', 'csrf')).toBe('first');
  });

  it('never throws on malformed input', () => {
    for (const header of ['csrf', ';;;', 'csrf=%E0%A4%A', '=; =x; csrf', 'csrf="unterminated']) {
      expect(() => readCookie(header, 'csrf')).not.toThrow();
    }
  });
});
