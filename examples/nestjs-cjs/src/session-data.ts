import type { Session } from 'tessera-session/nestjs';

/** What this app keeps in a visitor's session. */
export interface AppSessionData {
  visits: number;
  cart: string[];
}

/** The session as the controllers take it: `@Session() session: AppSession`. */
export type AppSession = Session<AppSessionData>;
