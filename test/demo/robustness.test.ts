import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/demo/app.js';
import type { SessionStore } from '../../src/core/store.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { textById } from '../helpers/html-query.js';
import { listen } from '../helpers/listen.js';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';

let demo: RunningDemo;
beforeAll(async () => {
  demo = await startDemoApp({ store: 'memory' });
});
afterAll(() => demo.close());

describe('the demo app', () => {
  it.each([
    ['garbage', 'not-a-session-id'],
    ['an unknown id of the right shape', 'A'.repeat(32)],
    ['characters to escape', '%3Cscript%3E%22'],
    ['an empty value', ''],
  ])('serves a normal page with a fresh session for a cookie holding %s', async (_, value) => {
    const client = demo.client();
    client.setCookie('sessionid', value);
    const response = await client.get('/');
    expect(response.status).toBe(200);
    expect(textById(response.text, 'visits')).toBe('1');
    expect(client.cookie('sessionid')).toBeTruthy();
    expect(client.cookie('sessionid')).not.toBe(value);
    expect(textById((await client.get('/')).text, 'visits')).toBe('2');
  });

  it('answers 404 with a page for an unknown path, escaping the path', async () => {
    const response = await demo.client().get('/nope/%3Cb%3E');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Not found');
    expect(response.text).not.toContain('<b>');
  });

  it('answers 413 with a page for a form post that is too large', async () => {
    const response = await demo.client().post('/comment', { comment: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect(textById(response.text, 'error')).toBeTruthy();
  });

  it('does not advertise Express', async () => {
    expect((await demo.client().get('/')).headers.get('x-powered-by')).toBeNull();
  });

  it('answers 503 when the session store is down, without a session cookie', async () => {
    const down = (): never => {
      throw new Error('store unreachable');
    };
    const broken: SessionStore = {
      ...createMemoryStore(),
      name: 'broken',
      read: down,
      create: down,
      update: down,
    };
    const server = await listen(createDemoApp({ store: broken }));
    try {
      const client = new CookieJarClient(server.baseUrl);
      client.setCookie('sessionid', 'A'.repeat(32));
      const response = await client.get('/');
      expect(response.status).toBe(503);
      expect(response.setCookies).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
