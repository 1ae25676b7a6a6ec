/**
 * The parts of ioredis clients the store uses, as structural types: an
 * ioredis `Redis` or `Cluster` fits them, whatever its reply mapping, and the
 * store never imports ioredis (an optional peer dependency: an application
 * that uses node-redis does not need it, nor the other way round).
 *
 * @module
 */

import type { RedisEventSource } from './client.js';

/**
 * What the store uses of an ioredis `Redis` (`new Redis(url)`), and of each
 * master of an ioredis `Cluster`.
 */
export interface IoRedisClient extends RedisEventSource {
  /**
   * `'wait'` (created with `lazyConnect`, not connected yet), `'connecting'`,
   * `'connect'`, `'ready'` (commands are sent now), `'close'`,
   * `'reconnecting'`, `'end'` (closed for good).
   */
  readonly status: string;
  /** `false` on a `Redis`, `true` on a `Cluster`. */
  readonly isCluster: boolean;
  /** Its options: the store checks that no `keyPrefix` is set. */
  readonly options: object;
  /** Opens the connection (of a client created with `lazyConnect`, or ended). */
  connect(): Promise<void>;
  /** Sends one command, e.g. `call('HGETALL', [key])`. */
  call(command: string, args: string[]): Promise<unknown>;
}

/** What the store uses of an ioredis `Cluster` (`new Cluster(rootNodes)`). */
export interface IoRedisClusterClient extends RedisEventSource {
  /** As {@link IoRedisClient.status}; `'ready'` once the cluster's slots are known. */
  readonly status: string;
  /** `true` on a `Cluster`. */
  readonly isCluster: boolean;
  /** Its options: the store checks `keyPrefix` and `scaleReads`. */
  readonly options: object;
  /** Discovers the cluster and opens connections to its nodes. */
  connect(): Promise<void>;
  /** Sends one command to the master holding the slot of its keys. */
  call(command: string, args: string[]): Promise<unknown>;
  /** The clients of the cluster's masters, for SCAN. */
  nodes(role: 'master'): IoRedisClient[];
}

/** An ioredis `Redis` or `Cluster`, as accepted by the `client` option. */
export type IoRedisStoreClient = IoRedisClient | IoRedisClusterClient;

/**
 * Whether `value` looks like an ioredis `Redis` or `Cluster`: a `status`
 * string, `call()` and `isCluster` (node-redis clients have none of them).
 */
export function isIoRedisClient(value: unknown): value is IoRedisStoreClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<string, unknown>>;
  return (
    typeof candidate.status === 'string' &&
    typeof candidate.isCluster === 'boolean' &&
    typeof candidate.call === 'function' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.options === 'object' &&
    candidate.options !== null
  );
}

/** Whether an ioredis client is a `Cluster`. */
export function isIoRedisCluster(client: IoRedisStoreClient): client is IoRedisClusterClient {
  return client.isCluster && typeof (client as Partial<IoRedisClusterClient>).nodes === 'function';
}
