/**
 * React Router's `Session` as a type of Tessera's own: what a loader or action
 * uses (`id`, `data`, `has`, `get`, `set`, `flash`, `unset`), declared
 * structurally so that this package needs no `react-router` install while a
 * {@link ReactRouterSession} is still a `Session` of `react-router`.
 * @module
 */

import type { Session, SessionData } from '../../core/index.js';

/**
 * `session.data` as React Router types it: the values, and each waiting flash
 * value under `__flash_<name>__`.
 */
export type FlashSessionData<Data, FlashData> = Partial<
  Data & { [Key in keyof FlashData as `__flash_${Key & string}__`]: FlashData[Key] }
>;

/** The Tessera session's data type for React Router's `Data`. */
export type TesseraSessionData<Data> = Data extends SessionData ? Data : SessionData;

/**
 * The members React Router's `Session<Data, FlashData>` has and its
 * `isSession()` checks: what `commitSession` and `destroySession` accept.
 */
export interface ReactRouterSessionShape<Data = SessionData, FlashData = Data> {
  /** The session id; `''` until the session is first saved. */
  readonly id: string;
  /** A copy of the values, with the waiting flash values under `__flash_<name>__`. */
  readonly data: FlashSessionData<Data, FlashData>;
  /** Whether `name` holds a value or a waiting flash value. */
  has(name: (keyof Data | keyof FlashData) & string): boolean;
  /** The value of `name`; else its flash value, which is then gone; else `undefined`. */
  get<Key extends (keyof Data | keyof FlashData) & string>(
    name: Key,
  ):
    | (Key extends keyof Data ? Data[Key] : undefined)
    | (Key extends keyof FlashData ? FlashData[Key] : undefined)
    | undefined;
  /** Stores `value` under `name`. Throws a `TypeError` for a name starting with `_` (Tessera's) or a value JSON cannot hold. */
  set<Key extends keyof Data & string>(name: Key, value: Data[Key]): void;
  /** Stores `value` under `name` until the next `get(name)` reads it (the next request, after a redirect). */
  flash<Key extends keyof FlashData & string>(name: Key, value: FlashData[Key]): void;
  /** Removes the value of `name` (not a waiting flash value, as in React Router). */
  unset(name: keyof Data & string): void;
}

/**
 * React Router's `Session` over a Tessera session: every React Router call
 * works, and `tessera` is the Tessera session itself, for what React Router
 * has no word for: `login(userId)`, `logout()`, `csrfToken()`, the test
 * cookie, `setExpiry()`.
 */
export interface ReactRouterSession<Data = SessionData, FlashData = Data>
  extends ReactRouterSessionShape<Data, FlashData> {
  /** The Tessera session underneath: its changes are saved by the same `commitSession`. */
  readonly tessera: Session<TesseraSessionData<Data>>;
}
