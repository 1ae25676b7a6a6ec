/** What this app keeps in a session. */
export type ExampleSessionData = {
  /** Visits of the home page. */
  visits: number;
  /** Items added on /cart. */
  cart: string[];
  /** The logged-in user's name (the id given to session.login()). */
  user: string;
};
