import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { textById } from '../helpers/html-query.js';
import { freePort } from '../helpers/listen.js';
import { type DemoProcess, spawnDemoServer } from '../helpers/spawn-demo-server.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

let dir: TempDir;
let running: DemoProcess | undefined;

beforeAll(async () => {
  dir = await createTempDir('tessera-demo-restart-');
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(() => dir.remove());

async function start(): Promise<DemoProcess> {
  running = await spawnDemoServer({
    PORT: '0',
    SESSION_STORE: `sqlite:${dir.file('sessions.db')}`,
  });
  return running;
}

async function stop(): Promise<number | null> {
  const code = await running?.stop();
  running = undefined;
  return code ?? null;
}

describe('the demo server (examples/demo/server.ts)', () => {
  it('prints the URL it listens on', async () => {
    const server = await start();
    expect(server.output()).toMatch(/^Tessera demo listening on http:\/\/localhost:\d+$/m);
    expect((await fetch(server.baseUrl)).status).toBe(200);
  });

  it('keeps sessions across a restart on the same SQLite file', async () => {
    let server = await start();
    const client = new CookieJarClient(server.baseUrl);
    for (const expected of ['1', '2', '3']) {
      expect(textById((await client.get('/')).text, 'visits')).toBe(expected);
    }
    expect(await stop()).toBe(0);

    server = await start();
    const sameBrowser = new CookieJarClient(server.baseUrl);
    sameBrowser.setCookie('sessionid', client.cookie('sessionid')!);
    expect(textById((await sameBrowser.get('/')).text, 'visits')).toBe('4');
    expect(textById((await new CookieJarClient(server.baseUrl).get('/')).text, 'visits')).toBe('1');
  });

  it.each([
    ['an unknown scheme', 'foo:bar', 'Store URL "foo:bar" has an unsupported scheme "foo:"'],
    ['something that is not a URL', 'nonsense', 'Store URL "nonsense" is not a URL'],
  ])('refuses to start on %s with one line saying why, no stack trace', async (_, url, reason) => {
    const failed = spawnDemoServer({ PORT: '0', SESSION_STORE: url });
    await expect(failed).rejects.toThrow(/exited with code 1 before listening/);
    const message = String(await failed.catch((error: unknown) => error));
    const output = message.slice(message.indexOf('\n') + 1).trim();
    expect(output.split('\n')).toEqual([expect.stringContaining(reason)]);
  });

  it('refuses to start on a store it cannot reach, naming the URL with the password masked', async () => {
    const port = await freePort(); // nothing listens there
    const failed = spawnDemoServer({
      PORT: '0',
      SESSION_STORE: `redis://:hunter2@127.0.0.1:${port}`,
    });
    await expect(failed).rejects.toThrow(/exited with code 1/);
    const message = String(await failed.catch((error: unknown) => error));
    expect(message).toContain(`redis://:***@127.0.0.1:${port}`);
    expect(message).not.toContain('hunter2');
  });
});
