import { NextResponse } from 'next/server';
import { csrfFailureResponse } from 'tessera-session/next';
import { DEMO_PASSWORD } from '../../../lib/session-data';
import { sessions } from '../../../lib/sessions';

const text = (body: string, status: number) =>
  new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/** Logs in: a Route Handler (test cookie, CSRF, then session.login()). */
export const POST = sessions.route(async (request, session) => {
  if (!session.testCookieWorked()) return text('Please enable cookies and try again.', 400);
  const form = await request.formData();
  if (!session.isValidCsrfToken(form.get('_csrf'))) return csrfFailureResponse();
  const username = String(form.get('username') ?? '').trim();
  if (username === '' || username.length > 64 || form.get('password') !== DEMO_PASSWORD) {
    return text('Wrong user name or password.', 401);
  }
  session.deleteTestCookie();
  session.login(username); // a new session id and a new CSRF token
  session.set('username', username);
  // A NextResponse: the session cookie goes through response.cookies, so a
  // cookie set on it afterwards does not drop it (iron-session #684).
  const response = NextResponse.redirect(new URL('/account', request.url), 303);
  response.cookies.set('last-login', username, { path: '/', httpOnly: true, sameSite: 'lax' });
  return response;
});
