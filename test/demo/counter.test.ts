import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSetCookie } from '../helpers/cookie-jar-client.js';
import { textById } from '../helpers/html-query.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';

const TWO_WEEKS = 1_209_600;

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'sqlite' });
});
afterAll(() => demo.close());

describe('GET /counter', () => {
  it('increments the counter on every request and shows it', async () => {
    const client = demo.client();
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('1');
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('2');
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('3');
  });

  it('keeps a counter of its own, apart from the visit counter', async () => {
    const client = demo.client();
    await client.get('/');
    await client.get('/');
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('1');
    expect(textById((await client.get('/')).text, 'visits')).toBe('3');
  });
});

describe('GET /counter/delete-key', () => {
  it('pops the counter and shows the popped value, then 0 once it is gone', async () => {
    const client = demo.client();
    await client.get('/counter');
    await client.get('/counter');
    expect(textById((await client.get('/counter/delete-key')).text, 'counter')).toBe('2');
    expect(textById((await client.get('/counter/delete-key')).text, 'counter')).toBe('0');
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('1');
  });

  it('shows 0 for a new visitor', async () => {
    const response = await demo.client().get('/counter/delete-key');
    expect(response.status).toBe(200);
    expect(textById(response.text, 'counter')).toBe('0');
  });
});

describe('GET /counter/flush', () => {
  it('deletes the session cookie with Max-Age=0', async () => {
    const client = demo.client();
    await client.get('/counter');
    const response = await client.get('/counter/flush');
    expect(response.status).toBe(200);
    const deletion = response.setCookies
      .map((header) => parseSetCookie(header))
      .find((c) => c.name === 'sessionid');
    expect(deletion?.attributes.get('max-age')).toBe('0');
    expect(deletion?.deletes).toBe(true);
    expect(client.cookie('sessionid')).toBeUndefined();
  });

  it('forgets the data: the counter starts again at 1', async () => {
    const client = demo.client();
    await client.get('/counter');
    await client.get('/counter');
    await client.get('/counter/flush');
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('1');
  });

  it('makes the old cookie worthless: presenting it again yields a fresh session', async () => {
    const client = demo.client();
    await client.get('/counter');
    await client.get('/counter');
    const oldId = client.cookie('sessionid');
    expect(oldId).toBeTruthy();
    await client.get('/counter/flush');

    client.setCookie('sessionid', oldId!);
    expect(textById((await client.get('/counter')).text, 'counter')).toBe('1');
    expect(client.cookie('sessionid')).toBeTruthy();
    expect(client.cookie('sessionid')).not.toBe(oldId);
  });
});

describe('GET /counter/other', () => {
  it('shows the cookie age of two weeks in seconds', async () => {
    const { text } = await demo.client().get('/counter/other');
    expect(textById(text, 'session-age')).toBe(String(TWO_WEEKS));
  });

  it('tells the age in words too, next to the seconds', async () => {
    const { text } = await demo.client().get('/counter/other');
    expect(textById(text, 'session-age-words')).toBe('2 weeks');
    expect(text).toMatch(
      /<span id="session-age">\d+<\/span> seconds, that is <strong id="session-age-words">/,
    );
  });

  it('shows the expiry date, about two weeks ahead, in ISO 8601', async () => {
    const before = Date.now();
    const { text } = await demo.client().get('/counter/other');
    const after = Date.now();
    const shown = textById(text, 'expiry-date') ?? '';
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const expiry = Date.parse(shown);
    expect(expiry).toBeGreaterThanOrEqual(before + TWO_WEEKS * 1000 - 1000);
    expect(expiry).toBeLessThanOrEqual(after + TWO_WEEKS * 1000 + 1000);
  });
});
