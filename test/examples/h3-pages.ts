/**
 * The specification of the two h3 examples, whose pages are the same
 * (examples/h3 on h3 v2, examples/nuxt on Nuxt's h3 v1): the seeds' scenarios
 * and what their pages add (the quantity field, a route that never touches
 * the session). Each spec starts its own app and calls
 * {@link describeH3Example}.
 * @module
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textsByClass } from '../helpers/html-query.js';
import { prepareExample, type RunningExample, startExample } from './harness.js';
import {
  describePlainPages,
  describeSeedScenarios,
  locationOf,
  SeedBrowser,
  submitForm,
} from './seed-scenarios.js';

/** How a spec runs its h3 example. */
export interface H3Example {
  /** The folder under examples/. */
  readonly example: 'h3' | 'nuxt';
  /** The production server's command. */
  readonly command: readonly string[];
}

/** Registers the specification of one h3 example, started on a fresh SQLite file. */
export function describeH3Example({ example, command }: H3Example): void {
  let app: RunningExample;

  beforeAll(async () => {
    const prepared = await prepareExample(example);
    const database = path.join(prepared.dir, '.data', 'test-sessions.sqlite');
    rmSync(path.dirname(database), { recursive: true, force: true });
    app = await startExample(prepared, {
      command,
      env: { SESSION_DB: database },
      readyPath: '/health',
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const seedApp = describePlainPages({
    server: () => app,
    persistent: true,
    visits: (count) => `You have visited this page ${count} ${count === 1 ? 'time' : 'times'}.`,
    enableCookies: 'Please enable cookies and try again.',
    csrfRefused: 'Invalid or missing CSRF token; reload the form and try again.\n',
  });

  describeSeedScenarios(seedApp);

  describe('what the h3 pages add', () => {
    it('creates no session for a request that does not touch it', async () => {
      const health = await new SeedBrowser(seedApp).get('/health');
      expect(health.text).toBe('ok');
      expect(health.setCookies).toEqual([]);
    });

    it('refuses an invalid quantity with a flash message and adds nothing', async () => {
      const client = new SeedBrowser(seedApp);
      const refused = await submitForm(seedApp, client, seedApp.forms.cart, {
        item: 'pear',
        qty: '0',
      });
      expect(refused.status).toBe(303);
      const cart = await client.get(locationOf(refused)!);
      expect(textsByClass(cart.text, 'flash')).toEqual([
        'Please name an item and a quantity from 1 to 1000.',
      ]);
      expect(cart.text).toContain('Your cart is empty.');
    });
  });
}
