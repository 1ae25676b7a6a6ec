/**
 * The admin handler: a Web-standard fetch handler `(request) => Promise<Response>`
 * serving the admin pages under `basePath`.
 *
 * Every request is authorized first (403, and nothing read from the store,
 * when `authorize` says no). GETs only read; every change is a POST whose
 * CSRF checks pass ({@link findCsrfFailure}) and answers 303 back to a page
 * (Post/Redirect/Get). Each page costs a bounded number of store calls
 * (`describeSessions`, one `pageSessions` page of at most 100, `countSessions`,
 * `read`), so it answers as fast at a million sessions as at ten.
 * @module
 */

import type { SessionListOrder } from '../core/index.js';
import { findCsrfFailure, issueCsrfToken } from './csrf.js';
import { createAdminHeaders, type Html, html, renderPage } from './html.js';
import { adminUrl, describeNotice } from './links.js';
import {
  type AdminHandlerOptions,
  type ResolvedAdminOptions,
  resolveAdminOptions,
} from './options.js';
import { renderOverview } from './overview-page.js';
import { renderSession } from './session-page.js';
import { renderSessions } from './sessions-page.js';

/** A fetch handler: what {@link createAdminHandler} answers. */
export type AdminHandler = (request: Request) => Promise<Response>;

/** The largest form body accepted (the admin's forms post a few short fields). */
const MAX_FORM_BYTES = 16_384;

/** Longest user id or store key accepted from a link or a form. */
const MAX_PARAMETER_LENGTH = 512;

/** Bad client input (a cursor, a key, a form): answered 400, never thrown further. */
class BadRequest extends Error {}

/** `authorize` threw: nothing is shown, not even its message. */
class AuthorizeFailure extends Error {}

/**
 * Creates the session admin: overview, sessions list, one session's record,
 * revoke one session or all of a user's. Throws a `SessionConfigError` at
 * creation without `authorize`, without a manager, or with a store lacking
 * the methods the pages need (naming them).
 *
 * ```ts
 * import { createSessionManager } from 'tessera-session';
 * import { createAdminHandler } from 'tessera-session/admin';
 * import { createSqliteStore } from 'tessera-session/stores/sqlite';
 *
 * const manager = createSessionManager({ store: createSqliteStore({ path: 'sessions.db' }) });
 * const admin = createAdminHandler({
 *   manager,
 *   basePath: '/admin/sessions',
 *   authorize: (request) => request.headers.get('x-operator') === 'yes', // your own check
 * });
 * // admin(request) answers a Response for any URL under /admin/sessions
 * ```
 */
export function createAdminHandler(options: AdminHandlerOptions): AdminHandler {
  const resolved = resolveAdminOptions(options);
  return async (request) => {
    try {
      const response = await handleRequest(resolved, request);
      return request.method === 'HEAD'
        ? new Response(null, { status: response.status, headers: response.headers })
        : response;
    } catch (error) {
      if (error instanceof BadRequest) {
        return answerMessage(resolved, 400, 'Bad request', error.message);
      }
      if (error instanceof AuthorizeFailure) {
        return answerMessage(
          resolved,
          500,
          'Authorization failed',
          'The authorization check failed.',
        );
      }
      // The operator is authorized here: the store's message helps them, and the
      // stores mask passwords in what they say.
      // 503 with Retry-After, as the adapters answer a store outage: the page
      // works again by itself once the store is back (RFC 9110 §15.6.4).
      const message = error instanceof Error ? error.message : String(error);
      const response = answerMessage(resolved, 503, 'The store failed', message);
      response.headers.set('Retry-After', '5');
      return response;
    }
  };
}

async function handleRequest(options: ResolvedAdminOptions, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const { basePath } = options;
  if (basePath !== '' && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return answerMessage(options, 404, 'Not found', 'This address is not part of the admin.');
  }
  const path = url.pathname.slice(basePath.length) || '/';
  if ((await isAuthorized(options, request)) !== true) {
    return answerMessage(
      options,
      403,
      'Not authorized',
      'You are not allowed to see this page. Log in as an operator first.',
    );
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    switch (path) {
      case '/':
        return showOverview(options, request);
      case '/sessions':
        return showSessions(options, request, url.searchParams);
      case '/session':
        return showSession(options, request, readKey(url.searchParams), undefined);
      default:
        return answerMessage(options, 404, 'Not found', 'There is no such admin page.');
    }
  }
  if (request.method !== 'POST') {
    const response = answerMessage(options, 405, 'Method not allowed', 'Use GET or POST.');
    response.headers.set('Allow', 'GET, HEAD, POST');
    return response;
  }
  const form = await readForm(request);
  const failure = findCsrfFailure(request, form, options.csrfCookieName);
  if (failure !== undefined) {
    return answerMessage(options, 403, 'Refused', `Nothing was done: ${failure}`);
  }
  switch (path) {
    case '/session/reveal':
      return showSession(options, request, readKey(form), readName(form));
    case '/session/revoke':
      return revokeSession(options, readKey(form));
    case '/user/revoke':
      return revokeUser(options, readUser(form.get('user')) ?? missing('user'));
    default:
      return answerMessage(options, 404, 'Not found', 'There is no such admin action.');
  }
}

/** `authorize`'s answer; its failure is the app's, not the store's: answered 500 without its message. */
async function isAuthorized(options: ResolvedAdminOptions, request: Request): Promise<boolean> {
  try {
    return (await options.authorize(request)) === true;
  } catch {
    throw new AuthorizeFailure();
  }
}

