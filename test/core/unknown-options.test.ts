/**
 * Specification: every factory rejects option keys it does not know, when it
 * is called, with a SessionConfigError that names the key and the factory and
 * says what to do: the Tessera equivalent of an option of express-session,
 * @fastify/session, koa-session or iron-session, or the key a typo was meant
 * to be. Nothing is connected, opened or written before the rejection.
 */

import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { MemoryStore as ExpressSessionMemoryStore } from 'express-session';
import Fastify from 'fastify';
import Koa from 'koa';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsrfMiddleware as createExpressCsrf } from '../../src/adapters/express/csrf.js';
import { createSessionMiddleware as createExpressMiddleware } from '../../src/adapters/express/index.js';
import { tesseraSession } from '../../src/adapters/fastify/index.js';
import { createCsrfMiddleware as createHonoCsrf } from '../../src/adapters/hono/csrf.js';
import { createSessionMiddleware as createHonoMiddleware } from '../../src/adapters/hono/index.js';
import { createCsrfMiddleware as createKoaCsrf } from '../../src/adapters/koa/csrf.js';
import { createSessionMiddleware as createKoaMiddleware } from '../../src/adapters/koa/index.js';
import { createNodeSessionManager, createSessionHandler } from '../../src/adapters/node/index.js';
import {
  createSessionManager,
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_SESSION_OPTIONS,
  digestSessionIdWebCrypto,
  PEER_OPTION_HINTS,
  SessionConfigError,
  type SessionOptions,
} from '../../src/core/index.js';
import { createCachedStore } from '../../src/stores/cached/index.js';
import { DEFAULT_CACHED_STORE_OPTIONS } from '../../src/stores/cached/options.js';
import {
  createEncryptedCookieStore,
  createSignedCookieStore,
} from '../../src/stores/cookie/index.js';
import { DEFAULT_COOKIE_STORE_OPTIONS } from '../../src/stores/cookie/options.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { DEFAULT_FILE_STORE_OPTIONS } from '../../src/stores/file/options.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { DEFAULT_MEMORY_STORE_OPTIONS } from '../../src/stores/memory/options.js';
import { createMysqlStore } from '../../src/stores/mysql/index.js';
import { DEFAULT_MYSQL_STORE_OPTIONS } from '../../src/stores/mysql/options.js';
import { createPostgresStore } from '../../src/stores/postgres/index.js';
import { DEFAULT_POSTGRES_STORE_OPTIONS } from '../../src/stores/postgres/options.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { DEFAULT_REDIS_STORE_OPTIONS } from '../../src/stores/redis/options.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';
import { DEFAULT_SQLITE_STORE_OPTIONS } from '../../src/stores/sqlite/options.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

type Options = Record<string, unknown>;

/** A factory as a test sees it: create with these options, then release what was created. */
interface Factory {
  /** How its messages name it. */
  readonly name: string;
  /** Creates and disposes; rejects with what creation throws. */
  readonly create: (options: Options) => Promise<void>;
  /** Option sets it accepts; together they hold every key it knows, with valid values. */
  readonly valid: () => Options[];
}

// Nothing listens here: network stores connect lazily, so creating one needs no server.
const NOWHERE = {
  redis: 'redis://127.0.0.1:1',
  postgres: 'postgres://user:secret@127.0.0.1:1/app',
  mysql: 'mysql://user:secret@127.0.0.1:1/app',
};
const SECRET = 'a secret of at least thirty-two bytes, from openssl';

let files: TempDir;
beforeAll(async () => {
  files = await createTempDir('tessera-unknown-options-');
});
afterAll(async () => {
  await files.remove();
});

/** Every session option with a valid value: the defaults, and those without one. */
function allSessionOptions(): Options {
  return {
    ...DEFAULT_SESSION_OPTIONS,
    store: createMemoryStore(),
    cookie: { ...DEFAULT_COOKIE_OPTIONS },
    digestId: digestSessionIdWebCrypto,
    onError: () => {},
  };
}

function sessionFactory(
  name: string,
  create: (options: Options) => { close(): Promise<void> },
): Factory {
  return {
    name,
    create: async (options) => {
      await create(options).close();
    },
    valid: () => [allSessionOptions()],
  };
}

async function registerOnFastify(options: Options): Promise<void> {
  const app = Fastify();
  try {
    await app.register(tesseraSession, options as never);
    await app.ready();
  } finally {
    await app.close();
  }
}

