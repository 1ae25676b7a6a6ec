import { cookies } from 'next/headers';
import { createNextSessions, type NextSessions } from 'tessera-session/next';
import { createSqliteStore } from 'tessera-session/stores/sqlite';
import type { AppSession } from './session-data';

// Next.js bundles proxy.ts and the app separately (and reloads modules in
// development): one instance per process, shared through globalThis.
const shared = globalThis as { tesseraSessions?: NextSessions<AppSession> };
shared.tesseraSessions ??= createNextSessions<AppSession>({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
  cookies,
});

/** The app's sessions, typed by {@link AppSession}. */
export const sessions: NextSessions<AppSession> = shared.tesseraSessions;
