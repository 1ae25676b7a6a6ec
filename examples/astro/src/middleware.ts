/**
 * Every request: load the session, refuse a login post from a browser that
 * did not keep the test cookie, then check the CSRF token of every POST.
 */
import { defineMiddleware, sequence } from 'astro:middleware';
import { createCsrfMiddleware } from 'tessera-session/astro';
import { sessionMiddleware } from './session';

/**
 * The login form set a test cookie (`setTestCookie()`); a browser that refuses
 * cookies has no session, so no CSRF token can match either: it deserves
 * "Please enable cookies" rather than the CSRF check's bare 403. This only
 * ever refuses, so running before the CSRF check lets no forged post through.
 */
const requireTestCookieOnLogin = defineMiddleware((context, next) => {
  if (
    context.request.method === 'POST' &&
    context.url.pathname === '/login' &&
    !context.locals.session.testCookieWorked()
  ) {
    return new Response('Please enable cookies in your browser and try again.', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return next();
});

export const onRequest = sequence(
  sessionMiddleware,
  requireTestCookieOnLogin,
  createCsrfMiddleware(),
);
