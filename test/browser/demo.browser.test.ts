/**
 * The demo in a real headless Chromium (the system's /usr/bin/chromium,
 * driven by playwright-core). Skipped with a warning when Chromium is not
 * installed, except on CI (CI=true), where its absence fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemoApp } from '../helpers/start-demo-app.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';
const skipReason = `${CHROMIUM} not found; install it with "apt-get install -y chromium"`;

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
  },
);
