/** What this app keeps in a session. */
export interface AppSession {
  visits: number;
  cart: string[];
  username: string;
}

/** The request header through which proxy.ts hands the popped flash messages to the page. */
export const FLASH_HEADER = 'x-tessera-flash';

/** The one password the example accepts, for any user name. */
export const DEMO_PASSWORD = 'tessera';
