import { Session, type SessionData } from '../../core/index.js';

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
  const session = (request as { session?: unknown }).session;
  if (!(session instanceof Session)) {
    throw new TypeError(
      'No Tessera session on this request: await app.register(tesseraSession, options) ' +
        'before the routes and plugins that use it.',
    );
  }
  return session as Session<Data>;
}
