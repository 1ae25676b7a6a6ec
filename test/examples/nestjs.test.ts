/**
 * The NestJS 12 example (examples/nestjs) on its two production builds, made
 * from the same sources by `npm run build`: the default ESM project (`nest
 * build`, `node dist/main`) and the CommonJS build that Nest ≤ 11 projects have
 * (`nest build -p tsconfig.cjs.json`, `node dist/cjs/main`, loading Tessera and
 * Nest through require(esm)). Each build runs on the Express and on the Fastify
 * platform (`PLATFORM=express|fastify`), driven over HTTP with a cookie jar.
 * Every build × platform pair gets the same scenarios, restart on SQLite included.
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/nestjs.test.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError } from '../../src/core/index.js';
import { TesseraSessionModule } from '../../src/integrations/nestjs/index.js';
import { CookieJarClient, type JarResponse } from '../../src/testing/index.js';
import { textById, textsByClass } from '../helpers/html-query.js';
import {
  type PreparedExample,
  prepareExample,
  type RunningExample,
  startExample,
} from './harness.js';

const COOKIE = 'sessionid';
const BUILDS = [
  { output: 'ESM', outDir: 'dist' },
  { output: 'CommonJS', outDir: 'dist/cjs' },
] as const;
const PLATFORMS = [
  { platform: 'express', poweredBy: 'Express' },
  { platform: 'fastify', poweredBy: null },
] as const;

/** The CSRF token of the page's first form. */
function csrfTokenOf(page: JarResponse): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no _csrf field in ${page.url}:\n${page.text}`);
  return token;
}

/** Logs `browser` in as `username` through the login form; answers the home page it lands on. */
async function logIn(browser: CookieJarClient, username: string): Promise<JarResponse> {
  const form = await browser.get('/login');
  return browser.post('/login', { _csrf: csrfTokenOf(form), username }, { follow: true });
}

let prepared: PreparedExample;

beforeAll(async () => {
  prepared = await prepareExample('nestjs');
});

describe.each(BUILDS)('the NestJS 12 example, built to $output', ({ output, outDir }) => {
  /** A file of this build, as text. */
  const readBuilt = (file: string) => readFileSync(path.join(prepared.dir, outDir, file), 'utf8');

  if (output === 'ESM') {
    it('is compiled to ESM: import statements, under the app\'s "type": "module"', () => {
      expect(readBuilt('main.js')).toMatch(/^import \{ NestFactory \} from '@nestjs\/core';$/m);
      expect(readBuilt('app.module.js')).toMatch(/^import .* from 'tessera-session\/nestjs';$/m);
      expect(JSON.parse(readBuilt('../package.json')).type).toBe('module');
    });
  } else {
    it('is compiled to CommonJS: require() calls, under a "type": "commonjs" package.json', () => {
      expect(readBuilt('main.js')).not.toMatch(/^import /m);
      expect(readBuilt('main.js')).toMatch(/= require\("@nestjs\/core"\);$/m);
      expect(readBuilt('app.module.js')).toMatch(/= require\("tessera-session\/nestjs"\);$/m);
      expect(JSON.parse(readBuilt('package.json'))).toEqual({ type: 'commonjs' });
    });
  }

  describe.each(PLATFORMS)('on the $platform platform', ({ platform, poweredBy }) => {
    let server: RunningExample;
    /** A browser: its own cookie jar, talking to the server. */
    const browser = () => new CookieJarClient(server.url);

    beforeAll(async () => {
      server = await startExample(prepared, {
        command: ['node', `${outDir}/main`],
        env: {
          PLATFORM: platform,
          SESSION_DB: path.join(
            prepared.dir,
            '.data',
            `${output}-${platform}-${Date.now()}.sqlite`,
          ),
        },
      });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it(`is served by ${platform}`, async () => {
      const page = await browser().get('/');
      expect(page.status).toBe(200);
      expect(page.headers.get('x-powered-by')).toBe(poweredBy);
    });

    it('counts the visits of each browser separately', async () => {
      const ann = browser();
      const bob = browser();
      expect(textById((await ann.get('/')).text, 'visits')).toBe(
        'You have visited this page 1 times.',
      );
      expect(ann.cookie(COOKIE)).toBeDefined();
      expect(textById((await ann.get('/')).text, 'visits')).toBe(
        'You have visited this page 2 times.',
      );
      expect(textById((await bob.get('/')).text, 'visits')).toBe(
        'You have visited this page 1 times.',
      );
      expect(textById((await ann.get('/')).text, 'visits')).toBe(
        'You have visited this page 3 times.',
      );
    });

    it('adds to the cart and shows "Added …" once, after the redirect', async () => {
      const ann = browser();
      const cart = await ann.get('/cart');
      expect(textById(cart.text, 'cart-empty')).toBe('Your cart is empty.');

      const added = await ann.post(
        '/cart',
        { _csrf: csrfTokenOf(cart), item: 'apple' },
        { follow: true },
      );
      expect(added.redirects.map((r) => r.status)).toEqual([303]);
      expect(added.url).toMatch(/\/cart$/);
      expect(textsByClass(added.text, 'flash')).toEqual(['Added apple to your cart.']);
      expect(textById(added.text, 'cart')).toBe('apple');

      const again = await ann.get('/cart');
      expect(textsByClass(again.text, 'flash')).toEqual([]);
      expect(textById(again.text, 'cart')).toBe('apple');
    });

    it('refuses a POST without the CSRF token (403) and accepts the header X-CSRF-Token', async () => {
      const ann = browser();
      const token = csrfTokenOf(await ann.get('/cart'));

      const missing = await ann.post('/cart', { item: 'pear' });
      expect(missing.status).toBe(403);
      expect(JSON.parse(missing.text)).toMatchObject({
        statusCode: 403,
        message: 'Invalid or missing CSRF token; reload the form and try again.',
      });
      const wrong = await ann.post('/cart', { _csrf: `${token}x`, item: 'pear' });
      expect(wrong.status).toBe(403);
      expect(textById((await ann.get('/cart')).text, 'cart-empty')).toBe('Your cart is empty.');

      const viaHeader = await ann.post(
        '/cart',
        { item: 'pear' },
        { headers: { 'X-CSRF-Token': token } },
      );
      expect(viaHeader.status).toBe(303);
      expect(textById((await ann.get('/cart')).text, 'cart')).toBe('pear');
    });

    it('answers 400 "Please enable cookies" to a login from a browser that kept no cookie', async () => {
      const ann = browser();
      const token = csrfTokenOf(await ann.get('/login'));
      ann.clearCookies(); // the browser refused the session cookie
      const refused = await ann.post('/login', { _csrf: token, username: 'ann' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('Please enable cookies');
    });

    it('refuses a login without the CSRF token (403), test cookie or not', async () => {
      const ann = browser();
      await ann.get('/login');
      const refused = await ann.post('/login', { username: 'ann' });
      expect(refused.status).toBe(403);
      expect(textById((await ann.get('/')).text, 'user')).toBeUndefined();
    });

    it('logs in with a new session id and a new CSRF token', async () => {
      const ann = browser();
      const form = await ann.get('/login');
      const anonymousId = ann.cookie(COOKIE)!;
      const anonymousToken = csrfTokenOf(form);

      const home = await ann.post(
        '/login',
        { _csrf: anonymousToken, username: 'ann' },
        { follow: true },
      );
      expect(home.redirects.map((r) => r.status)).toEqual([303]);
      expect(textById(home.text, 'user')).toBe('ann');
      expect(textsByClass(home.text, 'flash')).toEqual(['Welcome, ann!']);
      expect(ann.cookie(COOKIE)).toBeDefined();
      expect(ann.cookie(COOKIE)).not.toBe(anonymousId);
      expect(csrfTokenOf(home)).not.toBe(anonymousToken);

      // The pre-login id opens nothing (no fixation), and the old token is refused.
      const attacker = browser();
      attacker.setCookie(COOKIE, anonymousId);
      expect(textById((await attacker.get('/')).text, 'user')).toBeUndefined();
      expect((await ann.post('/cart', { _csrf: anonymousToken, item: 'x' })).status).toBe(403);
    });

    it('logs out: the session is gone, and its old cookie opens nothing', async () => {
      const ann = browser();
      const home = await logIn(ann, 'ann');
      expect(textById(home.text, 'user')).toBe('ann');
      const loggedInCookie = ann.cookie(COOKIE)!;

      const out = await ann.post('/logout', { _csrf: csrfTokenOf(home) }, { follow: true });
      expect(out.redirects.map((r) => r.status)).toEqual([303]);
      expect(textById(out.text, 'user')).toBeUndefined();
      expect(textById(out.text, 'visits')).toBe('You have visited this page 1 times.');

      const replay = browser();
      replay.setCookie(COOKIE, loggedInCookie);
      const page = await replay.get('/');
      expect(textById(page.text, 'user')).toBeUndefined();
      expect(textById(page.text, 'visits')).toBe('You have visited this page 1 times.');
    });

    it('logs the user out everywhere else (SessionManagerHost injected in a controller)', async () => {
      const phone = browser();
      const laptop = browser();
      await logIn(phone, 'carol');
      const laptopHome = await logIn(laptop, 'carol');
      const home = await laptop.post(
        '/logout/others',
        { _csrf: csrfTokenOf(laptopHome) },
        { follow: true },
      );
      expect(textsByClass(home.text, 'flash')).toEqual(['Logged out 1 other session(s).']);
      expect(textById(home.text, 'user')).toBe('carol');
      expect(textById((await phone.get('/')).text, 'user')).toBeUndefined();
    });

    it('keeps sessions across a restart of the same build on the same SQLite file', async () => {
      const ann = browser();
      const home = await logIn(ann, 'ann');
      expect(textById(home.text, 'visits')).toBe('You have visited this page 1 times.');
      const cookie = ann.cookie(COOKIE)!;

      const url = await server.restart();
      const again = new CookieJarClient(url);
      again.setCookie(COOKIE, cookie);
      const page = await again.get('/');
      expect(textById(page.text, 'user')).toBe('ann');
      expect(textById(page.text, 'visits')).toBe('You have visited this page 2 times.');
    });
  });
});

describe('TesseraSessionModule options (developer mistakes throw when the module is declared)', () => {
  it('rejects an unknown key, naming it', () => {
    expect(() => TesseraSessionModule.forRoot({ stor: {} } as never)).toThrow(SessionConfigError);
    expect(() => TesseraSessionModule.forRoot({ stor: {} } as never)).toThrow(/stor/);
  });

  it('rejects a csrf option that is not a boolean', () => {
    expect(() => TesseraSessionModule.forRoot({ csrf: 'yes' as never })).toThrow(/"csrf"/);
  });

  it('asks forRootAsync for a useFactory', () => {
    expect(() => TesseraSessionModule.forRootAsync({} as never)).toThrow(/useFactory/);
    expect(() =>
      TesseraSessionModule.forRootAsync({ useFactory: () => ({}), inejct: [] } as never),
    ).toThrow(/inejct/);
  });

  it("leaves the caller's options object as it was", () => {
    const options = Object.freeze({ csrf: true, cookie: Object.freeze({ name: 'sid' }) });
    const module = TesseraSessionModule.forRoot(options);
    expect(module.global).toBe(true);
    expect(module.module).toBe(TesseraSessionModule);
  });
});
