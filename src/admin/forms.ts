/**
 * The admin's POST forms: each carries the CSRF token, and the dangerous
 * ones are styled as such.
 * @module
 */

import { ADMIN_CSRF_FIELD } from './csrf.js';
import { type Html, html } from './html.js';

/** A one-button POST form with hidden `fields` and the CSRF token. */
export function renderPostForm(
  action: string,
  csrf: string,
  fields: Readonly<Record<string, string>>,
  button: string,
  options: { danger?: boolean; id?: string } = {},
): Html {
  const hidden = Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<form class="inline" method="post" action="${action}"${options.id === undefined ? '' : html` id="${options.id}"`}><input type="hidden" name="${ADMIN_CSRF_FIELD}" value="${csrf}">${hidden}<button type="submit"${options.danger ? html` class="danger"` : ''}>${button}</button></form>`;
}
