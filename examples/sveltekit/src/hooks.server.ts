import { createSqliteStore } from 'tessera-session/stores/sqlite';
import { createSessionHandle } from 'tessera-session/sveltekit';

// Every request gets `event.locals.session`; what changed is saved when the
// response leaves. Compose with other hooks through sequence() from
// '@sveltejs/kit/hooks', the session handle first.
export const handle = createSessionHandle({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
  // CSRF_IN_HOOK=true checks the CSRF token of every unsafe request here,
  // endpoints included, before any form action runs (a request without
  // cookies then gets 403 before the login page can say "Please enable cookies").
  csrf: process.env.CSRF_IN_HOOK === 'true',
});
