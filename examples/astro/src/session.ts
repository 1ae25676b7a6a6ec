/**
 * The app's sessions: what they hold, and the middleware that loads and saves
 * them (used in src/middleware.ts).
 */
import { createSessionMiddleware } from 'tessera-session/astro';
import { createSqliteStore } from 'tessera-session/stores/sqlite';

/** What this app keeps in a session (typed access through `App.Locals`, see env.d.ts). */
export interface AppSessionData {
  visits: number;
  cart: string[];
}

/**
 * Sessions in SQLite (`SESSION_DB`, or .data/sessions.sqlite), so they
 * survive a restart of the server.
 */
export const sessionMiddleware = createSessionMiddleware({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
});
