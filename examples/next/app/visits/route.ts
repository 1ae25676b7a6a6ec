import { sessions } from '../../lib/sessions';

/** The visit counter: a Route Handler, which can change the session. */
export const GET = sessions.route((_request, session) => {
  const visits = session.get('visits', 0) + 1;
  session.set('visits', visits);
  return new Response(`Visits: ${visits}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
});
