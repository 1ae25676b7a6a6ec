/**
 * SvelteKit's objects as the integration uses them, typed structurally so that
 * `tessera-session/sveltekit` imports nothing from `@sveltejs/kit`.
 * @module
 */

import type { Session, SessionData } from '../../web/index.js';

/**
 * What the integration reads from SvelteKit's `RequestEvent`: the request and
 * the per-request `locals`, where the session goes. Every `RequestEvent` is one.
 */
export interface SessionRequestEvent {
  /** The incoming request; its body is left unread for the form action. */
  readonly request: Request;
  /** SvelteKit's `event.locals` (typed by `App.Locals` in the app). */
  readonly locals: object;
}

/** The argument of a `handle` hook, as SvelteKit passes it (`{ event, resolve }`). */
export interface SessionHandleInput<Event extends SessionRequestEvent = SessionRequestEvent> {
  /** The request event. */
  readonly event: Event;
  /** Renders the page or runs the endpoint or form action. */
  resolve(event: Event): Response | Promise<Response>;
}

/**
 * `App.Locals` with the session: declare it in `src/app.d.ts` so that
 * `event.locals.session` is typed in hooks, loads, actions and endpoints.
 *
 * ```ts
 * // src/app.d.ts
 * import type { SessionLocals } from 'tessera-session/sveltekit';
 * declare global {
 *   namespace App {
 *     interface Locals extends SessionLocals<{ visits: number }> {}
 *   }
 * }
 * export {};
 * ```
 */
export interface SessionLocals<Data extends SessionData = SessionData> {
  /** The request's session, put there by the handle of `createSessionHandle()`. */
  session: Session<Data>;
}
