// A browser that refuses cookies has no session, so no CSRF token can match:
// it gets "Please enable cookies" rather than a bare 403. This check only ever
// refuses, so running before the CSRF check lets no forged request through.
import { renderPage } from '../utils/pages';

export default defineEventHandler((event) => {
  if (event.method !== 'POST' || event.path !== '/login') return;
  if (event.context.session.testCookieWorked()) return;
  setResponseStatus(event, 400);
  return renderPage('Log in', '<p id="error">Please enable cookies and try again.</p>');
});
