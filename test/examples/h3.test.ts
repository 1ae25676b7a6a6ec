/**
 * The h3 v2 example (examples/h3: `new H3()` served by h3's `serve()` on
 * srvx) run as its users run it (`node server.ts`), with `tessera-session/h3`
 * from the packed package, driven over HTTP with a cookie jar. Its routes
 * answer with h3's `redirect()` (an `HTTPResponse`) and plain strings: the
 * middleware saves the session before h3 makes the response. The same pages
 * as the Nuxt example's, so the same specification (h3-pages.ts).
 *
 * Run: npx vitest run -c vitest.examples.config.ts test/examples/h3.test.ts
 */
import { describeH3Example } from './h3-pages.js';

describeH3Example({ example: 'h3', command: ['node', 'server.ts'] });
