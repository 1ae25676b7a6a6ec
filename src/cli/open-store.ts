/**
 * Which store a command works on, and opening it for the length of a command.
 * @module
 */

import { SessionConfigError, type SessionStore } from '../core/index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, errorMessage } from './cli-error.js';
import type { StoreOpener } from './context.js';

/** The environment variable naming the store when `--store` is not given. */
export const STORE_URL_VARIABLE = 'SESSION_STORE';

/** The store used without `--store` or `SESSION_STORE`: the library's default SQLite file. */
export const DEFAULT_STORE_URL = 'sqlite:.tessera/sessions.db';

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
 * Opens the store `url` names with `open`, runs `work` with it and always closes it.
 * A bad URL becomes a {@link CliError} with exit code 2 (the message masks any
 * password); anything the store throws becomes `Store error: …` with exit code 1.
 */
export async function withStore<T>(
  url: string,
  open: StoreOpener,
  work: (store: SessionStore) => Promise<T>,
): Promise<T> {
  let store: SessionStore;
  try {
    store = await open(url);
  } catch (error) {
    throw asCliError(error);
  }
  let result: T;
  try {
    result = await work(store);
  } catch (error) {
    await closeQuietly(store);
    throw asCliError(error);
  }
  try {
    await store.close?.();
  } catch (error) {
    throw asCliError(error);
  }
  return result;
}

async function closeQuietly(store: SessionStore): Promise<void> {
  try {
    await store.close?.();
  } catch {
    // The error that made the command fail is the one worth reporting.
  }
}

function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof SessionConfigError)
    return new CliError(EXIT_USAGE, error.message, { cause: error });
  return new CliError(EXIT_FAILURE, `Store error: ${errorMessage(error)}`, { cause: error });
}
