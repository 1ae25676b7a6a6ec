export default defineEventHandler((event) => {
  // Data, record and cookie are gone: the old cookie, replayed, opens nothing.
  event.context.session.logout();
  return sendRedirect(event, '/', 303);
});
