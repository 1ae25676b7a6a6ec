/**
 * The store's link to Redis through node-redis: the client it opened or was
 * given, connected on first use, with every command bounded in time. (An
 * ioredis client given as `client` has its own link, `ioredis-connection.ts`;
 * both keep the policy through `connection-health.ts`.)
 *
 * Failure policy, so a down server never hangs a request and the store recovers
 * without an application restart:
 * - Clients the store opens reject commands at once while disconnected
 *   (`disableOfflineQueue`) and keep reconnecting in the background, at most
 *   every 2 s, forever.
 * - Every command carries `commandTimeout` (node-redis drops it from its queue
 *   when the time is up), which also bounds a given client that queues offline.
 * - A request arriving while the first connection is being made waits at most
 *   `connectTimeout`; once an attempt failed, requests fail at once until the
 *   client is ready again.
 * - A connection of its own that stops answering (connection attempt or
 *   command timed out) is dropped and opened anew on a later request, instead
 *   of waiting minutes for TCP to notice.
 *
 * @module
 */

import { maskStoreUrl } from '../mask-url.js';
import {
  isClusterClient,
  type RedisClusterClient,
  type RedisCommandOptions,
  type RedisSingleClient,
  type RedisStoreClient,
} from './client.js';
import { createConnectionHealth } from './connection-health.js';
import { isErrorOfClass } from './error-message.js';
import type { IoRedisStoreClient } from './ioredis-client.js';
import { loadNodeRedis } from './node-redis-module.js';
import type { RedisTarget, ResolvedRedisStoreOptions } from './options.js';
import { SCAN_COUNT, scanKeys } from './scan-keys.js';

/**
 * RESP3 reply types (`%` map, `~` set) as node-redis's `RESP_TYPES` numbers
 * them, written out so that loading the store does not load node-redis.
 */
const RESP3_MAP = 37;
const RESP3_SET = 126;

/** The store's connection to Redis. */
export interface RedisConnection {
  /** Where Redis is, for messages, password masked: `redis://:***@host:6379`. */
  readonly description: string;
  /** The client in use: the one given, or the one the store opened. */
  readonly client: RedisStoreClient | IoRedisStoreClient;
  /** Whether the client is a cluster client (a rotation then takes two scripts). */
  readonly isCluster: boolean;
  /** Whether the store opened the client (and so closes it). */
  readonly ownsClient: boolean;
  /** Waits until commands can be sent, connecting if needed; rejects fast while Redis is known to be down. */
  ensureReady(): Promise<void>;
  /** Sends one command; in a cluster, to the master holding `key`. Replies use plain arrays, never maps. */
  send(key: string | undefined, args: string[]): Promise<unknown>;
  /** Batches of the keys of `type` matching `pattern`, on every master. */
  scan(pattern: string, type: 'hash' | 'set', count?: number): AsyncGenerator<string[]>;
  /** Closes the client if the store opened it; a given client stays open. */
  close(): Promise<void>;
}

