/**
 * The `store` option of an entry point that can run outside Node (Hono, the
 * Web entry point and the integrations built on it): there is no default
 * store there, since the SQLite default needs Node.
 * @module
 */

import { SessionConfigError, type SessionOptions } from '../core/index.js';

/**
 * Throws a {@link SessionConfigError} saying which store to pass when
 * `options.store` is missing; `entryPoint` (`'tessera-session/web'`) and
 * `factoryName` (`'createSessions()'`) name where.
 */
export function requireStore(
  options: SessionOptions | undefined,
  factoryName: string,
  entryPoint: string,
): void {
  if (options?.store !== undefined) return;
  throw new SessionConfigError(
    `Option "store" is required by ${entryPoint} (${factoryName}): the default SQLite store only runs on Node. ` +
      "Pass createSqliteStore() from 'tessera-session/stores/sqlite' on Node, a Redis or PostgreSQL store to share " +
      "sessions between servers (Redis also on Bun and Deno), or createMemoryStore() from 'tessera-session/stores/memory' in tests.",
  );
}
