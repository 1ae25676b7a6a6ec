import type { Session, SessionData } from '../../core/index.js';
import { requireSession } from '../../kit/index.js';

/**
 * The request's session, typed as you ask; throws a clear error when the plugin
 * does not reach the route. For a typed `request.session` everywhere, augment
 * `TesseraSessionData` instead.
 *
 * ```ts
 * app.get('/cart', (request) => getSession<{ cart: string[] }>(request).get('cart', []));
 * ```
 */
export function getSession<Data extends SessionData = SessionData>(request: object): Session<Data> {
  return requireSession<Data>(
    (request as { session?: unknown }).session,
    'await app.register(tesseraSession, options) before the routes and plugins that use it.',
  );
}
