import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { postForm, submitLogin } from './forms.js';

const PAGES = ['/', '/counter', '/cart', '/comment', '/account', '/account/sessions'];

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'memory' });
});
afterAll(() => demo.close());

/** The page's `<header>`, which holds the navigation. */
function headerOf(html: string): string {
  return /<header>[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
}

async function logIn(client: CookieJarClient, username: string): Promise<void> {
  expect((await submitLogin(client, username)).status).toBe(303);
}

describe('the navigation', () => {
  it('offers "Log in", and no "Log out", to a visitor who is not logged in', async () => {
    for (const path of ['/', '/counter', '/cart', '/comment', '/login', '/nope']) {
      const header = headerOf((await demo.client().get(path)).text);
      expect(textById(header, 'nav-login')).toBe('Log in');
      expect(header).toContain('href="/login"');
      expect(header).not.toContain('action="/logout"');
      expect(textById(header, 'nav-user')).toBeUndefined();
    }
  });

  it('shows who is logged in and a "Log out" form with the CSRF field, on every page', async () => {
    const client = demo.client();
    await logIn(client, 'ada');
    for (const path of PAGES) {
      const header = headerOf((await client.get(path)).text);
      expect(textById(header, 'nav-user')).toBe('ada');
      expect(textById(header, 'nav-logout')).toBe('Log out');
      expect(header).toMatch(
        /<form method="post" action="\/logout"[^>]*><input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/,
      );
      expect(header).not.toContain('href="/login"');
    }
  });

  it('logs out through its form, and then offers "Log in" again', async () => {
    const client = demo.client();
    await logIn(client, 'ada');
    const response = await postForm(client, '/logout', {}, { follow: true });
    expect(response.redirects.map((r) => r.headers.get('location'))).toEqual(['/']);
    const header = headerOf(response.text);
    expect(textById(header, 'nav-login')).toBe('Log in');
    expect(textById(header, 'nav-user')).toBeUndefined();
    expect((await client.get('/account')).status).toBe(303);
  });

  it('escapes the user name', async () => {
    const client = demo.client();
    await logIn(client, '"><img src=x onerror=alert(1)>');
    const header = headerOf((await client.get('/')).text);
    expect(header).not.toContain('<img');
    expect(textById(header, 'nav-user')).toBe('"><img src=x onerror=alert(1)>');
  });

  it('marks the current page', async () => {
    const header = headerOf((await demo.client().get('/cart')).text);
    expect(header).toContain('<a href="/cart" aria-current="page">Cart</a>');
    expect(header.match(/aria-current/g)).toHaveLength(1);
  });
});
