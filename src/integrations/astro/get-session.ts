/**
 * `getSession(context)`: the request's session, with one message when the
 * middleware that puts it in `context.locals` is missing.
 * @module
 */

import type { SessionData } from '../../core/index.js';
import { requireSession } from '../../kit/index.js';
import type { Session } from '../../web/index.js';
import type { AstroContext } from './astro-context.js';

const SETUP =
  'export onRequest = createSessionMiddleware({ store }) from src/middleware.ts (first in sequence()); ' +
  'prerendered routes have no session, as they render at build time without a request.';

/**
 * The request's session, `context.locals.session`, typed by `Data`; works
 * with an endpoint's or a middleware's `context` and a page's `Astro`.
 * `Astro.locals.session` is the same object, typed through `App.Locals`.
 * @throws {TypeError} when the session middleware did not run for this request (a setup mistake).
 */
export function getSession<Data extends SessionData = SessionData>(
  context: Pick<AstroContext, 'locals'>,
): Session<Data> {
  return requireSession<Data>((context.locals as { session?: unknown }).session, SETUP);
}
