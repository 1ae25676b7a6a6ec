/**
 * What the Astro integration reads of Astro's objects, typed structurally so
 * that `tessera-session` needs no `astro` install: Astro's `APIContext` and
 * `MiddlewareNext` fit these types.
 * @module
 */

import type { Session, SessionData } from '../../core/index.js';

/** What the middleware reads of Astro's `context` (`APIContext`); `Astro` in a page fits it too. */
export interface AstroContext {
  /** The request being answered. */
  readonly request: Request;
  /** Astro's per-request data: the session goes in `locals.session`. */
  readonly locals: object;
  /** Whether the route is prerendered (rendered at build time: no request, no cookie, no session). */
  readonly isPrerendered?: boolean;
}

/** Astro's `next()`: renders the route (or the next middleware) and answers its response. */
export type AstroNext = () => Promise<Response>;

/**
 * An Astro middleware (`onRequest`): give it to `sequence()` from
 * `astro:middleware`, or export it from `src/middleware.ts` as `onRequest`.
 */
export type AstroMiddleware = (context: AstroContext, next: AstroNext) => Promise<Response>;

/**
 * What the session middleware adds to Astro's `App.Locals`. Type it in
 * `src/env.d.ts`:
 *
 * ```ts
 * declare namespace App {
 *   interface Locals {
 *     session: import('tessera-session/astro').Session<{ visits: number }>;
 *   }
 * }
 * ```
 */
export interface SessionLocals<Data extends SessionData = SessionData> {
  /** The request's Tessera session (not Astro's own `context.session`). */
  session: Session<Data>;
}
