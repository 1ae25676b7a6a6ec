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

/** The event methods every kind of client (node-redis, ioredis) inherits from `EventEmitter`. */
export interface RedisEventSource {
  /** Adds a listener (the store listens for `error`, so node-redis never throws it unheard). */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes a listener the store added. */
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  /** How many listeners an event has (whether the app listens for `error` itself). */
  listenerCount(event: string): number;
}

/** What the store uses of a single-server client, `createClient()`. */
export interface RedisSingleClient extends RedisEventSource {
  /** Whether `connect()` was called and `close()`/`destroy()` was not. */
  readonly isOpen: boolean;
  /** Whether the connection is up and commands are sent now. */
  readonly isReady: boolean;
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Sends one command, e.g. `['HGETALL', key]`. */
  sendCommand(args: string[], options?: RedisCommandOptions): Promise<unknown>;
  /** Closes after the commands already sent are answered. */
  close(): Promise<unknown>;
  /** Closes at once, failing the commands in flight. */
  destroy(): void;
}

/** What the store uses of a cluster client, `createCluster()`. */
export interface RedisClusterClient extends RedisEventSource {
  /** Whether `connect()` was called and `close()`/`destroy()` was not. */
  readonly isOpen: boolean;
  /** Whether the cluster's slots are known and commands are sent now. */
  readonly isReady: boolean;
  /** The master of each shard, for SCAN. */
  readonly masters: readonly unknown[];
  /** Discovers the cluster and opens connections to its masters. */
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
  /** Closes every node's connection after the commands already sent are answered. */
  close(): Promise<unknown>;
  /** Closes every node's connection at once. */
  destroy(): void;
}

/** A node-redis client or cluster client, as accepted by the `client` option. */
export type RedisStoreClient = RedisSingleClient | RedisClusterClient;

/** Whether `value` looks like a node-redis client or cluster client (an ioredis client does not: it has no `isOpen`). */
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
