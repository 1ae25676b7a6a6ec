/**
 * Cache leaks: a response that read the session depends on the cookie, so it
 * carries `Vary: Cookie` on every adapter — whether the session was new, read
 * from a cookie, or only refreshed — and a response that never touched the
 * session does not (so it stays cacheable).
 *
 * Advisories: Flask CVE-2023-30861 (Vary missing when a permanent session was
 * only refreshed) and CVE-2026-27205 (missing when the session was only read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { type RunningTinyApp, TINY_APPS } from '../adapters/tiny-apps/index.js';

/** Whether a `Vary` header lists `Cookie` (case-insensitive, among other names). */
function variesOnCookie(response: Response): boolean {
  const vary = response.headers.get('vary') ?? '';
  return vary
    .split(',')
    .some((name) => name.trim().toLowerCase() === 'cookie' || name.trim() === '*');
}

for (const tinyApp of TINY_APPS) {
  describe(`Vary: Cookie on ${tinyApp.name}`, () => {
    let app: RunningTinyApp;
    let cookie: string;

    beforeAll(async () => {
      // saveEveryRequest: a read of an existing session also refreshes it (the CVE-2023-30861 case).
      app = await tinyApp.start({ store: createMemoryStore(), saveEveryRequest: true });
      const first = await fetch(`${app.baseUrl}/hit`);
      cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(cookie).toMatch(/^sessionid=.{32}$/);
    });
    afterAll(() => app.close());

    it('is set when the session was read without a cookie', async () => {
      const response = await fetch(`${app.baseUrl}/read`);
      expect(await response.text()).toBe('0');
      expect(variesOnCookie(response)).toBe(true);
    });

    it('is set when the session was read from a cookie (and only refreshed)', async () => {
      const response = await fetch(`${app.baseUrl}/read`, { headers: { cookie } });
      expect(await response.text()).toBe('1');
      expect(variesOnCookie(response)).toBe(true);
    });

    it('is set when the session was written', async () => {
      const response = await fetch(`${app.baseUrl}/hit`, { headers: { cookie } });
      expect(await response.text()).toBe('2');
      expect(variesOnCookie(response)).toBe(true);
    });

    it('is absent when the response never touched the session', async () => {
      for (const headers of [{}, { cookie }] as Record<string, string>[]) {
        const response = await fetch(`${app.baseUrl}/plain`, { headers });
        expect(await response.text()).toBe('ok');
        expect(variesOnCookie(response)).toBe(false);
      }
    });
  });
}
