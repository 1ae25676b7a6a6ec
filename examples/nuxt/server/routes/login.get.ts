import { renderLogin, renderPage } from '../utils/pages';

export default defineEventHandler((event) => {
  const session = event.context.session;
  session.setTestCookie();
  return renderPage('Log in', renderLogin(session));
});