const SESSION_FACTORIES: readonly Factory[] = [
  sessionFactory('createSessionManager()', (o) => createSessionManager(o as SessionOptions)),
  sessionFactory('createNodeSessionManager()', (o) => createNodeSessionManager(o)),
  sessionFactory('createSessionHandler()', (o) => createSessionHandler(o)),
  sessionFactory('createSessionMiddleware()', (o) => createExpressMiddleware(o)), // Express
  sessionFactory('createSessionMiddleware()', (o) => createKoaMiddleware(o)),
  sessionFactory('createSessionMiddleware()', (o) =>
    createHonoMiddleware(o as unknown as Parameters<typeof createHonoMiddleware>[0]),
  ),
  {
    name: 'app.register(tesseraSession)',
    create: registerOnFastify,
    valid: () => [
      { ...allSessionOptions(), csrf: true },
      // What Fastify itself reads from every plugin's options.
      { store: createMemoryStore(), prefix: '/app', logLevel: 'warn', logSerializers: {} },
    ],
  },
];

function csrfFactory(create: (options: never) => unknown): Factory {
  return {
    name: 'createCsrfMiddleware()',
    create: async (options) => {
      create(options as never);
    },
    valid: () => [{}],
  };
}

const CSRF_FACTORIES: readonly Factory[] = [
  csrfFactory(createExpressCsrf),
  csrfFactory(createKoaCsrf),
  csrfFactory(createHonoCsrf),
];

async function closeStore(store: { close?: () => unknown }): Promise<void> {
  await store.close?.();
}

const STORE_FACTORIES: readonly Factory[] = [
  {
    name: 'createMemoryStore()',
    create: (o) => closeStore(createMemoryStore(o)),
    valid: () => [{ ...DEFAULT_MEMORY_STORE_OPTIONS }],
  },
  {
    name: 'createSqliteStore()',
    create: (o) => closeStore(createSqliteStore(o)),
    valid: () => [
      { ...DEFAULT_SQLITE_STORE_OPTIONS, path: ':memory:' },
      { database: new BetterSqlite3(':memory:'), table: 'sessions', createTable: true },
    ],
  },
  {
    name: 'createFileStore()',
    create: (o) => closeStore(createFileStore(o)),
    valid: () => [{ ...DEFAULT_FILE_STORE_OPTIONS, directory: files.file('sessions') }],
  },
  {
    name: 'createRedisStore()',
    create: (o) => closeStore(createRedisStore(o)),
    valid: () => [
      { ...DEFAULT_REDIS_STORE_OPTIONS, url: NOWHERE.redis, onError: () => {} },
      { client: createClient({ url: NOWHERE.redis }) },
      { cluster: { rootNodes: [{ url: NOWHERE.redis }] } },
    ],
  },
  {
    name: 'createPostgresStore()',
    create: (o) => closeStore(createPostgresStore(o)),
    valid: () => [
      { ...DEFAULT_POSTGRES_STORE_OPTIONS, url: NOWHERE.postgres, onError: () => {} },
      { pool: new pg.Pool({ connectionString: NOWHERE.postgres }), table: 'sessions' },
    ],
  },
  {
    name: 'createMysqlStore()',
    create: (o) => closeStore(createMysqlStore(o)),
    valid: () => [
      { ...DEFAULT_MYSQL_STORE_OPTIONS, url: NOWHERE.mysql },
      { pool: mysql.createPool(NOWHERE.mysql), table: 'sessions' },
    ],
  },
  {
    name: 'createCachedStore()',
    create: (o) => closeStore(createCachedStore(o as never)),
    valid: () => [
      { ...DEFAULT_CACHED_STORE_OPTIONS, cache: createMemoryStore(), store: createMemoryStore() },
    ],
  },
  {
    name: 'createSignedCookieStore()',
    create: (o) => closeStore(createSignedCookieStore(o as never)),
    valid: () => [
      { ...DEFAULT_COOKIE_STORE_OPTIONS, secrets: [SECRET], revocation: createMemoryStore() },
    ],
  },
  {
    name: 'createEncryptedCookieStore()',
    create: (o) => closeStore(createEncryptedCookieStore(o as never)),
    valid: () => [
      { ...DEFAULT_COOKIE_STORE_OPTIONS, secrets: [SECRET], revocation: createMemoryStore() },
    ],
  },
];

const ALL_FACTORIES = [...SESSION_FACTORIES, ...CSRF_FACTORIES, ...STORE_FACTORIES];

