/**
 * The app's sessions: React Router's SessionStorage on Tessera's SQLite store.
 * Moving from createCookieSessionStorage is this file; the routes keep calling
 * getSession / commitSession as React Router's docs show.
 */
import type { SessionStorage } from 'react-router';
import {
  checkCsrfRequest,
  createTesseraSessionStorage,
  csrfFailureResponse,
  type ReactRouterSession,
} from 'tessera-session/react-router';
import { createSqliteStore } from 'tessera-session/stores/sqlite';

/** What the app keeps in a session. Who is logged in is Tessera's: session.tessera.userId. */
export interface SessionData {
  visits: number;
  cart: string[];
}

/** Flash values: set by an action, shown once by the page it redirects to. */
export interface FlashData {
  message: string;
}

export type AppSession = ReactRouterSession<SessionData, FlashData>;

const storage = createTesseraSessionStorage<SessionData, FlashData>({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
});

// Tessera's storage is a React Router SessionStorage (this line would not compile otherwise).
storage satisfies SessionStorage<SessionData, FlashData>;

export const { getSession, commitSession, destroySession } = storage;

/**
 * Refuses (403) a POST whose form lacks the session's CSRF token: every form
 * of the app carries it in the hidden field `_csrf` (see CsrfField).
 */
export async function requireCsrfToken(
  request: Request,
  session: AppSession,
  form: FormData,
): Promise<void> {
  if (!(await checkCsrfRequest(request, session.tessera, form))) throw csrfFailureResponse();
}
