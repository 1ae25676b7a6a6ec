/**
 * The demo's state-changing GETs refuse cross-site requests (issue 10 §3): a
 * link on another site to `/counter/flush` used to log a visitor out, since
 * `SameSite=Lax` sends the cookie on a top-level navigation and the CSRF check
 * leaves GET alone. The `Sec-Fetch-*` headers are those a browser sends when
 * following a link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';
import { submitLogin } from './forms.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

/** A followed link from `site`, as a browser marks it. */
function linkFrom(site: 'cross-site' | 'same-site' | 'same-origin' | 'none') {
  return {
    headers: {
      'Sec-Fetch-Site': site,
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
      'Sec-Fetch-User': '?1',
    },
  };
}

describe('GET /counter/flush from another site', () => {
  it('is refused with 403 and leaves a logged-in session intact', async () => {
    const client = demo.client();
    await submitLogin(client);
    const cookie = client.cookie('sessionid');

    const refused = await client.get('/counter/flush', linkFrom('cross-site'));

    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Cross-site request refused.');
    expect(refused.headers.get('vary')).toMatch(/\bSec-Fetch-Site\b/);
    expect(refused.setCookies).toEqual([]);
    expect(client.cookie('sessionid')).toBe(cookie);
    const account = await client.get('/account', linkFrom('same-origin'));
    expect([account.status, textById(account.text, 'user')]).toEqual([200, 'ada']);
  });

  it('is refused from a sibling subdomain (same-site) too', async () => {
    const client = demo.client();
    await submitLogin(client);
    expect((await client.get('/counter/flush', linkFrom('same-site'))).status).toBe(403);
    expect((await client.get('/account')).status).toBe(200);
  });
});

describe('GET /counter/flush from the demo itself', () => {
  it('flushes the session when the link was on the same origin', async () => {
    const client = demo.client();
    await submitLogin(client);

    const flushed = await client.get('/counter/flush', linkFrom('same-origin'));

    expect(flushed.status).toBe(200);
    expect(client.cookie('sessionid')).toBeUndefined();
    expect((await client.get('/account')).status).toBe(303); // back to the login page
  });

  it('flushes it from a bookmark or a typed address (none), and for a client without the headers', async () => {
    for (const options of [linkFrom('none'), {}]) {
      const client = demo.client();
      await client.get('/counter');
      expect((await client.get('/counter/flush', options)).status).toBe(200);
      expect(client.cookie('sessionid')).toBeUndefined();
    }
  });
});

describe('GET /counter/delete-key', () => {
  it('keeps the counter when the request is cross-site, and deletes it when same-origin', async () => {
    const client = demo.client();
    await client.get('/counter');
    await client.get('/counter');

    expect((await client.get('/counter/delete-key', linkFrom('cross-site'))).status).toBe(403);
    const deleted = await client.get('/counter/delete-key', linkFrom('same-origin'));
    expect(textById(deleted.text, 'counter')).toBe('2');
  });

  it('leaves /counter itself open to links from other sites (it only counts)', async () => {
    const client = demo.client();
    expect(textById((await client.get('/counter', linkFrom('cross-site'))).text, 'counter')).toBe(
      '1',
    );
  });
});
