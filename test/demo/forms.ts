/**
 * Posting the demo's forms as a browser does: with the hidden `_csrf` field
 * read from a page the client was served.
 *
 * @module
 */
import type { CookieJarClient, JarResponse, RequestOptions } from '../helpers/cookie-jar-client.js';
import { decodeEntities } from '../helpers/html-query.js';

/** The value of the hidden `_csrf` input of the first form in `html`, if any. */
export function csrfTokenIn(html: string): string | undefined {
  const input = /<input\b[^>]*\bname="_csrf"[^>]*>/i.exec(html)?.[0];
  const value = input && /\bvalue="([^"]*)"/i.exec(input)?.[1];
  return value === undefined || value === '' ? undefined : decodeEntities(value);
}

/**
 * The client's current CSRF token, read from the hidden input of `page`
 * (default `/comment`, a form page that changes nothing else in the session:
 * `/cart` would pop its flash messages). Fails when the page has no token.
 */
export async function csrfTokenOf(client: CookieJarClient, page = '/comment'): Promise<string> {
  const response = await client.get(page);
  const token = csrfTokenIn(response.text);
  if (token === undefined) throw new Error(`GET ${page} (${response.status}) shows no _csrf field`);
  return token;
}

/**
 * Posts a form with the client's current token added as `_csrf`, as a
 * browser submitting a page it was served would.
 */
export async function postForm(
  client: CookieJarClient,
  path: string,
  form: Record<string, string> | URLSearchParams = {},
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<JarResponse> {
  const fields = new URLSearchParams(form);
  fields.set('_csrf', await csrfTokenOf(client));
  return client.post(path, fields, options);
}

/**
 * Opens the login page (which sets the test cookie) and submits its form,
 * hidden fields included, as a visitor logging in does.
 */
export async function submitLogin(
  client: CookieJarClient,
  username = 'ada',
  password = 'tessera',
): Promise<JarResponse> {
  const page = await client.get('/login');
  return client.post('/login', { _csrf: csrfTokenIn(page.text) ?? '', username, password });
}
