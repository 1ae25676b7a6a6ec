/**
 * The opt-in debug output (issue 13 §1): one human-readable line per load,
 * commit, store operation and CSRF refusal, from the `debug` option or
 * `NODE_DEBUG=tessera`; never a session id, cookie or value unless asked
 * (and then only the store key); a failing writer changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCsrfRequest,
  createSessionHandler,
  sendCsrfFailure,
} from '../../src/adapters/node/index.js';
import { describeStoreOperation, namesTessera } from '../../src/core/debug-output.js';
import {
  createSessionManager,
  DEFAULT_SESSION_OPTIONS,
  SessionConfigError,
  type SessionOptions,
  SessionStoreError,
} from '../../src/core/index.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { CookieJarClient } from '../helpers/cookie-jar-client.js';
import { freePort, listen } from '../helpers/listen.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { createTestManager, keyOf, request } from './harness.js';

const SECRET_VALUE = 'swordfish-4242';
const DURATION = String.raw`\d+\.\d\d ms`;

/** A manager on `store` whose debug lines are collected. */
function debugging(options: SessionOptions & { showIds?: boolean }) {
  const lines: string[] = [];
  const { showIds, ...rest } = options;
  const manager = createTestManager({
    ...rest,
    debug: { write: (line) => lines.push(line), ...(showIds === undefined ? {} : { showIds }) },
  });
  return { manager, lines };
}

/** Checks that no line holds the session's id, its key (unless `key` is allowed) or the secret value. */
function expectNoSecrets(lines: readonly string[], cookie: string, allowKey = false): void {
  const text = lines.join('\n');
  expect(text).not.toContain(cookie.split('=')[1]!);
  expect(text).not.toContain(SECRET_VALUE);
  if (!allowKey) expect(text).not.toContain(keyOf(cookie));
}

describe('debug output from the debug option', () => {
  it('writes a line per load, commit and store operation on a synchronous store', async () => {
    const { manager, lines } = debugging({ store: createMemoryStore() });
    const first = await request(manager, undefined, (s) => s.set('secret', SECRET_VALUE));
    await request(manager, first.cookie, (s) => s.set('n', 1));
    await request(manager, first.cookie, (s) => s.get('n'));
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^tessera store memory create ok ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera commit memory create saved ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera store memory read ok ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera load memory found ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera store memory update ok ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera commit memory delta saved ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera store memory read ok ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera load memory found ${DURATION}$`)),
      expect.stringMatching(new RegExp(`^tessera commit memory nothing saved ${DURATION}$`)),
    ]);
    expectNoSecrets(lines, first.cookie!);
  });

  describe('on an asynchronous store (files)', () => {
    let temp: TempDir;
    beforeAll(async () => {
      temp = await createTempDir('tessera-debug-output-');
    });
    afterAll(async () => {
      await temp.remove();
    });

    it('writes the same lines when the store answers with promises', async () => {
      const { manager, lines } = debugging({
        store: createFileStore({ directory: temp.file('sessions') }),
      });
      const first = await request(manager, undefined, (s) => s.set('secret', SECRET_VALUE));
      await request(manager, first.cookie, (s) => s.flush());
      await request(manager, first.cookie, (s) => s.get('secret'));
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^tessera store file create ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera commit file create saved ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera store file read ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera load file found ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera store file destroy ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera commit file destroy saved ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera store file read ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera load file missing ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera commit file nothing saved ${DURATION}$`)),
      ]);
      expectNoSecrets(lines, first.cookie!);
    });
  });

  it('writes the error of a store that cannot be reached (Redis on a closed port)', async () => {
    const port = await freePort();
    const store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      connectTimeout: 500,
      commandTimeout: 500,
      onError: () => {},
    });
    const { manager, lines } = debugging({ store });
    const cookie = 'sessionid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    await expect(manager.load({ cookie, secure: false })).rejects.toBeInstanceOf(SessionStoreError);
    await store.close();
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^tessera store redis read error ${DURATION}: \\w+: .*unreachable`),
      ),
      expect.stringMatching(
        new RegExp(`^tessera load redis error ${DURATION}: SessionStoreError: .*unreachable`),
      ),
    ]);
    expectNoSecrets(lines, cookie);
  });

  it('adds the store key to store lines with showIds, never the id or a value', async () => {
    const { manager, lines } = debugging({ store: createMemoryStore(), showIds: true });
    const first = await request(manager, undefined, (s) => s.set('secret', SECRET_VALUE));
    const loggedIn = await request(manager, first.cookie, (s) => s.login('user-7'));
    const key = keyOf(first.cookie!);
    const newKey = keyOf(loggedIn.cookie!);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^tessera store memory create ok ${DURATION} key=[0-9a-f]{64}$`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^tessera store memory read ok ${DURATION} key=${key}$`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^tessera store memory rotate ok ${DURATION} key=${key} -> ${newKey}$`),
      ),
    );
    expectNoSecrets(lines, first.cookie!, true);
    expectNoSecrets(lines, loggedIn.cookie!, true);
  });

  it('goes on as if nothing happened when the writer throws', async () => {
    const manager = createTestManager({
      store: createMemoryStore(),
      debug: {
        write() {
          throw new Error('log sink down');
        },
      },
    });
    const first = await request(manager, undefined, (s) => s.set('n', 1));
    const second = await request(manager, first.cookie, (s) => {
      s.set('n', (s.get('n') as number) + 1);
      return s.get('n');
    });
    expect(second.result).toBe(2);
  });

  it('writes nothing without the option or NODE_DEBUG', async () => {
    const output = runChild({ NODE_DEBUG: 'tesserax,sessions' }, 'false');
    expect(output.stderr).toBe('');
    expect(output.cookie).toMatch(/^sessionid=/);
  });
});

