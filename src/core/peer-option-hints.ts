/**
 * What the options of other session libraries (express-session, @fastify/session,
 * koa-session, iron-session, and the stores of express-session) are in Tessera:
 * the hint a factory gives when it is passed one of them by someone moving over.
 * Read by {@link checkOptionKeys}; the README's "coming from" table says the same.
 * @module
 */

/** What one option of another session library is in Tessera. */
export interface PeerOptionHint {
  /** The libraries that have an option of this name here. */
  readonly peers: readonly string[];
  /** One or two sentences: what the option is in Tessera, or why it is not needed. */
  readonly message: string;
}

/**
 * Where an options object sits, which decides the hints that apply:
 * - `session`: the options of `createSessionManager` and of every adapter;
 * - `cookie`: their nested `cookie` object;
 * - `cookieStore`: `createSignedCookieStore` and `createEncryptedCookieStore`;
 * - `store`: the server-side stores (memory, SQLite, files, Redis, PostgreSQL, MySQL, cached).
 */
export type OptionHintScope = 'session' | 'cookie' | 'cookieStore' | 'store';

const EXPRESS = 'express-session';
const FASTIFY = '@fastify/session';
const KOA = 'koa-session';
const IRON = 'iron-session';

const NOTHING_TO_SIGN =
  'the cookie holds a random id, with nothing to sign. For sessions kept in the cookie, ' +
  'pass store: createSignedCookieStore({ secrets }).';
const RANDOM_IDS =
  'session ids are 192 random bits from the CSPRNG and cannot be chosen; keep your own ids in the session, ' +
  'or use session.login(userId) to record the owner.';

function hint(peers: readonly string[], message: string): PeerOptionHint {
  return Object.freeze({ peers: Object.freeze([...peers]), message });
}

// koa-session takes the cookie attributes beside its own options; Tessera nests them in `cookie`.
const KOA_COOKIE_ATTRIBUTES = ['httpOnly', 'secure', 'sameSite', 'domain', 'path', 'partitioned'];

const SESSION_HINTS: Record<string, PeerOptionHint> = {
  secret: hint(
    [EXPRESS, FASTIFY],
    `express-session's and @fastify/session's secret is not needed: ${NOTHING_TO_SIGN}`,
  ),
  secrets: hint(
    [],
    'secrets belongs to the cookie stores: for sessions kept in the cookie, pass store: createSignedCookieStore({ secrets }); ' +
      'a server-side store needs no secret.',
  ),
  name: hint(
    [EXPRESS],
    "express-session's name is cookie.name in Tessera: cookie: { name: 'sid' }.",
  ),
  key: hint(
    [KOA, EXPRESS],
    "koa-session's key (express-session's old name for name) is cookie.name in Tessera: cookie: { name: 'sid' }.",
  ),
  cookieName: hint(
    [FASTIFY, IRON],
    "@fastify/session's and iron-session's cookieName is cookie.name in Tessera: cookie: { name: 'sid' }.",
  ),
  cookiePrefix: hint(
    [FASTIFY],
    "@fastify/session's cookiePrefix is not needed: the cookie's value is the bare random id, neither signed nor prefixed.",
  ),
  algorithm: hint([FASTIFY], `@fastify/session's algorithm is not needed: ${NOTHING_TO_SIGN}`),
  genid: hint(
    [EXPRESS, KOA],
    `express-session's and koa-session's genid has no equivalent: ${RANDOM_IDS}`,
  ),
  idGenerator: hint([FASTIFY], `@fastify/session's idGenerator has no equivalent: ${RANDOM_IDS}`),
  proxy: hint(
    [EXPRESS],
    "express-session's proxy is trustProxy in Tessera: trustProxy: true believes X-Forwarded-Proto for cookie.secure: 'auto'.",
  ),
  resave: hint(
    [EXPRESS],
    "express-session's resave is not needed: Tessera writes only the keys a request changed (delta writes), so parallel requests never overwrite each other.",
  ),
  saveUninitialized: hint(
    [EXPRESS, FASTIFY],
    "express-session's and @fastify/session's saveUninitialized is not needed: an empty session is never stored, and a session is saved once it holds data.",
  ),
  rolling: hint(
    [EXPRESS, FASTIFY, KOA],
    'rolling (express-session, @fastify/session, koa-session) is saveEveryRequest: true with touchAfter: 0 in Tessera.',
  ),
  renew: hint(
    [KOA],
    "koa-session's renew is saveEveryRequest: true in Tessera: the expiry is refreshed at most every touchAfter seconds.",
  ),
  unset: hint(
    [EXPRESS],
    "express-session's unset has no equivalent: call session.flush() to end a session, session.delete(key) to remove one key.",
  ),
  maxAge: hint(
    [KOA],
    "koa-session's maxAge (milliseconds) is cookieAge in Tessera, in seconds (60000 there is cookieAge: 60); maxAge: 'session' is expireAtBrowserClose: true.",
  ),
  ttl: hint([IRON], "iron-session's ttl is cookieAge in Tessera, in seconds as well."),
  autoCommit: hint(
    [KOA],
    "koa-session's autoCommit is not needed: the session is saved before the response goes out; await session.save() saves earlier.",
  ),
  overwrite: hint(
    [KOA],
    "koa-session's overwrite is not needed: Tessera sets at most one session cookie per response.",
  ),
  signed: hint([KOA], `koa-session's signed is not needed: ${NOTHING_TO_SIGN}`),
  encode: hint(
    [KOA],
    "koa-session's encode has no equivalent: session values are stored as JSON (a Date comes back as a Date).",
  ),
  decode: hint(
    [KOA],
    "koa-session's decode has no equivalent: session values are stored as JSON (a Date comes back as a Date).",
  ),
  prefix: hint(
    [KOA],
    "koa-session's prefix belongs to the store in Tessera: createRedisStore({ url, prefix: 'app:' }).",
  ),
  password: hint(
    [IRON],
    "iron-session's password is a cookie store's secret in Tessera: store: createEncryptedCookieStore({ secrets: [password] }).",
  ),
  cookieOptions: hint(
    [IRON],
    "iron-session's cookieOptions is cookie in Tessera (cookie: { sameSite: 'lax' }); its maxAge is cookieAge.",
  ),
};
for (const attribute of KOA_COOKIE_ATTRIBUTES) {
  SESSION_HINTS[attribute] = hint(
    [KOA],
    `koa-session's ${attribute} is cookie.${attribute} in Tessera: cookie: { ${attribute}: … }.`,
  );
}

