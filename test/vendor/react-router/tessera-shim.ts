/**
 * Tessera's side of React Router's session tests: what the vendored
 * `sessions-test.ts` imports from `lib/server-runtime/sessions*`, made of
 * `tessera-session/react-router` on Tessera's stores. Only the option
 * mapping is here; no React Router code.
 *
 * - `createSession()` → a Tessera session of a manager on a memory store,
 *   in React Router's shape (`createReactRouterSession`).
 * - `isSession()` → React Router's duck-typed check (same members), since the
 *   main suite runs without `react-router` installed; the example's spec runs
 *   React Router's own `isSession` against the storage.
 * - `createMemorySessionStorage({ cookie })` → `createTesseraSessionStorage`
 *   on `createMemoryStore()`.
 * - `createCookieSessionStorage({ cookie })` → `createTesseraSessionStorage`
 *   on `createSignedCookieStore({ secrets })`.
 *
 * Options: `cookie.name` defaults to React Router's `__session`; `maxAge`
 * (seconds) is Tessera's `cookieAge`; `path`, `domain`, `sameSite`,
 * `httpOnly`, `secure` are passed as they are; `expires` is passed too, and
 * Tessera refuses it. Tessera refuses secrets shorter than 32 bytes, so a
 * test secret such as `"secret1"` is padded to 32 bytes (`"secret1" + "·"…`);
 * distinct test secrets stay distinct. A server-side store needs no secret:
 * the memory storage drops them.
 * @module
 */

import {
  createSessionManager,
  type SessionCookieOptions,
  type SessionOptions,
  type SessionStore,
} from '../../../src/core/index.js';
import {
  createReactRouterSession,
  createTesseraSessionStorage,
  type ReactRouterSession,
  type TesseraSessionStorage,
} from '../../../src/integrations/react-router/index.js';
import { isPromiseLike } from '../../../src/kit/index.js';
import { createSignedCookieStore } from '../../../src/stores/cookie/index.js';
import { createMemoryStore } from '../../../src/stores/memory/index.js';

/** React Router's cookie options, as the upstream tests pass them. */
export interface UpstreamCookieOptions {
  name?: string;
  secrets?: string[];
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  sameSite?: 'lax' | 'strict' | 'none' | false;
  httpOnly?: boolean;
  secure?: boolean;
}

/** The argument of React Router's storage factories. */
export interface UpstreamStorageOptions {
  cookie?: UpstreamCookieOptions;
}

const detached = createSessionManager({ store: createMemoryStore() });

/** React Router's `createSession(initialData?, id?)`: a fresh session not read from any cookie. */
export function createSession(
  initialData: Record<string, unknown> = {},
  id = '',
): ReactRouterSession {
  if (id !== '') {
    throw new Error('createSession(data, id): Tessera chooses its session ids; not applicable.');
  }
  const loaded = detached.load({ cookie: undefined, secure: false });
  if (isPromiseLike(loaded)) throw new Error('a session without a cookie loads synchronously');
  const session = createReactRouterSession(loaded);
  for (const [name, value] of Object.entries(initialData)) session.set(name, value);
  return session;
}

/** React Router's `isSession`: an object with a string `id`, `data`, and the five functions. */
export function isSession(object: unknown): object is ReactRouterSession {
  const candidate = object as Partial<Record<keyof ReactRouterSession, unknown>> | null;
  return (
    candidate != null &&
    typeof candidate.id === 'string' &&
    typeof candidate.data !== 'undefined' &&
    typeof candidate.has === 'function' &&
    typeof candidate.get === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.flash === 'function' &&
    typeof candidate.unset === 'function'
  );
}

/** React Router's `createMemorySessionStorage({ cookie })`, on Tessera's memory store. */
export function createMemorySessionStorage({
  cookie = {},
}: UpstreamStorageOptions = {}): TesseraSessionStorage {
  return createTesseraSessionStorage(toSessionOptions(createMemoryStore(), cookie));
}

/** React Router's `createCookieSessionStorage({ cookie })`, on Tessera's signed cookie store. */
export function createCookieSessionStorage({
  cookie = {},
}: UpstreamStorageOptions = {}): TesseraSessionStorage {
  const store = createSignedCookieStore({ secrets: (cookie.secrets ?? []).map(padSecret) });
  return createTesseraSessionStorage(toSessionOptions(store, cookie));
}

function toSessionOptions(
  store: SessionStore,
  { name = '__session', secrets: _secrets, maxAge, ...attributes }: UpstreamCookieOptions,
): SessionOptions & { store: SessionStore } {
  return {
    store,
    cookie: { name, ...attributes } as SessionCookieOptions,
    ...(maxAge === undefined ? {} : { cookieAge: maxAge }),
  };
}

/** Tessera's minimum secret length is 32 bytes; a test secret is padded to it. */
function padSecret(secret: string): string {
  return secret.padEnd(32, '·');
}
