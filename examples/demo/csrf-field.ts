/**
 * The hidden CSRF field every form of the demo carries.
 *
 * @module
 */
import type { Session } from '../../src/core/index.js';
import { html, type SafeHtml } from './html.js';

/** What {@link csrfField} needs of a session: any `Session<Data>` fits. */
export type CsrfSession = Pick<Session, 'csrfToken'>;

/**
 * `<input type="hidden" name="_csrf" value="…">` holding the session's token.
 * The app's `createCsrfMiddleware()` refuses (403) every POST without it, so
 * another site cannot make a visitor's browser submit the demo's forms:
 * the session cookie goes along with a cross-site post, the token does not.
 * Creating the token on first use modifies the session, so a page showing a
 * form always has a session cookie.
 */
export function csrfField(session: CsrfSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken()}">`;
}
