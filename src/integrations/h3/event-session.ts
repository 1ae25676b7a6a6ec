import type { Session, SessionData } from '../../core/index.js';
import { requireSession } from '../../kit/index.js';
import type { H3EventLike } from './h3-event.js';

const SETUP =
  'add the session middleware first: `app.use(sessions.middleware)` on h3 v2, ' +
  '`export default defineEventHandler(sessions.middleware)` in a Nuxt server/middleware/ file on h3 v1.';

/**
 * The request's session, `event.context.session`, typed by `Data`: for code
 * that does not augment h3's `H3EventContext`.
 * @throws {TypeError} when the session middleware did not run for this event.
 */
export function getEventSession<Data extends SessionData = SessionData>(
  event: H3EventLike,
): Session<Data> {
  return requireSession<Data>(readEventSession(event), SETUP);
}

/** `event.context.session`, whatever it holds. */
export function readEventSession(event: H3EventLike): unknown {
  return (event.context as { session?: unknown }).session;
}

/** Puts the session where handlers read it. */
export function setEventSession(event: H3EventLike, session: Session): void {
  (event.context as { session?: Session }).session = session;
}