/** The SessionConfigError creating with `options` fails with. */
async function creationError(factory: Factory, options: Options): Promise<SessionConfigError> {
  try {
    await factory.create(options);
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    return error as SessionConfigError;
  }
  throw new Error(`${factory.name} accepted ${JSON.stringify(Object.keys(options))}`);
}

const sessionMiddleware = SESSION_FACTORIES[3]!;
const signedCookieStore = STORE_FACTORIES.find((f) => f.name === 'createSignedCookieStore()')!;
const memoryStore = STORE_FACTORIES[0]!;

/** The message of the error `createSessionMiddleware()` (Express) throws for these options. */
async function middlewareMessage(options: Options): Promise<string> {
  return (await creationError(sessionMiddleware, { store: createMemoryStore(), ...options }))
    .message;
}

describe('every factory rejects an unknown key, naming the key and the factory', () => {
  it.each(ALL_FACTORIES.map((factory) => [factory.name, factory] as const))(
    '%s',
    async (_name, factory) => {
      const [valid] = factory.valid();
      const error = await creationError(factory, { ...valid, sessionFlavour: 'mint' });
      expect(error.message).toContain(factory.name);
      expect(error.message).toContain('unknown option "sessionFlavour"');
    },
  );

  it('CSRF middlewares take no options yet, and say so', async () => {
    const error = await creationError(CSRF_FACTORIES[0]!, { ignoreMethods: ['GET'] });
    expect(error.message).toBe(
      'createCsrfMiddleware(): unknown option "ignoreMethods"; it takes no options.',
    );
  });

  it('an unknown key without a near miss lists the known ones', async () => {
    const error = await creationError(memoryStore, { flavour: 'mint' });
    expect(error.message).toBe(
      'createMemoryStore(): unknown option "flavour". Known options: maxEntries, now.',
    );
  });

  it('rejects before connecting, opening or creating anything', async () => {
    const directory = files.file('never-created');
    await creationError(STORE_FACTORIES[2]!, { directory, fsynk: false });
    expect(() => readFileSync(directory)).toThrow(/ENOENT/);
    // Port 1 has no server: a store that connected first would fail differently.
    await creationError(STORE_FACTORIES[3]!, { url: NOWHERE.redis, keyPrefix: 'app:' });
    await creationError(STORE_FACTORIES[4]!, { url: NOWHERE.postgres, ssl: true });
    await creationError(STORE_FACTORIES[5]!, { url: NOWHERE.mysql, charset: 'utf8mb4' });
  });
});

describe('nested option objects are checked too', () => {
  it.each(SESSION_FACTORIES.map((factory) => [factory.name, factory] as const))(
    '%s checks the keys of cookie',
    async (_name, factory) => {
      const error = await creationError(factory, {
        store: createMemoryStore(),
        cookie: { name: 'sid', flavour: 'mint' },
      });
      expect(error.message).toContain(`${factory.name}: unknown option "cookie.flavour"`);
    },
  );

  it('cookie must be an object (express-session 1.19 also took a function)', async () => {
    expect(await middlewareMessage({ cookie: () => ({ secure: true }) })).toBe(
      'createSessionMiddleware(): option "cookie" must be an object, got a function.',
    );
  });

  it("checks a Redis cluster's options and each root node's", async () => {
    const redis = STORE_FACTORIES[3]!;
    const cluster = await creationError(redis, {
      cluster: { rootNodes: [{ url: NOWHERE.redis }], useReplicas: true },
    });
    expect(cluster.message).toBe(
      'createRedisStore(): unknown option "cluster.useReplicas". Known options: rootNodes.',
    );
    const node = await creationError(redis, {
      cluster: { rootNodes: [{ url: NOWHERE.redis }, { url: NOWHERE.redis, password: 'x' }] },
    });
    expect(node.message).toBe(
      'createRedisStore(): unknown option "cluster.rootNodes[1].password". Known options: url.',
    );
  });
});

