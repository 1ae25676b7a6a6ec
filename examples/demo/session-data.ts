/**
 * What the demo keeps in `request.session`.
 *
 * @module
 */

/** One line of the cart. An array of entries, not an object keyed by item
 * name, so that item names such as `__proto__` are plain data. */
export interface CartEntry {
  name: string;
  qty: number;
}

/** The demo's session data, key by key. */
export type DemoSessionData = {
  /** Visits of the home page. */
  visits: number;
  /** The value of the counter page. */
  counter: number;
  /** The shopping cart, changed in place. */
  cart: CartEntry[];
  /** Orders placed at checkout. */
  orders: number;
  /**
   * The `User-Agent` the user logged in with (cut to 300 characters), shown
   * on `/account/sessions`. The user's name itself is `session.userId`.
   */
  userAgent: string;
  /** A label for that device, e.g. `Firefox on Windows`. */
  device: string;
  /** Whether this visitor already posted a comment. */
  has_commented: boolean;
  /** The comment they posted (the demo has no database to keep it in). */
  comment: string;
};
