// Every entry point's types resolve in this flavour, including those the apps do not use.
// Types only: the PostgreSQL and MySQL entry points load their drivers, not installed here.
import type { SessionStore } from 'tessera-session';
import type { createSessionMiddleware as ExpressMiddleware } from 'tessera-session/express';
import type { tesseraSession } from 'tessera-session/fastify';
import type { createSessionMiddleware as HonoMiddleware } from 'tessera-session/hono';
import type { createSessionKit } from 'tessera-session/kit';
import type { createSessionMiddleware as KoaMiddleware } from 'tessera-session/koa';
import type { createSessionHandler } from 'tessera-session/node';
import type { createStoreFromUrl } from 'tessera-session/stores';
import type { createCachedStore } from 'tessera-session/stores/cached';
import type { createSignedCookieStore } from 'tessera-session/stores/cookie';
import type { fromExpressSessionStore } from 'tessera-session/stores/express-session';
import type { createFileStore } from 'tessera-session/stores/file';
import type { createMemoryStore } from 'tessera-session/stores/memory';
import type { createMysqlStore } from 'tessera-session/stores/mysql';
import type { createPostgresStore } from 'tessera-session/stores/postgres';
import type { createRedisStore } from 'tessera-session/stores/redis';
import type { createSqliteStore } from 'tessera-session/stores/sqlite';
import type { createTestClient } from 'tessera-session/testing';
import type { describeStoreConformance } from 'tessera-session/testing/stores';

/** An entry point whose types do not resolve is an error on its import above. */
export type EntryPoints = [
  SessionStore,
  typeof ExpressMiddleware,
  typeof tesseraSession,
  typeof HonoMiddleware,
  typeof createSessionKit,
  typeof KoaMiddleware,
  typeof createSessionHandler,
  typeof createStoreFromUrl,
  typeof createCachedStore,
  typeof createSignedCookieStore,
  typeof fromExpressSessionStore,
  typeof createFileStore,
  typeof createMemoryStore,
  typeof createMysqlStore,
  typeof createPostgresStore,
  typeof createRedisStore,
  typeof createSqliteStore,
  typeof createTestClient,
  typeof describeStoreConformance,
];
