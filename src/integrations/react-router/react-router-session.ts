/**
 * `createReactRouterSession()`: React Router's `Session` over a Tessera session.
 * @module
 */

import type { Session, SessionData } from '../../core/index.js';
import { hasFlashValue, peekFlashValues, takeFlashValue, writeFlashValue } from './flash-values.js';
import type {
  FlashSessionData,
  ReactRouterSession,
  ReactRouterSessionShape,
  TesseraSessionData,
} from './session-shape.js';

/** One wrapper per Tessera session, so that every call answers the same object. */
const wrappers = new WeakMap<Session, ReactRouterSession<never, never>>();

/**
 * React Router's `Session` (`id`, `data`, `has`, `get`, `set`, `flash`,
 * `unset`) over `session`: values are the Tessera session's, flash values
 * live in its flash queue `'react-router'`, and nothing is copied, so a
 * change made through either is one change, saved as a delta. The storage's
 * `getSession()` makes these; call this for a Tessera session of your own
 * (e.g. from `tessera-session/web` in a middleware) that loaders should see
 * in React Router's shape. Same session, same object.
 */
export function createReactRouterSession<Data = SessionData, FlashData = Data>(
  session: Session<TesseraSessionData<Data>>,
): ReactRouterSession<Data, FlashData> {
  const known = wrappers.get(session);
  if (known !== undefined) return known as ReactRouterSession<Data, FlashData>;
  // Untyped inside: the React Router types are checked at the boundary.
  const tessera = session as Session;
  const wrapper: ReactRouterSession<Data, FlashData> = Object.freeze({
    get id() {
      return tessera.id ?? '';
    },
    get data() {
      const data: Record<string, unknown> = Object.fromEntries(tessera.entries());
      for (const [name, value] of Object.entries(peekFlashValues(tessera))) {
        data[`__flash_${name}__`] = value;
      }
      return data as FlashSessionData<Data, FlashData>;
    },
    has(name: string) {
      return tessera.has(name) || hasFlashValue(tessera, name);
    },
    get(name: string) {
      if (tessera.has(name)) return tessera.get(name);
      return takeFlashValue(tessera, name);
    },
    set(name: string, value: unknown) {
      tessera.set(name, value);
    },
    flash(name: string, value: unknown) {
      writeFlashValue(tessera, name, value);
    },
    unset(name: string) {
      tessera.delete(name);
    },
    tessera: session,
  } satisfies Record<keyof ReactRouterSessionShape, unknown> & {
    tessera: unknown;
  }) as ReactRouterSession<Data, FlashData>;
  wrappers.set(session, wrapper as ReactRouterSession<never, never>);
  return wrapper;
}

/** The Tessera session under a session made by {@link createReactRouterSession}; `undefined` for any other object. */
export function findTesseraSession(session: unknown): Session | undefined {
  const tessera = (session as { tessera?: unknown } | null | undefined)?.tessera;
  if (tessera === null || typeof tessera !== 'object') return undefined;
  return wrappers.get(tessera as Session) === session ? (tessera as Session) : undefined;
}
