/**
 * The app's sessions: one `createH3Sessions()` for the whole server, its
 * store in SQLite at `SESSION_DB` (the store creates the folder).
 *
 * @module
 */
import type { Session } from 'tessera-session';
import { createH3Sessions } from 'tessera-session/h3';
import { createSqliteStore } from 'tessera-session/stores/sqlite';
import type { CartLine } from './pages';

/** What the example keeps in a session. */
export interface ExampleSessionData {
  visits: number;
  cart: CartLine[];
}

// Types event.context.session in every server route and middleware.
declare module 'h3' {
  interface H3EventContext {
    session: Session<ExampleSessionData>;
  }
}

export const sessions = createH3Sessions<ExampleSessionData>({
  store: createSqliteStore({ path: process.env.SESSION_DB ?? '.data/sessions.sqlite' }),
});

/** Longest item or user name the forms accept. */
export const MAX_TEXT = 100;
/** Largest quantity the cart accepts. */
export const MAX_QTY = 1000;

/** A text field of a parsed form body (`readBody(event)`), trimmed ('' when absent). */
export function readField(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : '';
}
