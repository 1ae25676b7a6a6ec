/**
 * node-redis (the `redis` package), loaded only when the store opens a client
 * itself (`url`, `cluster`): an application that gives an ioredis client
 * needs no node-redis installed, and the other way round. `require` rather
 * than `import()`, because `createRedisStore()` is synchronous.
 *
 * @module
 */

import { createRequire } from 'node:module';
import { SessionConfigError } from '../../core/errors.js';

/** What the store uses of the `redis` package (its own types need not be installed). */
export interface NodeRedisModule {
  /** Creates a single-server client, not yet connected. */
  createClient(options: object): unknown;
  /** Creates a cluster client, not yet connected. */
  createCluster(options: object): unknown;
}

let loaded: NodeRedisModule | undefined;

/** The `redis` package; a {@link SessionConfigError} saying what to install when it is missing. */
export function loadNodeRedis(): NodeRedisModule {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('redis') as NodeRedisModule;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new SessionConfigError(
      'createRedisStore: options "url" and "cluster" open a node-redis client, and the package "redis" is not installed. ' +
        'Install it (npm install redis), or give your own client as "client" (node-redis or ioredis).',
    );
  }
  return loaded;
}