describe('an option of express-session, @fastify/session, koa-session or iron-session says what to use instead', () => {
  it('cookie.maxAge (milliseconds) → cookieAge (seconds): the issue that started it', async () => {
    expect(await middlewareMessage({ cookie: { maxAge: 60_000 } })).toBe(
      'createSessionMiddleware(): unknown option "cookie.maxAge". cookie.maxAge is cookieAge in Tessera, ' +
        "an option beside cookie, in seconds: express-session's cookie: { maxAge: 60000 } is cookieAge: 60.",
    );
  });

  it('rolling → saveEveryRequest: true with touchAfter: 0', async () => {
    expect(await middlewareMessage({ rolling: true })).toBe(
      'createSessionMiddleware(): unknown option "rolling". rolling (express-session, @fastify/session, ' +
        'koa-session) is saveEveryRequest: true with touchAfter: 0 in Tessera.',
    );
  });

  // [option, where it is given, what the message must say]
  const cases: readonly [string, Options, RegExp][] = [
    [
      'cookie.expires',
      { cookie: { expires: new Date() } },
      /cookieAge.*session\.setExpiry\(date\)/,
    ],
    ['resave', { resave: false }, /not needed.*only the keys a request changed \(delta writes\)/],
    [
      'saveUninitialized',
      { saveUninitialized: false },
      /not needed: an empty session is never stored/,
    ],
    ['genid', { genid: () => 'id' }, /no equivalent: session ids are 192 random bits/],
    [
      'idGenerator',
      { idGenerator: () => 'id' },
      /@fastify\/session's idGenerator.*192 random bits/,
    ],
    ['secret', { secret: 'keyboard cat' }, /not needed.*createSignedCookieStore\(\{ secrets \}\)/],
    [
      'secrets',
      { secrets: ['keyboard cat'] },
      /cookie stores.*createSignedCookieStore\(\{ secrets \}\)/,
    ],
    ['name', { name: 'connect.sid' }, /express-session's name is cookie\.name/],
    ['key', { key: 'koa.sess' }, /koa-session's key .*is cookie\.name/],
    ['cookieName', { cookieName: 'sessionId' }, /cookieName is cookie\.name/],
    ['proxy', { proxy: true }, /express-session's proxy is trustProxy/],
    ['unset', { unset: 'destroy' }, /session\.flush\(\).*session\.delete\(key\)/],
    [
      'maxAge',
      { maxAge: 86_400_000 },
      /koa-session's maxAge \(milliseconds\) is cookieAge in Tessera, in seconds/,
    ],
    ['renew', { renew: true }, /koa-session's renew is saveEveryRequest: true/],
    ['signed', { signed: true }, /koa-session's signed is not needed/],
    ['autoCommit', { autoCommit: false }, /autoCommit is not needed.*session\.save\(\)/],
    ['httpOnly', { httpOnly: true }, /koa-session's httpOnly is cookie\.httpOnly/],
    ['cookiePrefix', { cookiePrefix: 's:' }, /cookiePrefix is not needed/],
    ['password', { password: SECRET }, /createEncryptedCookieStore\(\{ secrets: \[password\] \}\)/],
    ['ttl', { ttl: 3600 }, /iron-session's ttl is cookieAge/],
    [
      'cookieOptions',
      { cookieOptions: { secure: true } },
      /iron-session's cookieOptions is cookie/,
    ],
  ];
  it.each(cases)('%s', async (option, options, says) => {
    const message = await middlewareMessage(options);
    expect(message).toContain(`createSessionMiddleware(): unknown option "${option}". `);
    expect(message).toMatch(says);
  });

  it('a store of express-session is not taken for a Tessera store', async () => {
    const message = await middlewareMessage({ store: new ExpressSessionMemoryStore() });
    expect(message).toMatch(/is a store of express-session.*tessera-session\/stores/);
  });

  it('an iron-session password given to a cookie store is its secrets', async () => {
    const error = await creationError(signedCookieStore, { password: SECRET });
    expect(error.message).toBe(
      'createSignedCookieStore(): unknown option "password". iron-session\'s password is secrets in Tessera, ' +
        'a list newest first: secrets: [password] (at least 32 bytes).',
    );
  });

  it('an option of express-session stores names the Tessera way', async () => {
    const error = await creationError(memoryStore, { ttl: 86_400 });
    expect(error.message).toMatch(/createMemoryStore\(\): unknown option "ttl"\. .*cookieAge/);
  });

  it('every hint in the table is given where it applies', async () => {
    for (const [key, hint] of Object.entries(PEER_OPTION_HINTS.session)) {
      expect(await middlewareMessage({ [key]: true })).toBe(
        `createSessionMiddleware(): unknown option "${key}". ${hint.message}`,
      );
    }
    for (const [key, hint] of Object.entries(PEER_OPTION_HINTS.cookie)) {
      expect(await middlewareMessage({ cookie: { [key]: true } })).toBe(
        `createSessionMiddleware(): unknown option "cookie.${key}". ${hint.message}`,
      );
    }
    for (const [key, hint] of Object.entries(PEER_OPTION_HINTS.cookieStore)) {
      const error = await creationError(signedCookieStore, { secrets: [SECRET], [key]: true });
      expect(error.message).toBe(
        `createSignedCookieStore(): unknown option "${key}". ${hint.message}`,
      );
    }
    for (const [key, hint] of Object.entries(PEER_OPTION_HINTS.store)) {
      const error = await creationError(memoryStore, { [key]: true });
      expect(error.message).toBe(`createMemoryStore(): unknown option "${key}". ${hint.message}`);
    }
  });

  it("the README's table covers every option of the four peers", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Coming from'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| ---')));
    const peers = ['express-session', '@fastify/session', 'koa-session', 'iron-session'];
    for (const [scope, hints] of Object.entries(PEER_OPTION_HINTS)) {
      if (scope === 'store') continue;
      for (const [key, hint] of Object.entries(hints)) {
        if (!hint.peers.some((peer) => peers.includes(peer))) continue;
        expect(table, `${scope} option ${key}`).toContain(
          scope === 'cookie' ? `\`cookie.${key}\`` : `\`${key}\``,
        );
      }
    }
  });
});

describe('a near miss suggests the key it was meant to be', () => {
  it('cookeAge → cookieAge', async () => {
    expect(await middlewareMessage({ cookeAge: 3600 })).toBe(
      'createSessionMiddleware(): unknown option "cookeAge"; did you mean cookieAge?',
    );
  });

  it('in nested objects, and ignoring case', async () => {
    expect(await middlewareMessage({ cookie: { httponly: true } })).toBe(
      'createSessionMiddleware(): unknown option "cookie.httponly"; did you mean cookie.httpOnly?',
    );
  });

  it('swapped letters count once', async () => {
    expect(await middlewareMessage({ touchAfetr: 0 })).toContain('did you mean touchAfter?');
  });

  it('in store factories', async () => {
    const error = await creationError(STORE_FACTORIES[1]!, { path: ':memory:', tabel: 'sessions' });
    expect(error.message).toBe('createSqliteStore(): unknown option "tabel"; did you mean table?');
  });
});

describe('what counts as given', () => {
  it('a key whose value is undefined is still checked: a typo is a typo', async () => {
    for (const factory of ALL_FACTORIES) {
      const [valid] = factory.valid();
      const error = await creationError(factory, { ...valid, cookeAge: undefined });
      expect(error.message, factory.name).toContain('unknown option "cookeAge"');
    }
  });

  it('the options must be an object, not an app (koa-session took session(app))', async () => {
    const koa = SESSION_FACTORIES[4]!;
    const error = await creationError(koa, new Koa() as unknown as Options);
    expect(error.message).toMatch(
      /^createSessionMiddleware\(\): the options must be a plain options object, got an object with a use\(\) method/,
    );
    const nullError = await creationError(sessionMiddleware, null as unknown as Options);
    expect(nullError.message).toBe(
      'createSessionMiddleware(): the options must be an object, got null.',
    );
  });
});

describe('every valid option still passes, and the caller’s objects are left as they were', () => {
  it.each(ALL_FACTORIES.map((factory) => [factory.name, factory] as const))(
    '%s',
    async (_name, factory) => {
      for (const options of factory.valid()) {
        const frozen = deepFreeze(options);
        const before = snapshot(frozen);
        await factory.create(frozen);
        expect(snapshot(frozen)).toEqual(before);
      }
    },
  );

  it('an option added to DEFAULT_SESSION_OPTIONS later is known without more code', () => {
    // The known keys are derived from the frozen defaults; this pins that every default is accepted.
    for (const key of Object.keys(DEFAULT_SESSION_OPTIONS)) {
      const value = DEFAULT_SESSION_OPTIONS[key as keyof typeof DEFAULT_SESSION_OPTIONS];
      expect(() =>
        createSessionManager({ store: createMemoryStore(), [key]: value } as SessionOptions),
      ).not.toThrow();
    }
  });
});

/** Freezes plain objects and arrays, not the stores, clients and pools inside them. */
function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || isPlainObject(value)) {
    for (const inner of Object.values(value as object)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function isPlainObject(value: unknown): value is Options {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

/** The keys and plain values of an options object, for comparing before and after. */
function snapshot(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snapshot);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, snapshot(inner)]));
  }
  return value;
}