describe('debug output from NODE_DEBUG', () => {
  it('writes to stderr with NODE_DEBUG=tessera, and with debug: true', () => {
    for (const [env, option] of [
      [{ NODE_DEBUG: 'http,tessera' }, 'undefined'],
      [{ NODE_DEBUG: '' }, 'true'],
    ] as const) {
      const { stderr, cookie } = runChild(env, option);
      const lines = stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^tessera store memory create ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera commit memory create saved ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera store memory read ok ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera load memory found ${DURATION}$`)),
        expect.stringMatching(new RegExp(`^tessera commit memory nothing saved ${DURATION}$`)),
      ]);
      expect(stderr).not.toContain(cookie.split('=')[1]);
      expect(stderr).not.toContain(SECRET_VALUE);
    }
  });

  it('writes a Fetch Metadata refusal with NODE_DEBUG=tessera, and nothing without it', () => {
    const url = JSON.stringify(new URL('../../src/core/index.ts', import.meta.url).href);
    const script = `
      const { checkFetchMetadata } = await import(${url});
      checkFetchMetadata({ site: 'same-origin', method: 'POST' });
      checkFetchMetadata({ site: 'cross-site', method: 'POST' });
    `;
    const run = (nodeDebug: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: nodeDebug },
      });
    expect(run('tessera').stderr).toBe('tessera csrf rejected: cross-site\n');
    expect(run('').stderr).toBe('');
  });

  it('matches NODE_DEBUG as a list, case ignored, with * wildcards', () => {
    expect(namesTessera('tessera')).toBe(true);
    expect(namesTessera('http, TESSERA')).toBe(true);
    expect(namesTessera('tess*')).toBe(true);
    expect(namesTessera('*')).toBe(true);
    expect(namesTessera('')).toBe(false);
    expect(namesTessera(undefined)).toBe(false);
    expect(namesTessera('tesserax,http')).toBe(false);
  });
});

/**
 * Runs a session in a child process (`debug` option given as `option`) and
 * answers its stderr and the cookie it issued.
 */
function runChild(
  env: Record<string, string>,
  option: 'undefined' | 'true' | 'false',
): { stderr: string; cookie: string } {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    const { createSessionManager } = await import(${url('../../src/core/index.ts')});
    const { createMemoryStore } = await import(${url('../../src/stores/memory/index.ts')});
    const manager = createSessionManager({ store: createMemoryStore(), debug: ${option} });
    const fresh = await manager.load({ cookie: undefined, secure: false });
    fresh.set('secret', ${JSON.stringify(SECRET_VALUE)});
    const cookie = (await manager.commit(fresh)).setCookie.split(';')[0];
    const again = await manager.load({ cookie, secure: false });
    again.get('secret');
    await manager.commit(again);
    process.stdout.write(cookie);
  `;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  return { stderr: child.stderr, cookie: child.stdout };
}

describe('the CSRF line', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  let sessions: ReturnType<typeof createSessionHandler>;
  const lines: string[] = [];
  beforeAll(async () => {
    sessions = createSessionHandler({
      store: createMemoryStore(),
      debug: { write: (line) => lines.push(line) },
    });
    app = await listen(
      sessions((req, res, session) => {
        if (req.method === 'GET') {
          res.end(session.csrfToken());
          return;
        }
        if (!checkCsrfRequest(req, session)) {
          sendCsrfFailure(res);
          return;
        }
        res.end('ok');
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await sessions?.close();
  });

  it('says why a CSRF check refused a request, never the token', async () => {
    const browser = new CookieJarClient(app.baseUrl);
    const token = (await browser.get('/')).text;
    lines.length = 0;
    const response = await browser.request('/', {
      method: 'POST',
      headers: { 'X-CSRF-Token': `${token}x` },
    });
    expect(response.status).toBe(403);
    expect(lines).toContain('tessera csrf rejected: wrong-token');
    expect(lines.join('\n')).not.toContain(token);
  });
});

describe('the debug option', () => {
  it('is false by default and accepted by the core and the adapters', async () => {
    expect(DEFAULT_SESSION_OPTIONS.debug).toBe(false);
    const handler = createSessionHandler({ store: createMemoryStore(), debug: { showIds: false } });
    await handler.close();
  });

  it.each([
    ['a string', 'yes', /Option "debug" must be true, false or \{ write\?, showIds\? \}/],
    [
      'an unknown key',
      { writ: () => {} },
      /unknown option "debug\.writ"; did you mean debug\.write\?/,
    ],
    [
      'a write that is no function',
      { write: 'stderr' },
      /Option "debug\.write" must be a function/,
    ],
    [
      'a showIds that is no boolean',
      { showIds: 'yes' },
      /Option "debug\.showIds" must be true or false/,
    ],
  ])('refuses %s, saying what to pass', (_name, debug, message) => {
    const create = () =>
      createSessionManager({ store: createMemoryStore(), debug } as unknown as SessionOptions);
    expect(create).toThrow(SessionConfigError);
    expect(create).toThrow(message);
  });

  it('never changes the caller’s object', () => {
    const debug = Object.freeze({ showIds: true, write: () => {} });
    const manager = createSessionManager({ store: createMemoryStore(), debug });
    expect(manager.options.debug).toEqual(debug);
    expect(manager.options.debug).not.toBe(debug);
  });

  it('redacts anything shaped like an id or a key in an error message', () => {
    const key = 'a'.repeat(64);
    const line = describeStoreOperation({
      storeName: 'postgres',
      store: createMemoryStore(),
      operation: 'create',
      outcome: 'error',
      durationMs: 1.5,
      error: new Error(`duplicate key (${key}) for session AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`),
    });
    expect(line).toBe(
      'tessera store postgres create error 1.50 ms: Error: duplicate key ([redacted]) for session [redacted]',
    );
  });
});