const COOKIE_HINTS: Record<string, PeerOptionHint> = {
  maxAge: hint(
    [EXPRESS, FASTIFY, IRON],
    'cookie.maxAge is cookieAge in Tessera, an option beside cookie, in seconds: ' +
      "express-session's cookie: { maxAge: 60000 } is cookieAge: 60.",
  ),
  expires: hint(
    [EXPRESS, FASTIFY],
    'cookie.expires has no equivalent: set cookieAge (seconds) for every session, or call session.setExpiry(date) for one session.',
  ),
  priority: hint(
    [EXPRESS, FASTIFY],
    'cookie.priority is not supported: Tessera does not send the non-standard Priority attribute; remove it.',
  ),
  signed: hint([FASTIFY, KOA], `cookie.signed is not needed: ${NOTHING_TO_SIGN}`),
  overwrite: hint(
    [KOA],
    'cookie.overwrite is not needed: Tessera sets at most one session cookie per response.',
  ),
  encode: hint(
    [FASTIFY, IRON],
    'cookie.encode has no equivalent: the cookie value is URL-safe and sent as it is.',
  ),
};

const COOKIE_STORE_HINTS: Record<string, PeerOptionHint> = {
  password: hint(
    [IRON],
    "iron-session's password is secrets in Tessera, a list newest first: secrets: [password] (at least 32 bytes).",
  ),
  secret: hint(
    [EXPRESS, FASTIFY],
    'secret is secrets in Tessera, a list newest first (the first seals, all open): secrets: [secret].',
  ),
  ttl: hint(
    [IRON],
    "iron-session's ttl is maxAge here, in seconds as well (or cookieAge in the session options).",
  ),
  cookieName: hint(
    [IRON],
    "iron-session's cookieName is cookie.name in the session options: createSessionMiddleware({ store, cookie: { name } }).",
  ),
  cookieOptions: hint(
    [IRON],
    "iron-session's cookieOptions is cookie in the session options: createSessionMiddleware({ store, cookie: { … } }).",
  ),
};

const STORE_HINTS: Record<string, PeerOptionHint> = {
  ttl: hint(
    ['connect-redis', 'connect-pg-simple'],
    "A store's ttl is not needed: each record expires with its session; set cookieAge (seconds) in the session options.",
  ),
  disableTouch: hint(
    ['connect-redis'],
    "connect-redis's disableTouch is not needed: unchanged sessions are touched only with saveEveryRequest or idleTimeout, at most every touchAfter seconds.",
  ),
  pruneSessionInterval: hint(
    ['connect-pg-simple'],
    "connect-pg-simple's pruneSessionInterval has no equivalent: run npx tessera-session clear-expired from cron, or call manager.clearExpired().",
  ),
  checkPeriod: hint(
    ['memorystore'],
    "memorystore's checkPeriod has no equivalent: expired records are never returned; manager.clearExpired() removes them.",
  ),
  tableName: hint(
    ['connect-pg-simple'],
    "connect-pg-simple's tableName is table in Tessera's SQL stores.",
  ),
  conString: hint(
    ['connect-pg-simple'],
    "connect-pg-simple's conString is url in Tessera's SQL stores: { url: 'postgres://…' }.",
  ),
  createTableIfMissing: hint(
    ['connect-pg-simple'],
    "connect-pg-simple's createTableIfMissing is createTable in Tessera's SQL stores (true by default).",
  ),
};

/**
 * The options of other session libraries and what they are in Tessera, by
 * where they are given ({@link OptionHintScope}). Frozen.
 */
export const PEER_OPTION_HINTS: Readonly<
  Record<OptionHintScope, Readonly<Record<string, PeerOptionHint>>>
> = Object.freeze({
  session: Object.freeze(SESSION_HINTS),
  cookie: Object.freeze(COOKIE_HINTS),
  cookieStore: Object.freeze(COOKIE_STORE_HINTS),
  store: Object.freeze(STORE_HINTS),
});
