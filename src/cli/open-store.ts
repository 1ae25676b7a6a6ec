/**
 * Which store a command works on, and opening it for the length of a command,
 * with the CLI's one convention for failures:
 *
 * - exit 2: the store URL is wrong (not a URL, unknown scheme, a bad
 *   parameter), or names a store the CLI cannot work on (memory, cookies);
 * - exit 1: the store failed: it cannot be opened or reached, refused the
 *   credentials, or its database, directory or table is missing.
 *
 * Every message names the store URL (password masked) and says what to do.
 * @module
 */

import { isCookieSessionStore, SessionConfigError, type SessionStore } from '../core/index.js';
import { checkStoreUrl, createStoreFromUrl, maskStoreUrl } from '../stores/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, errorMessage } from './cli-error.js';
import type { StoreOpener, StoreOpenMode } from './context.js';

/** The environment variable naming the store when `--store` is not given. */
export const STORE_URL_VARIABLE = 'SESSION_STORE';

/** The store used without `--store` or `SESSION_STORE`: the library's default SQLite file. */
export const DEFAULT_STORE_URL = 'sqlite:.tessera/sessions.db';

/** Read-only and maintenance commands create nothing; only `migrate` asks for this. */
const WITHOUT_CREATING: StoreOpenMode = Object.freeze({ create: false });

/** The store URL to use: `--store`, else `SESSION_STORE` (when not empty), else the default. */
export function resolveStoreUrl(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (option !== undefined) return option;
  const fromEnv = env[STORE_URL_VARIABLE];
  return fromEnv === undefined || fromEnv === '' ? DEFAULT_STORE_URL : fromEnv;
}

/**
 * The default opener: the URL is checked first without opening anything, so
 * a URL `createStoreFromUrl` rejects is a usage error (exit 2), and a store
 * that then fails to open (a missing SQLite file, a driver not installed, a
 * directory it may not use) is a store failure (exit 1).
 */
export const openStoreFromUrl: StoreOpener = async (url, mode) => {
  try {
    await checkStoreUrl(url, { create: mode.create });
  } catch (error) {
    throw new CliError(EXIT_USAGE, errorMessage(error), { cause: error });
  }
  try {
    return await createStoreFromUrl(url, { create: mode.create });
  } catch (error) {
    throw storeFailure(url, error);
  }
};

/**
 * Opens the store `url` names with `open`, runs `work` with it and always
 * closes it. Unless `mode.create`, the store creates nothing and its
 * `ready()` runs first, so a store that cannot be reached, refuses the
 * credentials or lacks its table fails at once with its own explanation.
 */
export async function withStore<T>(
  url: string,
  open: StoreOpener,
  work: (store: SessionStore) => Promise<T>,
  mode: StoreOpenMode = WITHOUT_CREATING,
): Promise<T> {
  refuseInProcessStore(url);
  let store: SessionStore;
  try {
    store = await open(url, mode);
  } catch (error) {
    if (error instanceof SessionConfigError) {
      throw new CliError(EXIT_USAGE, error.message, { cause: error });
    }
    throw storeFailure(url, error);
  }
  let result: T;
  try {
    refuseCookieStore(store);
    if (!mode.create) await store.ready?.();
    result = await work(store);
  } catch (error) {
    await closeQuietly(store);
    throw storeFailure(url, error);
  }
  try {
    await store.close?.();
  } catch (error) {
    throw storeFailure(url, error);
  }
  return result;
}

/**
 * A failure of the store as the CLI reports it (exit 1), naming the store. A
 * store's message that already names it (its URL, password masked) is kept
 * as it is; a {@link CliError} passes through unchanged.
 */
export function storeFailure(url: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const shown = maskStoreUrl(url);
  const message = errorMessage(error);
  const named = message.includes(shown.replace(/[?#].*$/, ''));
  const prefix = named ? 'Store error' : `Store error at ${shown}`;
  return new CliError(EXIT_FAILURE, `${prefix}: ${message}${describeMissingDriver(error)}`, {
    cause: error,
  });
}

/**
 * What to install when a store's driver is missing: drivers are optional peer
 * dependencies, so `npx tessera-session` in an app without `pg` meets a bare
 * "Cannot find package 'pg'".
 */
function describeMissingDriver(error: unknown): string {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND') return '';
  const name = /Cannot find package '([^']+)'/.exec(errorMessage(error))?.[1];
  return name === undefined ? '' : `. Install the store's driver: npm install ${name}`;
}

/** A store held in one process's memory would be a new, empty one: there is nothing to work on. */
function refuseInProcessStore(url: string): void {
  const isMemory = /^memory:/i.test(url);
  if (!isMemory && !/^sqlite:(\/\/)?:memory:$/i.test(url)) return;
  const what = isMemory ? 'The memory store' : 'An in-memory SQLite database';
  throw new CliError(
    EXIT_USAGE,
    `${what} (${maskStoreUrl(url)}) lives inside the process that opens it: this command would ` +
      'open an empty one of its own. Pass --store the URL of the store your application uses ' +
      '(sqlite:, file:, redis:, postgres:, mysql:).',
  );
}

/** Cookie stores keep every session in the browser: the server has none to list, count or revoke. */
function refuseCookieStore(store: SessionStore): void {
  if (!isCookieSessionStore(store)) return;
  throw new CliError(
    EXIT_USAGE,
    `The ${store.name} store keeps sessions in the browser's cookies, not on the server: ` +
      'there are none here to list, count, clear or revoke.',
  );
}

async function closeQuietly(store: SessionStore): Promise<void> {
  try {
    await store.close?.();
  } catch {
    // The error that made the command fail is the one worth reporting.
  }
}
