/**
 * The types `tessera-session/fastify` adds to Fastify: `request.session` and
 * `app.sessionManager`, by declaration merging.
 * @module
 */

import type { Session, SessionData, SessionManager } from '../../core/index.js';

/**
 * Your session's data, for typed `request.session` everywhere. Empty by default,
 * which leaves `request.session` untyped (any key, any value, as Django's dict);
 * once you declare keys, only those are accepted:
 *
 * ```ts
 * declare module 'tessera-session/fastify' {
 *   interface TesseraSessionData {
 *     visits: number;
 *     user?: string;
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface applications augment; it must exist to be merged into
export interface TesseraSessionData {}

/** The type of `request.session`: typed by {@link TesseraSessionData} once it declares keys. */
export type TesseraSession = Session<
  keyof TesseraSessionData extends never ? SessionData : TesseraSessionData
>;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The visitor's session, loaded before the route runs and saved before the
     * response goes out. Typed by {@link TesseraSessionData}; `getSession<Data>(request)`
     * gives it with a type of your choice.
     */
    session: TesseraSession;
  }
  interface FastifyInstance {
    /** Tessera's session manager: open sessions by id, clear expired ones, close the store. */
    readonly sessionManager: SessionManager;
  }
}
