/**
 * Reading the session back from `event.locals`.
 * @module
 */

import { requireSession } from '../../kit/index.js';
import type { Session, SessionData } from '../../web/index.js';
import type { SessionRequestEvent } from './request-event.js';

/**
 * The session that `createSessionHandle()` put in `event.locals.session`;
 * throws a `TypeError` saying how to install the handle when it is missing.
 */
export function getEventSession<Data extends SessionData = SessionData>(
  event: SessionRequestEvent,
): Session<Data> {
  return requireSession<Data>(
    (event.locals as { session?: unknown }).session,
    "export const handle = createSessionHandle({ store }) from 'tessera-session/sveltekit' in " +
      'src/hooks.server.ts (or put it in sequence(…) before the hook that needs the session).',
  );
}
