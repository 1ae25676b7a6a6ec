/**
 * The Nuxt 4 example (examples/nuxt: h3 v1 on Nitro v2) on its production
 * build (`nuxt build`, then `node .output/server/index.mjs`), with
 * `tessera-session/h3` from the packed package, driven over HTTP with a cookie
 * jar. Its routes end with `sendRedirect()`, which ends the Node response
 * itself: the session must be saved before it all the same. The same pages as
 * the h3 v2 example's, so the same specification (h3-pages.ts).
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/nuxt.test.ts
 */
import { describeH3Example } from './h3-pages.js';

describeH3Example({ example: 'nuxt', command: ['node', '.output/server/index.mjs'] });
