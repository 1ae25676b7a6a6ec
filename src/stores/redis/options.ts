/**
 * Options of the Redis store, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';
import { maskStoreUrl } from '../mask-url.js';
import { isNodeRedisClient, type RedisStoreClient } from './client.js';
import { type IoRedisStoreClient, isIoRedisClient, isIoRedisCluster } from './ioredis-client.js';

/** One node the store asks for the cluster's layout. */
export interface RedisClusterRootNode {
  /**
   * The node's URL, `redis://[[user]:password@]host:port` or `rediss://…` for
   * TLS. The user, password and TLS of the first root node are used for every
   * node of the cluster (node-redis does not carry them over by itself).
   */
  readonly url: string;
}

/** A Redis Cluster the store connects to itself. */
export interface RedisClusterConnection {
  /** Some nodes of the cluster (three or more is best); the rest are discovered. */
  readonly rootNodes: readonly RedisClusterRootNode[];
}

/** A client the `client` option accepts: node-redis (`redis`) or ioredis, single server or cluster. */
export type AnyRedisStoreClient = RedisStoreClient | IoRedisStoreClient;

/**
 * How {@link createRedisStore} is configured. Exactly one of `url`, `client`
 * and `cluster` says where Redis is; every other option may be left out.
 *
 * @typeParam Client - The type of the `client` option, and so of the store's
 *   `client` property: node-redis's unless an ioredis client is given.
 */
export interface RedisStoreOptions<Client extends AnyRedisStoreClient = RedisStoreClient> {
  /**
   * The Redis server, `redis://[[user]:password@]host[:port][/db]` or
   * `rediss://…` for TLS. The store creates a node-redis client (the `redis`
   * package must be installed), connects it on first use (or in `ready()`),
   * and closes it in `close()`.
   *
   * @defaultValue none: give `url`, `client` or `cluster`
   */
  readonly url?: string | undefined;
  /**
   * A client you created: node-redis (`createClient()`, `createCluster()`)
   * or ioredis (`new Redis()`, `new Cluster()`), told apart by their shape
   * (the store imports neither). The store never closes it. If it is not
   * connected yet, the store connects it once, on first use or in `ready()`.
   * While open, the store listens to its `'error'` events (forwarding them to
   * `onError`), so none can end the process; give it a listener of your own
   * for after `close()`. For fast failures while Redis is down, create it with
   * `disableOfflineQueue: true` (node-redis) or `enableOfflineQueue: false`
   * (ioredis); either way every command of the store gives up after
   * `commandTimeout`. Do not set a `keyPrefix` on it: use `prefix`. An ioredis
   * `Cluster` must read from masters (`scaleReads: 'master'`, its default).
   *
   * @defaultValue none: give `url`, `client` or `cluster`
   */
  readonly client?: Client | undefined;
  /**
   * A Redis Cluster: the store creates a node-redis cluster client from these
   * root nodes (the `redis` package must be installed) and closes it in `close()`.
   *
   * @defaultValue none: give `url`, `client` or `cluster`
   */
  readonly cluster?: RedisClusterConnection | undefined;
  /**
   * Put before every key the store writes, so sessions never mix with other
   * data in the same database. It must not contain `{` or `}`: Redis Cluster
   * would then hash every session to one slot.
   *
   * @defaultValue `'tessera:'`
   */
  readonly prefix?: string | undefined;
  /**
   * Milliseconds a connection attempt may take before it counts as failed.
   * A request arriving while the store connects waits at most this long.
   *
   * @defaultValue `2_000`
   */
  readonly connectTimeout?: number | undefined;
  /**
   * Milliseconds one Redis command may take before the store gives up on it
   * and the request fails (HTTP 503), so a stalled server never hangs requests.
   *
   * @defaultValue `2_000`
   */
  readonly commandTimeout?: number | undefined;
  /**
   * Milliseconds Redis keeps a record after its `expiresAt` before dropping it
   * itself (the key's TTL is `expiresAt + keepExpiredFor`). The application's
   * clock decides expiry: from `expiresAt` on, reads treat the record as gone
   * and updates refuse it. The margin keeps a Redis clock running ahead from
   * dropping a live session early, and lets `stats()` and `clearExpired()` see
   * recently expired records. `0` drops records exactly at `expiresAt`.
   *
   * @defaultValue `300_000` (5 minutes)
   */
  readonly keepExpiredFor?: number | undefined;
  /**
   * Told about errors the client reports in the background (a lost
   * connection, each failed reconnection attempt). Requests that fail meanwhile
   * are rejected as usual; this hook only reports. Tessera never logs by itself.
   *
   * @defaultValue none: background errors are ignored (they never crash the process)
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Where Redis is, once the options are checked. */
export type RedisTarget =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'client'; readonly client: RedisStoreClient }
  | { readonly kind: 'ioredis'; readonly client: IoRedisStoreClient }
  | { readonly kind: 'cluster'; readonly rootNodes: readonly string[] };

