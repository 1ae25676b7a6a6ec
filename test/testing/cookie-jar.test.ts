import { describe, expect, it } from 'vitest';
import { CookieJar, CookieJarClient, parseSetCookie } from '../../src/testing/index.js';

describe('tessera-session/testing: parseSetCookie()', () => {
  it('reads the name, the value and the attributes', () => {
    const parsed = parseSetCookie('sessionid=abc=; Path=/; HttpOnly; SameSite=Lax');
    expect(parsed.name).toBe('sessionid');
    expect(parsed.value).toBe('abc=');
    expect(Object.fromEntries(parsed.attributes)).toEqual({
      path: '/',
      httponly: '',
      samesite: 'Lax',
    });
    expect(parsed.deletes).toBe(false);
  });

  it('treats Max-Age=0 and a past Expires as deletion, Max-Age first', () => {
    expect(parseSetCookie('a=; Max-Age=0').deletes).toBe(true);
    expect(parseSetCookie('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT').deletes).toBe(true);
    expect(parseSetCookie('a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT').deletes).toBe(
      false,
    );
  });
});

describe('tessera-session/testing: CookieJar', () => {
  it('stores the cookies of Set-Cookie headers and sends them back in one Cookie header', () => {
    const jar = new CookieJar();
    expect(jar.header()).toBeUndefined();
    jar.storeSetCookies(['sessionid=abc; Path=/; HttpOnly', 'theme=dark']);
    expect(jar.get('sessionid')).toBe('abc');
    expect(jar.size).toBe(2);
    expect(jar.header()).toBe('sessionid=abc; theme=dark');
  });

  it('drops a cookie the server deletes, and ignores nameless headers', () => {
    const jar = new CookieJar();
    jar.set('sessionid', 'abc');
    jar.storeSetCookies(['sessionid=; Max-Age=0; Path=/', 'garbage']);
    expect(jar.has('sessionid')).toBe(false);
    expect(jar.toObject()).toEqual({});
  });

  it('can be set, deleted from and cleared by hand', () => {
    const jar = new CookieJar();
    jar.set('a', '1');
    jar.set('b', '2');
    expect(jar.delete('a')).toBe(true);
    expect(jar.delete('a')).toBe(false);
    expect(jar.toObject()).toEqual({ b: '2' });
    jar.clear();
    expect(jar.size).toBe(0);
  });
});

describe('tessera-session/testing: CookieJarClient', () => {
  it('sends through the fetch function it is given, with the shared jar', async () => {
    const jar = new CookieJar();
    jar.set('theme', 'dark');
    const seen: string[] = [];
    const client = new CookieJarClient('http://example.test', {
      jar,
      fetch: async (url, init) => {
        seen.push(`${init.method} ${url} cookie=${new Headers(init.headers).get('cookie')}`);
        return new Response('ok', { headers: { 'Set-Cookie': 'sessionid=xyz; Path=/' } });
      },
    });
    const response = await client.get('/page');
    expect(response.text).toBe('ok');
    expect(seen).toEqual(['GET http://example.test/page cookie=theme=dark']);
    expect(client.jar).toBe(jar);
    expect(jar.get('sessionid')).toBe('xyz');
  });

  it('turns a followed 303 into a GET without the body, and gives up after ten redirects', async () => {
    const seen: string[] = [];
    const client = new CookieJarClient('http://example.test', {
      fetch: async (url, init) => {
        seen.push(`${init.method} ${url} ${init.body ?? ''}`.trim());
        return new Response(null, { status: 303, headers: { Location: '/again' } });
      },
    });
    await expect(client.post('/form', { a: '1' }, { follow: true })).rejects.toThrow(
      'More than 10 redirects, the last to /again',
    );
    expect(seen[0]).toBe('POST http://example.test/form a=1');
    expect(seen[1]).toBe('GET http://example.test/again');
  });
});
