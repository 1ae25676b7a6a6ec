/**
 * The CSRF check of a SvelteKit request (form actions, `+server.ts` endpoints).
 * @module
 */

import { checkCsrfRequest } from '../../web/index.js';
import type { SessionRequestEvent } from './request-event.js';
import { getEventSession } from './session-of-event.js';

/**
 * Whether the request passes the CSRF check: `true` for a safe method (GET,
 * HEAD, OPTIONS, TRACE), otherwise only when the `X-CSRF-Token` header or the
 * form field `_csrf` holds the session's token (`session.csrfToken()`). Pass
 * the form a form action has already read (`await request.formData()`);
 * without it, a clone of the request is read, so the action can still read
 * the body. Bad input is `false`, never an exception.
 *
 * For every unsafe request of the app at once, use `createSessionHandle({ store, csrf: true })`.
 *
 * ```ts
 * // src/routes/transfer/+page.server.ts
 * import { fail } from '@sveltejs/kit';
 * import { checkCsrfEvent } from 'tessera-session/sveltekit';
 *
 * export const actions = {
 *   default: async (event) => {
 *     const form = await event.request.formData();
 *     if (!(await checkCsrfEvent(event, form))) return fail(403, { message: 'Reload the form and try again.' });
 *     // …
 *   },
 * };
 * ```
 * @throws {TypeError} when no session handle put a session in `event.locals`.
 */
export function checkCsrfEvent(event: SessionRequestEvent, form?: FormData): Promise<boolean> {
  return checkCsrfRequest(event.request, getEventSession(event), form);
}
