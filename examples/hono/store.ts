/**
 * The session store the `STORE` environment variable names: `memory` (the
 * default; sessions end with the process) or `redis` (`REDIS_URL`, keys under
 * `REDIS_PREFIX`). The Redis store is imported only when asked for, so the
 * memory path loads no `node:` module (Workers run it without Node
 * compatibility).
 *
 * @module
 */
import type { SessionStore } from 'tessera-session';
import { createMemoryStore } from 'tessera-session/stores/memory';

/** The environment the store is chosen from. */
export interface StoreEnv {
  STORE?: string | undefined;
  REDIS_URL?: string | undefined;
  REDIS_PREFIX?: string | undefined;
}

/** Which stores `STORE` may name. */
export const STORE_KINDS = ['memory', 'redis'] as const;

/** Opens the store `env.STORE` names; a Redis store is connected before this resolves. */
export async function openStore(env: StoreEnv): Promise<SessionStore> {
  const kind = env.STORE ?? 'memory';
  if (kind === 'memory') return createMemoryStore();
  if (kind === 'redis') {
    const { createRedisStore } = await import('tessera-session/stores/redis');
    const store = createRedisStore({
      url: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      prefix: env.REDIS_PREFIX ?? 'tessera-hono-example:',
    });
    await store.ready(); // a wrong URL fails here, at startup, not on the first visitor
    return store;
  }
  throw new Error(`STORE must be one of ${STORE_KINDS.join(', ')}; got ${JSON.stringify(kind)}.`);
}
