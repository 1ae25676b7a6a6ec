/**
 * The parts of node-redis clients the store uses, as structural types: a
 * client from `createClient()` or `createCluster()` fits them whatever its
 * modules, scripts, RESP version or type mapping, which node-redis's own
 * generic types do not allow to express as one parameter type.
 *
 * @module
 */

/** Per-command options the store passes (a subset of node-redis's `CommandOptions`). */
export interface RedisCommandOptions {
  /** Milliseconds before node-redis rejects the command and drops it from its queue. */
  timeout?: number;
  /** How RESP3 replies are turned into values (the store asks for plain arrays). */
  typeMapping?: object;
}

/** The event methods both kinds of client inherit from `EventEmitter`. */
interface RedisEventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  listenerCount(event: string): number;
}

/** What the store uses of a single-server client, `createClient()`. */
export interface RedisSingleClient extends RedisEventSource {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[], options?: RedisCommandOptions): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
}

/** What the store uses of a cluster client, `createCluster()`. */
export interface RedisClusterClient extends RedisEventSource {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** The master of each shard, for SCAN. */
  readonly masters: readonly unknown[];
  connect(): Promise<unknown>;
  /** Sends a command to the master holding `firstKey`'s slot. */
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: RedisCommandOptions,
  ): Promise<unknown>;
  /** The client of one node (from `masters`). */
  nodeClient(node: never): Promise<RedisSingleClient>;
  close(): Promise<unknown>;
  destroy(): void;
}

/** A node-redis client or cluster client, as accepted by the `client` option. */
export type RedisStoreClient = RedisSingleClient | RedisClusterClient;

/** Whether `value` looks like a node-redis client or cluster client (ioredis does not: it has no `isOpen`). */
export function isNodeRedisClient(value: unknown): value is RedisStoreClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<string, unknown>>;
  return (
    typeof candidate.isOpen === 'boolean' &&
    typeof candidate.isReady === 'boolean' &&
    typeof candidate.sendCommand === 'function' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.on === 'function'
  );
}

/** Whether a node-redis client is a cluster client. */
export function isClusterClient(client: RedisStoreClient): client is RedisClusterClient {
  return typeof (client as Partial<RedisClusterClient>).nodeClient === 'function';
}
