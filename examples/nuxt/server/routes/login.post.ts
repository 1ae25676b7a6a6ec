import { renderLogin, renderPage } from '../utils/pages';
import { MAX_TEXT, readField } from '../utils/sessions';

export default defineEventHandler(async (event) => {
  const session = event.context.session;
  const username = readField(await readBody(event), 'username');
  if (username === '' || username.length > MAX_TEXT) {
    setResponseStatus(event, 400);
    return renderPage('Log in', renderLogin(session, 'Please enter a user name.'));
  }
  session.deleteTestCookie();
  // A new session id (no fixation) and a new CSRF token, owned by the user.
  session.login(username);
  return sendRedirect(event, '/account', 303);
});