/** Defaults of {@link RedisStoreOptions} (`url`, `client`, `cluster` and `onError` have none). */
export const DEFAULT_REDIS_STORE_OPTIONS: Readonly<{
  prefix: string;
  connectTimeout: number;
  commandTimeout: number;
  keepExpiredFor: number;
}> = Object.freeze({
  prefix: 'tessera:',
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  keepExpiredFor: 5 * 60_000,
});

/** The options a Redis store runs with once defaults are filled in. */
export type ResolvedRedisStoreOptions = Readonly<{
  target: RedisTarget;
  prefix: string;
  connectTimeout: number;
  commandTimeout: number;
  keepExpiredFor: number;
  /** Told about errors the store handled without failing an operation. */
  onError: ((error: unknown) => void) | undefined;
}>;

const FACTORY = 'createRedisStore';

/** The keys of {@link RedisStoreOptions}: those of {@link DEFAULT_REDIS_STORE_OPTIONS}, and those without a default. */
const OPTION_KEYS = optionKeys<RedisStoreOptions>()(DEFAULT_REDIS_STORE_OPTIONS, [
  'url',
  'client',
  'cluster',
  'onError',
]);
/** The keys of {@link RedisClusterConnection}. */
const CLUSTER_KEYS = optionKeys<RedisClusterConnection>()({}, ['rootNodes']);
/** The keys of {@link RedisClusterRootNode}. */
const ROOT_NODE_KEYS = optionKeys<RedisClusterRootNode>()({}, ['url']);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveRedisStoreOptions(
  options: RedisStoreOptions<AnyRedisStoreClient>,
): ResolvedRedisStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      `${FACTORY}: expected an options object such as { url: 'redis://127.0.0.1:6379' }, got ${describeValue(options)}.`,
    );
  }
  checkOptionKeys(options, OPTION_KEYS, `${FACTORY}()`, { scope: 'store' });
  const resolved: ResolvedRedisStoreOptions = {
    target: resolveTarget(options),
    prefix: options.prefix ?? DEFAULT_REDIS_STORE_OPTIONS.prefix,
    connectTimeout: options.connectTimeout ?? DEFAULT_REDIS_STORE_OPTIONS.connectTimeout,
    commandTimeout: options.commandTimeout ?? DEFAULT_REDIS_STORE_OPTIONS.commandTimeout,
    keepExpiredFor: options.keepExpiredFor ?? DEFAULT_REDIS_STORE_OPTIONS.keepExpiredFor,
    onError: options.onError,
  };
  if (typeof resolved.prefix !== 'string' || resolved.prefix === '') {
    throw new SessionConfigError(
      `${FACTORY}: option "prefix" must be a non-empty string, got ${describeValue(resolved.prefix)}. ` +
        `Pass a prefix such as "myapp:sessions:", or leave it out for ${JSON.stringify(DEFAULT_REDIS_STORE_OPTIONS.prefix)}.`,
    );
  }
  if (/[{}]/.test(resolved.prefix)) {
    throw new SessionConfigError(
      `${FACTORY}: option "prefix" must not contain "{" or "}", got ${JSON.stringify(resolved.prefix)}: ` +
        'Redis Cluster would hash every session to the same slot. Remove the braces.',
    );
  }
  checkMilliseconds('connectTimeout', resolved.connectTimeout, 1);
  checkMilliseconds('commandTimeout', resolved.commandTimeout, 1);
  checkMilliseconds('keepExpiredFor', resolved.keepExpiredFor, 0);
  if (resolved.onError !== undefined && typeof resolved.onError !== 'function') {
    throw new SessionConfigError(
      `${FACTORY}: option "onError" must be a function (error) => void, got ${describeValue(resolved.onError)}.`,
    );
  }
  return Object.freeze(resolved);
}

