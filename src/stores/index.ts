/**
 * Opens a store from a URL, e.g. from an environment variable:
 * `sqlite:./sessions.db`, `sqlite::memory:`, `memory:` (`memory:?maxEntries=1000`),
 * `file:./sessions`, `redis://host:6379?prefix=app:`, `postgres://…?table=name`.
 * Each store's module (and driver) is loaded only when its scheme is used.
 * @module
 */

import { SessionConfigError, type SessionStore } from '../core/index.js';
import { maskStoreUrl } from './mask-url.js';

export { maskStoreUrl } from './mask-url.js';

type StoreOpener = (url: URL, raw: string) => Promise<SessionStore>;

// redis://[:password@]host:6379[/db][?prefix=tessera:]; node-redis ignores the query string.
const openRedis: StoreOpener = async (url, raw) => {
  const { createRedisStore } = await import('./redis/index.js');
  const prefix = url.searchParams.get('prefix') ?? undefined;
  return createRedisStore({ url: raw, ...(prefix === undefined ? {} : { prefix }) });
};

const OPENERS: Readonly<Record<string, StoreOpener>> = Object.freeze({
  'sqlite:': async (_url, raw) => {
    const { createSqliteStore } = await import('./sqlite/index.js');
    const path =
      decodeURIComponent(raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')) || undefined;
    return createSqliteStore(path === undefined ? {} : { path });
  },
  'memory:': async (url) => {
    const { createMemoryStore } = await import('./memory/index.js');
    const maxEntries = url.searchParams.get('maxEntries');
    return createMemoryStore(maxEntries === null ? {} : { maxEntries: Number(maxEntries) });
  },
  'redis:': openRedis,
  'rediss:': openRedis,
  // file:./sessions (relative to the working directory), file:///abs/path, or file: for the default.
  'file:': async (_url, raw) => {
    const { createFileStore, fileStoreOptionsFromUrl } = await import('./file/index.js');
    return createFileStore(fileStoreOptionsFromUrl(raw));
  },
  // postgres://user:password@host:5432/db?table=name&createTable=false; postgresql: too.
  ...Object.fromEntries(
    ['postgres:', 'postgresql:'].map((scheme): [string, StoreOpener] => [
      scheme,
      async (_url, raw) => (await import('./postgres/from-url.js')).createPostgresStoreFromUrl(raw),
    ]),
  ),
  // mysql://user:password@host:3306/db?table=name&createTable=false; mariadb: too.
  ...Object.fromEntries(
    ['mysql:', 'mariadb:'].map((scheme): [string, StoreOpener] => [
      scheme,
      async (_url, raw) => (await import('./mysql/from-url.js')).createMysqlStoreFromUrl(raw),
    ]),
  ),
});

/** The URL schemes {@link createStoreFromUrl} understands. */
export const SUPPORTED_STORE_SCHEMES: readonly string[] = Object.freeze(Object.keys(OPENERS));

/**
 * Creates the store a URL names. Throws {@link SessionConfigError} for an
 * unknown scheme or a malformed URL, naming the URL with any password masked.
 */
export async function createStoreFromUrl(url: string): Promise<SessionStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} is not a URL; use e.g. "sqlite:./sessions.db" or "memory:".`,
    );
  }
  const open = OPENERS[parsed.protocol];
  if (!open) {
    throw new SessionConfigError(
      `Store URL ${JSON.stringify(maskStoreUrl(url))} has an unsupported scheme "${parsed.protocol}"; ` +
        `supported: ${SUPPORTED_STORE_SCHEMES.join(', ')}.`,
    );
  }
  return open(parsed, url);
}
