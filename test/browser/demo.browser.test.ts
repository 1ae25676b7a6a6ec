/**
 * The demo in a real headless Chromium (the system's /usr/bin/chromium,
 * driven by playwright-core). Skipped with a warning when Chromium is not
 * installed, except on CI (CI=true), where its absence fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type ViewportSize,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';
const skipReason = `${CHROMIUM} not found; install it with "apt-get install -y chromium"`;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const FIREFOX_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

if (!hasChromium && !onCi) console.warn(`Skipping the browser tests: ${skipReason}.`);

describe.runIf(!hasChromium && onCi)('the browser tests on CI', () => {
  it('require Chromium', () => {
    throw new Error(`${skipReason} (CI=true makes this an error).`);
  });
});

describe.skipIf(!hasChromium)(
  `the demo in Chromium${hasChromium ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    let demo: RunningDemo;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      demo = await startDemoApp({ store: 'sqlite' });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await demo?.close();
    });
    beforeEach(async () => {
      context = await browser.newContext({
        baseURL: demo.baseUrl,
        viewport: { width: 900, height: 700 },
      });
      page = await context.newPage();
    });
    afterEach(async () => {
      await context.close();
    });

    async function submitLogin(username: string, password: string): Promise<void> {
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', password);
      await Promise.all([
        page.waitForLoadState('load'),
        page.click('#login-form button[type="submit"]'),
      ]);
    }

    /** Logs `username` in from a browser of its own sending `userAgent`, and leaves it open. */
    async function logInElsewhere(username: string, userAgent: string): Promise<BrowserContext> {
      const other = await browser.newContext({ baseURL: demo.baseUrl, userAgent });
      const otherPage = await other.newPage();
      await otherPage.goto('/login');
      await otherPage.fill('input[name="username"]', username);
      await otherPage.fill('input[name="password"]', 'tessera');
      await Promise.all([
        otherPage.waitForURL('**/account'),
        otherPage.click('#login-form button[type="submit"]'),
      ]);
      return other;
    }

    /** Whether the page is wider than the window, i.e. scrolls sideways. */
    function overflowsSideways(): Promise<boolean> {
      return page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth);
    }

    /** Resizes the window, checks the page still fits it, and saves a screenshot. */
    async function expectToFit(size: ViewportSize, name: string): Promise<void> {
      await page.setViewportSize(size);
      expect(await overflowsSideways()).toBe(false);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({
        path: `${ARTIFACTS}${name}-${size.width}x${size.height}.png`,
        fullPage: true,
      });
    }

    it('logs in through the form and lands on /account showing the user', async () => {
      await page.goto('/login');
      await submitLogin('ada', 'tessera');
      await page.waitForURL('**/account');
      expect(await page.textContent('#user')).toBe('ada');
      const cookies = await context.cookies();
      expect(cookies.find((cookie) => cookie.name === 'sessionid')?.httpOnly).toBe(true);

      await Promise.all([page.waitForURL(`${demo.baseUrl}/`), page.click('#logout')]);
      expect(await page.textContent('#visits')).toBe('1');
    });

    it('asks to enable cookies when the cookies are gone between the form and the post', async () => {
      await page.goto('/login');
      await context.clearCookies();
      await page.fill('input[name="username"]', 'ada');
      await page.fill('input[name="password"]', 'tessera');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
        page.click('#login-form button[type="submit"]'),
      ]);
      expect(response.status()).toBe(403);
      await page.waitForLoadState('load');
      expect(await page.textContent('#error')).toBe('Please enable cookies and try again.');
      expect(new URL(page.url()).pathname).toBe('/login');
    });

    it('adds an item twice: one flash per addition, shown once, and the summed quantity', async () => {
      await page.goto('/cart');
      for (const qty of ['2', '3']) {
        await page.fill('input[name="item"]', 'Blue tile');
        await page.fill('input[name="qty"]', qty);
        await Promise.all([page.waitForURL('**/cart'), page.click('form[action="/cart"] button')]);
        await page.waitForLoadState('load');
        expect(await page.locator('.flash').allTextContents()).toEqual([
          `Added ${qty} × Blue tile`,
        ]);
      }
      const item = page.locator('.cart-item[data-item="Blue tile"]');
      expect(await item.getAttribute('data-qty')).toBe('5');

      await page.fill('input[name="item"]', 'Red tile');
      await page.fill('input[name="qty"]', '1');
      await Promise.all([page.waitForURL('**/cart'), page.click('form[action="/cart"] button')]);
      await page.waitForLoadState('load');

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}cart.png`, fullPage: true });

      await page.reload();
      expect(await page.locator('.flash').count()).toBe(0);
      expect(await page.locator('.cart-item').count()).toBe(2);
    });

    it('lists both browsers on /account/sessions and signs the other one out', async () => {
      const other = await browser.newContext({ baseURL: demo.baseUrl });
      try {
        const otherPage = await other.newPage();
        await otherPage.goto('/login');
        await otherPage.fill('input[name="username"]', 'grace');
        await otherPage.fill('input[name="password"]', 'tessera');
        await Promise.all([
          otherPage.waitForURL('**/account'),
          otherPage.click('#login-form button[type="submit"]'),
        ]);

        await page.goto('/login');
        await submitLogin('grace', 'tessera');
        await page.waitForURL('**/account');
        await Promise.all([page.waitForURL('**/account/sessions'), page.click('#sessions-link')]);
        expect(await page.locator('#sessions .session-row').count()).toBe(2);
        expect(await page.locator('#sessions .session-row.current').count()).toBe(1);
        expect(await page.locator('.session-row.current').textContent()).toContain('this session');

        await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/account/sessions') && r.status() === 200),
          page.click('#sign-out-others'),
        ]);
        await page.waitForLoadState('load');
        expect(await page.locator('.flash').allTextContents()).toEqual([
          'Signed out 1 other session',
        ]);
        expect(await page.locator('#sessions .session-row').count()).toBe(1);

        await otherPage.goto('/account');
        expect(new URL(otherPage.url()).pathname).toBe('/login');
        await page.goto('/account');
        expect(await page.textContent('#user')).toBe('grace');
      } finally {
        await other.close();
      }
    });

    it('shows who is logged in on every page, with a "Log out" that works from anywhere', async () => {
      await page.goto('/');
      expect(await page.textContent('#nav-login')).toBe('Log in');
      expect(await page.locator('#nav-logout').count()).toBe(0);

      await page.click('#nav-login');
      await submitLogin('ada', 'tessera');
      await page.waitForURL('**/account');
      await page.goto('/cart');
      expect(await page.textContent('#nav-user')).toBe('ada');
      expect(await page.locator('#nav-login').count()).toBe(0);

      await Promise.all([page.waitForURL(`${demo.baseUrl}/`), page.click('#nav-logout')]);
      expect(await page.textContent('#nav-login')).toBe('Log in');
      await page.goto('/account');
      expect(new URL(page.url()).pathname).toBe('/login');
    });

    it('fits a long user name into the navigation on a phone', async () => {
      await page.goto('/login');
      await submitLogin('Maximiliane-Alexandrina von Hohenzollern-Sigmaringen', 'tessera');
      await page.waitForURL('**/account');
      await page.goto('/');
      await expectToFit(PHONE, 'nav-long-name');
      expect(await page.getAttribute('#nav-user', 'title')).toBe(
        'Maximiliane-Alexandrina von Hohenzollern-Sigmaringen',
      );
    });

    it('lists the sessions readably on a phone and on a desktop, naming Headless Chrome', async () => {
      const others = [
        await logInElsewhere('lin', FIREFOX_ON_WINDOWS),
        await logInElsewhere('lin', SAFARI_ON_IPHONE),
      ];
      try {
        await page.goto('/login');
        await submitLogin('lin', 'tessera');
        await page.waitForURL('**/account');
        await page.goto('/account/sessions');
        expect(await page.locator('#sessions .session-row').count()).toBe(3);
        expect(await page.locator('.session-row.current .device-name').textContent()).toBe(
          'Headless Chrome on Linux',
        );
        expect(await page.locator('.session-row .device-name').allTextContents()).toEqual(
          expect.arrayContaining(['Firefox on Windows', 'Safari on iOS']),
        );
        // Compact dates, the exact moment kept for machines and on hover.
        const expires = page.locator('.session-row.current time.expires');
        expect(await expires.textContent()).toBe('in 2 weeks');
        expect(await expires.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

        const row = page.locator('.session-row.current');
        const created = row.locator('td[data-label="Signed in"]');
        const displayOf = (cell: Element) => getComputedStyle(cell).display;
        const labelOf = (cell: Element) => getComputedStyle(cell, '::before').content;

        await expectToFit(PHONE, 'account-sessions');
        // On a phone each session is a card, its dates one labelled line each.
        expect(await row.evaluate(displayOf)).toBe('block');
        // The column headings are hidden to the eye, still there for screen readers.
        expect((await page.locator('#sessions thead').boundingBox())?.height).toBeLessThanOrEqual(
          1,
        );
        expect(await created.evaluate(labelOf)).toBe('"Signed in"');

        await expectToFit(DESKTOP, 'account-sessions');
        expect(await row.evaluate(displayOf)).toBe('table-row');
        expect(await page.locator('#sessions thead').isVisible()).toBe(true);
        expect(await created.evaluate(labelOf)).toBe('none');
      } finally {
        for (const other of others) await other.close();
      }
    });

    it('keeps a forged, unbroken 300-character user agent inside a phone screen', async () => {
      const forged = await logInElsewhere('mo', 'X'.repeat(300));
      try {
        await page.goto('/login');
        await submitLogin('mo', 'tessera');
        await page.waitForURL('**/account');
        await page.goto('/account/sessions');
        expect(await page.locator('#sessions .session-row').count()).toBe(2);
        await expectToFit(PHONE, 'account-sessions-forged-agent');
        await expectToFit(DESKTOP, 'account-sessions-forged-agent');
      } finally {
        await forged.close();
      }
    });

    it('shows the comment instead of the form once posted', async () => {
      await page.goto('/comment');
      await page.fill('textarea[name="comment"]', 'Tiles all the way down.');
      await Promise.all([
        page.waitForLoadState('load'),
        page.click('form[action="/comment"] button'),
      ]);
      expect(await page.textContent('#result')).toBe('Thanks for your comment!');
      await page.goto('/comment');
      expect(await page.locator('form[action="/comment"]').count()).toBe(0);
      expect(await page.textContent('#comment')).toBe('Tiles all the way down.');
      await expectToFit(PHONE, 'comment-posted');
    });
  },
);