async function showOverview(options: ResolvedAdminOptions, request: Request): Promise<Response> {
  const overview = await options.store.describeSessions({
    hours: options.hours,
    topUsers: options.topUsers,
  });
  return answerPage(options, request, 'Overview', () =>
    renderOverview(overview, options.basePath, options.hours),
  );
}

async function showSessions(
  options: ResolvedAdminOptions,
  request: Request,
  query: URLSearchParams,
): Promise<Response> {
  const userId = readUser(query.get('user'));
  const orderParameter = query.get('order');
  if (orderParameter !== null && orderParameter !== 'created' && orderParameter !== 'lastUsed') {
    throw new BadRequest('The order must be "created" or "lastUsed".');
  }
  const order: SessionListOrder = orderParameter ?? 'created';
  const cursor = query.get('cursor') ?? undefined;
  const { store } = options;
  let page: Awaited<ReturnType<typeof store.pageSessions>>;
  let count: number;
  try {
    [page, count] = await Promise.all([
      store.pageSessions({ limit: options.pageSize, order, cursor, userId }),
      store.countSessions(userId === undefined ? {} : { userId }),
    ]);
  } catch (error) {
    // The store refuses a malformed cursor or user id with a TypeError or
    // RangeError naming the option: the link was edited or is stale.
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new BadRequest(
        'This link’s cursor or user id is not valid. Go back to the first page of the list.',
      );
    }
    throw error;
  }
  const view = { page, order, userId, count, paged: cursor !== undefined };
  return answerPage(
    options,
    request,
    userId === undefined ? 'Sessions' : `Sessions of ${userId}`,
    (csrf) => renderSessions(view, options.basePath, csrf),
    describeNotice(query),
  );
}

async function showSession(
  options: ResolvedAdminOptions,
  request: Request,
  key: string,
  revealed: string | undefined,
): Promise<Response> {
  const record = await options.store.read(key);
  if (record === null) {
    return answerMessage(
      options,
      404,
      'No such session',
      'No live session has this key: it expired or was revoked.',
    );
  }
  if (revealed !== undefined && !Object.hasOwn(record.data, revealed)) {
    throw new BadRequest('The session has no such data key.');
  }
  const view = {
    key,
    record,
    revealed,
    sessionOptions: options.manager.options,
    now: Date.now(),
  };
  return answerPage(options, request, 'Session', (csrf) =>
    renderSession(view, options.basePath, csrf),
  );
}

async function revokeSession(options: ResolvedAdminOptions, key: string): Promise<Response> {
  const record = await options.store.read(key);
  await options.store.destroy(key);
  const userId = record?.userId ?? undefined;
  return redirect(
    adminUrl(options.basePath, '/sessions', {
      user: userId,
      notice: record === null ? 'already-gone' : 'revoked',
    }),
  );
}

async function revokeUser(options: ResolvedAdminOptions, userId: string): Promise<Response> {
  const count = await options.manager.destroyUserSessions(userId);
  return redirect(
    adminUrl(options.basePath, '/sessions', {
      user: userId,
      notice: 'revoked-user',
      count: String(count),
    }),
  );
}

/** A page with the CSRF token its forms carry, setting the token's cookie when it is new. */
function answerPage(
  options: ResolvedAdminOptions,
  request: Request,
  title: string,
  render: (csrf: string) => Html,
  notice?: string,
): Response {
  const csrf = issueCsrfToken(request, options.csrfCookieName, options.basePath);
  const body = html`${notice === undefined ? '' : html`<section class="notice" id="notice" role="status">${notice}</section>`}${render(csrf.token)}`;
  const headers = createAdminHeaders();
  if (csrf.setCookie !== undefined) headers.append('Set-Cookie', csrf.setCookie);
  return new Response(renderFrame(options, title, body), { status: 200, headers });
}

/** A page with a message only: errors, refusals. It shows no store data. */
function answerMessage(
  options: ResolvedAdminOptions,
  status: number,
  title: string,
  message: string,
): Response {
  const body = html`<h1>${title}</h1><section class="error" id="message"><p>${message}</p><p><a href="${options.basePath}/">Back to the overview</a></p></section>`;
  return new Response(renderFrame(options, title, body), {
    status,
    headers: createAdminHeaders(),
  });
}

function renderFrame(options: ResolvedAdminOptions, title: string, body: Html): string {
  return renderPage({ title, siteTitle: options.title, basePath: options.basePath, body });
}

/** 303 See Other: the browser GETs `location` (Post/Redirect/Get). */
function redirect(location: string): Response {
  const headers = createAdminHeaders('text/plain; charset=utf-8');
  headers.set('Location', location);
  return new Response(null, { status: 303, headers });
}

/** The POST body as form fields; 400 for anything but a short urlencoded form. */
async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new BadRequest('The admin’s forms post application/x-www-form-urlencoded.');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_FORM_BYTES) throw new BadRequest('The form is too large.');
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) throw new BadRequest('The form is too large.');
  return new URLSearchParams(text);
}

function readKey(fields: URLSearchParams): string {
  const key = fields.get('key');
  if (key === null || key === '' || key.length > MAX_PARAMETER_LENGTH) return missing('key');
  return key;
}

function readName(fields: URLSearchParams): string {
  const name = fields.get('name');
  if (name === null || name.length > MAX_PARAMETER_LENGTH) return missing('name');
  return name;
}

/** A user id from a link or form: `undefined` when absent or empty. */
function readUser(value: string | null): string | undefined {
  if (value === null || value === '') return undefined;
  if (value.length > MAX_PARAMETER_LENGTH) throw new BadRequest('The user id is too long.');
  return value;
}

function missing(field: string): never {
  throw new BadRequest(`The "${field}" field is missing or not valid.`);
}
