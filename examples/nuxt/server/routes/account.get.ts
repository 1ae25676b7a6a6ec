import { renderAccount, renderPage } from '../utils/pages';

export default defineEventHandler((event) => {
  const session = event.context.session;
  const user = session.userId;
  if (user === null) return sendRedirect(event, '/login', 303);
  return renderPage('Your account', renderAccount(session, user));
});
