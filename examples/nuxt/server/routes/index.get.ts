import { renderCounter, renderPage } from '../utils/pages';

export default defineEventHandler((event) => {
  const session = event.context.session;
  const visits = session.get('visits', 0) + 1;
  session.set('visits', visits);
  return renderPage('Counter', renderCounter(visits));
});