function resolveTarget(options: RedisStoreOptions<AnyRedisStoreClient>): RedisTarget {
  const given = (['url', 'client', 'cluster'] as const).filter(
    (name) => options[name] !== undefined,
  );
  if (given.length !== 1) {
    throw new SessionConfigError(
      given.length === 0
        ? `${FACTORY}: say where Redis is with one of the options "url" (e.g. 'redis://127.0.0.1:6379'), ` +
            '"client" (a node-redis or ioredis client you created) or "cluster" ({ rootNodes: [{ url }] }).'
        : `${FACTORY}: options ${given.map((name) => `"${name}"`).join(' and ')} exclude each other. ` +
            'Keep only one: "url" to let the store open a client, "client" to use yours, "cluster" for a Redis Cluster.',
    );
  }
  if (options.url !== undefined) {
    checkRedisUrl('url', options.url);
    return Object.freeze({ kind: 'url', url: options.url });
  }
  if (options.client !== undefined) {
    const { client } = options;
    if (isNodeRedisClient(client)) return Object.freeze({ kind: 'client', client });
    if (isIoRedisClient(client)) {
      checkIoRedisClient(client);
      return Object.freeze({ kind: 'ioredis', client });
    }
    throw new SessionConfigError(
      `${FACTORY}: option "client" must be a node-redis client (createClient() or createCluster() of package "redis") ` +
        `or an ioredis client (new Redis() or new Cluster() of package "ioredis"), got ${describeValue(client)}. ` +
        'Pass one of those, or "url" to let the store open a node-redis client.',
    );
  }
  const rootNodes = options.cluster?.rootNodes;
  if (!Array.isArray(rootNodes) || rootNodes.length === 0) {
    throw new SessionConfigError(
      `${FACTORY}: option "cluster" must be { rootNodes: [{ url: 'redis://host:port' }, …] } with at least one node, ` +
        `got ${describeValue(options.cluster)}.`,
    );
  }
  checkOptionKeys(options.cluster, CLUSTER_KEYS, `${FACTORY}()`, { path: 'cluster' });
  const urls = rootNodes.map((node: RedisClusterRootNode | undefined, index) => {
    if (typeof node === 'object' && node !== null) {
      checkOptionKeys(node, ROOT_NODE_KEYS, `${FACTORY}()`, {
        path: `cluster.rootNodes[${index}]`,
      });
    }
    const url = node?.url;
    checkRedisUrl(`cluster.rootNodes[${index}].url`, url);
    return url;
  });
  return Object.freeze({ kind: 'cluster', rootNodes: Object.freeze(urls) });
}

/**
 * Refuses the ioredis settings under which the store would miss its keys or
 * read stale sessions.
 */
function checkIoRedisClient(client: IoRedisStoreClient): void {
  const options = client.options as {
    keyPrefix?: unknown;
    scaleReads?: unknown;
    redisOptions?: { keyPrefix?: unknown };
  };
  const keyPrefix = options.keyPrefix || options.redisOptions?.keyPrefix;
  if (keyPrefix) {
    // ioredis prefixes the keys of commands but not SCAN's MATCH pattern nor the
    // keys SCAN answers, so stats(), listSessions() and clearExpired() would find nothing.
    throw new SessionConfigError(
      `${FACTORY}: the ioredis client given as "client" has keyPrefix ${JSON.stringify(String(keyPrefix))}; ` +
        `the store cannot use it. Give a client without keyPrefix and pass the store's option "prefix" instead ` +
        `(e.g. prefix: ${JSON.stringify(String(keyPrefix))}).`,
    );
  }
  if (
    isIoRedisCluster(client) &&
    options.scaleReads !== undefined &&
    options.scaleReads !== 'master'
  ) {
    // A replica may not have the write yet: the redirect after a login would
    // read the session as it was before (expressjs/session#360).
    throw new SessionConfigError(
      `${FACTORY}: the ioredis Cluster given as "client" reads from replicas (scaleReads: ${describeValue(options.scaleReads)}); ` +
        'a session read right after a write (the redirect after a login) could miss it. ' +
        "Give the store a Cluster with scaleReads: 'master' (the default), e.g. cluster.duplicate(undefined, { scaleReads: 'master' }).",
    );
  }
}

function checkRedisUrl(option: string, url: unknown): asserts url is string {
  let protocol: string | undefined;
  if (typeof url === 'string') {
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    const shown = typeof url === 'string' ? JSON.stringify(maskStoreUrl(url)) : describeValue(url);
    throw new SessionConfigError(
      `${FACTORY}: option "${option}" must be a redis:// or rediss:// URL, got ${shown}. ` +
        'Pass e.g. "redis://127.0.0.1:6379" or "rediss://user:password@host:6380".',
    );
  }
}

function checkMilliseconds(option: string, value: unknown, least: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
    throw new SessionConfigError(
      `${FACTORY}: option "${option}" must be a whole number of milliseconds of at least ${least}, got ${describeValue(value)}. ` +
        'Leave it out for the default.',
    );
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    const name = value.constructor?.name;
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return String(value);
}