/** Opens (lazily) the connection the options describe, through node-redis. */
export function createRedisConnection(
  options: ResolvedRedisStoreOptions & { readonly target: NodeRedisTarget },
): RedisConnection {
  const { target, connectTimeout, commandTimeout, onError } = options;
  const ownsClient = target.kind !== 'client';
  const client = target.kind === 'client' ? target.client : openClient(target, options);
  const cluster = isClusterClient(client) ? client : undefined;
  const description = describeTarget(target);
  // Replies as RESP2 shapes whatever the client's RESP version or type mapping:
  // RESP3 maps (HGETALL) and sets (SMEMBERS) as flat arrays, strings as strings.
  const commandOptions: RedisCommandOptions = {
    timeout: commandTimeout,
    typeMapping: { [RESP3_MAP]: Array, [RESP3_SET]: Array },
  };

  const health = createConnectionHealth(
    {
      events: client,
      readyEvent: cluster ? 'connect' : 'ready',
      isCluster: cluster !== undefined,
      // By class name: a given client's errors may come from another copy of node-redis.
      replyErrorClass: 'ErrorReply',
      isReady: () => client.isReady,
      // A single client retries by itself and its connect() settles only once
      // ready (or closed); a cluster's connect() rejects when no root node answers.
      connect: () => client.connect(),
      isCommandTimeout: (error) => isErrorOfClass(error, 'TimeoutError'),
      dropSilentConnection: recycle,
    },
    { description, connectTimeout, commandTimeout, onError },
  );
  const onNodeError = (error: unknown): void => onError?.(error);
  if (cluster && ownsClient) cluster.on('node-error', onNodeError);

  /**
   * Drops the store's own single-server connection when it stopped answering
   * (a server that accepted the connection but never replies, a peer gone
   * silent): node-redis would wait on that socket until TCP gives up, which
   * can take many minutes. The next request after the pause opens a new one.
   * Commands still in flight on it fail too; a session command taking longer
   * than `commandTimeout` means the server is not answering anyway.
   */
  function recycle(): void {
    if (ownsClient && cluster === undefined && client.isOpen) client.destroy();
  }

  async function ensureReady(): Promise<void> {
    health.throwIfClosed();
    if (client.isReady) return;
    if (!client.isOpen) {
      // Close only what you opened, and reopen nothing its owner closed.
      if (!ownsClient && health.everReady) {
        throw new Error(
          `The Redis client given to the session store (${description}) is closed; ` +
            'the store does not reopen a client it was given. Keep it open while the store is in use.',
        );
      }
      return health.connect();
    }
    return health.waitForConnection();
  }

  async function send(key: string | undefined, args: string[]): Promise<unknown> {
    await ensureReady();
    try {
      return await (cluster
        ? // Never a replica (`isReadonly: false`): a read right after a write
          // (the redirect after a login) must see it (expressjs/session#360).
          cluster.sendCommand(key, false, args, commandOptions)
        : (client as RedisSingleClient).sendCommand(args, commandOptions));
    } catch (error) {
      throw health.describeCommandFailure(error, args[0]);
    }
  }

  async function* scan(
    pattern: string,
    type: 'hash' | 'set',
    count: number = SCAN_COUNT,
  ): AsyncGenerator<string[]> {
    await ensureReady();
    const nodes: RedisSingleClient[] = cluster
      ? await Promise.all(cluster.masters.map((master) => cluster.nodeClient(master as never)))
      : [client as RedisSingleClient];
    yield* scanKeys(nodes, { pattern, type, count }, async (node, args) => {
      try {
        return await node.sendCommand(args, commandOptions);
      } catch (error) {
        throw health.describeCommandFailure(error, 'SCAN');
      }
    });
  }

  async function close(): Promise<void> {
    if (health.isClosed) return;
    // The store's error listeners stay on its own client: an error while closing must not crash.
    health.close({ keepErrorListener: ownsClient });
    if (!ownsClient || !client.isOpen) return;
    if (client.isReady) {
      await client.close().catch(() => client.destroy());
    } else {
      client.destroy();
    }
  }

  return {
    description,
    client,
    isCluster: cluster !== undefined,
    ownsClient,
    ensureReady,
    send,
    scan,
    close,
  };
}

/** The targets served through node-redis (all but a given ioredis client). */
export type NodeRedisTarget = Exclude<RedisTarget, { kind: 'ioredis' }>;

/** Opens the client (not yet connected) for a URL or a cluster. */
function openClient(
  target: Exclude<NodeRedisTarget, { kind: 'client' }>,
  { connectTimeout }: ResolvedRedisStoreOptions,
): RedisStoreClient {
  const { createClient, createCluster } = loadNodeRedis();
  const socket = { connectTimeout, reconnectStrategy: reconnectDelay };
  // Reject while disconnected instead of queueing: the request answers 503 now.
  // (The command timeout is passed with every command, see `send`.)
  const common = { disableOfflineQueue: true };
  if (target.kind === 'url') {
    return createClient({ url: target.url, socket, ...common }) as unknown as RedisSingleClient;
  }
  const [first = ''] = target.rootNodes;
  return createCluster({
    rootNodes: target.rootNodes.map((url) => ({ url })),
    // node-redis builds the connections to discovered nodes from `defaults`
    // only, not from the root nodes: carry the credentials and TLS over.
    defaults: { ...credentialsOf(first), ...common, socket: { ...socket, ...tlsOf(first) } },
  }) as unknown as RedisClusterClient;
}

/** Exponential back-off from 100 ms up to 2 s, with jitter; never gives up. */
function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100);
}

function credentialsOf(url: string): { username?: string; password?: string } {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

function tlsOf(url: string): { tls?: true } {
  return new URL(url).protocol === 'rediss:' ? { tls: true } : {};
}

/** Where Redis is, password masked. */
function describeTarget(target: NodeRedisTarget): string {
  switch (target.kind) {
    case 'url':
      return maskStoreUrl(target.url);
    case 'cluster':
      return `the cluster of ${target.rootNodes.map(maskStoreUrl).join(', ')}`;
    case 'client':
      return describeGivenClient(target.client);
  }
}

function describeGivenClient(client: RedisStoreClient): string {
  if (isClusterClient(client)) {
    const rootNodes = (client as { _options?: { rootNodes?: { url?: unknown }[] } })._options
      ?.rootNodes;
    const urls = rootNodes?.map((node) => node.url).filter((url) => typeof url === 'string');
    return urls?.length
      ? `the given cluster of ${urls.map(maskStoreUrl).join(', ')}`
      : 'the given cluster';
  }
  const options = (
    client as { options?: { url?: unknown; socket?: { host?: unknown; port?: unknown } } }
  ).options;
  if (typeof options?.url === 'string') return maskStoreUrl(options.url);
  const host = typeof options?.socket?.host === 'string' ? options.socket.host : 'localhost';
  const port = typeof options?.socket?.port === 'number' ? options.socket.port : 6379;
  return `redis://${host}:${port} (the given client)`;
}
