import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributesByClass, textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

describe('GET /', () => {
  it('counts this visit, starting at 1 for a new visitor', async () => {
    const client = demo.client();
    const response = await client.get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(textById(response.text, 'visits')).toBe('1');
    expect(response.text).toContain('You have visited this page');
    expect(client.cookie('sessionid')).toBeTruthy();
  });

  it('increments the count on every visit of the same client', async () => {
    const client = demo.client();
    for (const expected of ['1', '2', '3']) {
      expect(textById((await client.get('/')).text, 'visits')).toBe(expected);
    }
    expect((await client.get('/')).text).toContain(
      'You have visited this page <span id="visits">4</span> times',
    );
  });

  it('keeps the counts of two clients apart', async () => {
    const alice = demo.client();
    const bob = demo.client();
    await alice.get('/');
    await alice.get('/');
    expect(textById((await bob.get('/')).text, 'visits')).toBe('1');
    expect(textById((await alice.get('/')).text, 'visits')).toBe('3');
    expect(textById((await bob.get('/')).text, 'visits')).toBe('2');
    expect(alice.cookie('sessionid')).not.toBe(bob.cookie('sessionid'));
  });

  it('starts again at 1 when the client drops its cookie', async () => {
    const client = demo.client();
    await client.get('/');
    await client.get('/');
    client.clearCookies();
    expect(textById((await client.get('/')).text, 'visits')).toBe('1');
  });

  it('links to every page of the demo', async () => {
    const { text } = await demo.client().get('/');
    for (const path of [
      '/counter',
      '/counter/delete-key',
      '/counter/flush',
      '/counter/other',
      '/cart',
      '/login',
      '/account',
      '/account/sessions',
      '/comment',
    ]) {
      expect(text).toContain(`href="${path}"`);
    }
    expect(attributesByClass(text, 'flash')).toEqual([]);
  });
});
