/**
 * The store's link to Redis through an ioredis `Redis` or `Cluster` the
 * application gave as `client`, with the failure policy of the node-redis
 * link (`connection.ts`), kept by `connection-health.ts`, so a down server
 * never hangs a request:
 * - A request arriving while the client connects waits at most
 *   `connectTimeout`; once the client reported an error, requests fail at once
 *   until it is ready again (ioredis keeps reconnecting by itself).
 * - Every command is bounded by `commandTimeout`. ioredis queues commands
 *   while disconnected (`enableOfflineQueue`, its default) and retries them
 *   (`maxRetriesPerRequest`, 20 by default): the store stops waiting for such
 *   a command when the time is up, whatever the client's settings.
 * - The client is the application's: the store never closes nor reopens it
 *   once it was ready, and connects it once if it was created with
 *   `lazyConnect` (or ended before it was ever ready).
 *
 * Replies are turned into the plain shapes the store reads (flat arrays for
 * hashes and sets) whatever the client's `replyMapping`.
 *
 * @module
 */

import { maskStoreUrl } from '../mask-url.js';
import type { RedisConnection } from './connection.js';
import { createConnectionHealth } from './connection-health.js';
import { type IoRedisClient, type IoRedisStoreClient, isIoRedisCluster } from './ioredis-client.js';
import type { ResolvedRedisStoreOptions } from './options.js';
import { SCAN_COUNT, scanKeys } from './scan-keys.js';

/** The rejection of a command the store stopped waiting for. */
class CommandTimeoutError extends Error {}

/** The connection to Redis through `client`, an ioredis client the application gave. */
export function createIoRedisConnection(
  client: IoRedisStoreClient,
  { connectTimeout, commandTimeout, onError }: ResolvedRedisStoreOptions,
): RedisConnection {
  const cluster = isIoRedisCluster(client) ? client : undefined;
  const description = describeIoRedisClient(client);
  const health = createConnectionHealth(
    {
      events: client,
      readyEvent: 'ready',
      isCluster: cluster !== undefined,
      // ioredis's error replies are ReplyErrors (package redis-errors).
      replyErrorClass: 'ReplyError',
      isReady: () => client.status === 'ready',
      connect: () => client.connect(),
      isCommandTimeout: (error) => error instanceof CommandTimeoutError,
      // The connection is the application's: ioredis keeps reconnecting it by itself.
      dropSilentConnection: () => {},
    },
    { description, connectTimeout, commandTimeout, onError },
  );

  async function ensureReady(): Promise<void> {
    health.throwIfClosed();
    const { status } = client;
    if (status === 'ready') return;
    if (status === 'wait' || status === 'end') {
      // Reopen nothing its owner closed ('end' after being ready: quit() or disconnect()).
      if (status === 'end' && health.everReady) {
        throw new Error(
          `The ioredis client given to the session store (${description}) is closed; ` +
            'the store does not reopen a client it was given. Keep it open while the store is in use.',
        );
      }
      return health.connect();
    }
    return health.waitForConnection();
  }

  /** `reply`, or a {@link CommandTimeoutError} once `commandTimeout` has passed. */
  function bounded(reply: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CommandTimeoutError()), commandTimeout);
      reply.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async function call(node: IoRedisClient | IoRedisStoreClient, args: string[]): Promise<unknown> {
    const [command = '', ...rest] = args;
    try {
      return toPlainReply(await bounded(node.call(command, rest)));
    } catch (error) {
      throw health.describeCommandFailure(error, command);
    }
  }

  async function send(_key: string | undefined, args: string[]): Promise<unknown> {
    await ensureReady();
    // A cluster sends each command to the master of its keys' slot (never a
    // replica: scaleReads 'master' is checked at creation).
    return call(client, args);
  }

  async function* scan(
    pattern: string,
    type: 'hash' | 'set',
    count: number = SCAN_COUNT,
  ): AsyncGenerator<string[]> {
    await ensureReady();
    const nodes: readonly IoRedisClient[] = cluster
      ? cluster.nodes('master')
      : [client as IoRedisClient];
    yield* scanKeys(nodes, { pattern, type, count }, call);
  }

  async function close(): Promise<void> {
    if (health.isClosed) return;
    // The client is the application's: only the store's listeners go.
    health.close({ keepErrorListener: false });
  }

  return {
    description,
    client,
    isCluster: cluster !== undefined,
    ownsClient: false,
    ensureReady,
    send,
    scan,
    close,
  };
}

/**
 * A reply in the shapes a RESP2 reply has: with `replyMapping: 'resp3'`
 * ioredis answers a hash (HGETALL) as an object, which becomes a flat
 * `field, value, …` array again; buffers become text.
 */
function toPlainReply(reply: unknown): unknown {
  if (Array.isArray(reply)) {
    return reply.some((item) => typeof item === 'object' && item !== null)
      ? reply.map(toPlainReply)
      : reply;
  }
  if (typeof reply !== 'object' || reply === null) return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (reply instanceof Map) {
    return [...reply].flatMap(([field, value]) => [toPlainReply(field), toPlainReply(value)]);
  }
  if (reply instanceof Set) return [...reply].map(toPlainReply);
  return Object.entries(reply).flatMap(([field, value]) => [field, toPlainReply(value)]);
}

/** Where the given client connects, for messages; ioredis options never carry a password into it. */
function describeIoRedisClient(client: IoRedisStoreClient): string {
  if (isIoRedisCluster(client)) {
    const startupNodes = (client as { startupNodes?: unknown }).startupNodes;
    const nodes = Array.isArray(startupNodes) ? startupNodes.map(describeNode) : [];
    return nodes.length > 0
      ? `the given ioredis cluster of ${nodes.join(', ')}`
      : 'the given ioredis cluster';
  }
  const options = client.options as { path?: unknown; host?: unknown; port?: unknown };
  if (typeof options.path === 'string' && options.path !== '') {
    return `${options.path} (the given ioredis client)`;
  }
  return `${describeNode(options)} (the given ioredis client)`;
}

function describeNode(node: unknown): string {
  if (typeof node === 'string')
    return maskStoreUrl(node.includes('://') ? node : `redis://${node}`);
  if (typeof node === 'number') return `redis://localhost:${node}`;
  const { host, port } = (node ?? {}) as { host?: unknown; port?: unknown };
  return `redis://${typeof host === 'string' ? host : 'localhost'}:${typeof port === 'number' || typeof port === 'string' ? port : 6379}`;
}
