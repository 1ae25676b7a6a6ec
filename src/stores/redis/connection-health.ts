/**
 * Whether the store's Redis client can take commands, as both links to Redis
 * (node-redis, `connection.ts`; a given ioredis client, `ioredis-connection.ts`)
 * follow it, so a down server never hangs a request:
 * - The last error the client reported (or a connection attempt or command
 *   that timed out) is kept until the client is ready again; meanwhile
 *   requests fail at once with it.
 * - A request arriving while the client connects waits for the next outcome
 *   (ready, error), at most `connectTimeout`; every request shares that wait.
 * - After a failed attempt, the store's own `connect()` is not called again
 *   before {@link CONNECT_RETRY_PAUSE}.
 *
 * What differs between the drivers (event names, how a command timeout or an
 * error reply is told, whether a silent connection may be dropped) comes in
 * through a {@link ConnectionHealthClient}.
 *
 * @module
 */

import type { RedisEventSource } from './client.js';
import { isErrorOfClass, messageOf, unreachableError } from './error-message.js';
import type { ResolvedRedisStoreOptions } from './options.js';

/**
 * After an attempt to open a connection failed (a cluster's discovery, a
 * dropped silent connection), requests fail at once for this long before the
 * next attempt, so an outage does not turn every request into a connection attempt.
 */
export const CONNECT_RETRY_PAUSE = 1_000;

/** A client as the health follows it: one small adapter per driver. */
export interface ConnectionHealthClient {
  /** The client, whose `error` and {@link readyEvent} events the health listens to. */
  readonly events: RedisEventSource;
  /** The event the client emits once commands are sent (`'ready'`; `'connect'` for a node-redis cluster). */
  readonly readyEvent: string;
  /** Whether the client is a cluster client (its `connect()` says whether all root nodes failed). */
  readonly isCluster: boolean;
  /** The class name of the driver's error replies (told by name: another copy of the driver may have made them). */
  readonly replyErrorClass: string;
  /** Whether commands are sent now. */
  isReady(): boolean;
  /** Opens the connection; settles once ready, or rejects (a cluster none of whose root nodes answers). */
  connect(): Promise<unknown>;
  /** Whether `error` is the rejection of a command that got no answer within `commandTimeout`. */
  isCommandTimeout(error: unknown): boolean;
  /** Gives up a connection that stopped answering (a no-op where the store may not). */
  dropSilentConnection(): void;
}

/** The state of one link to Redis, and the waits and errors that follow from it. */
export interface ConnectionHealth {
  /** Whether the client was ready at some point (a given client closed since was closed by its owner). */
  readonly everReady: boolean;
  /** Whether {@link ConnectionHealth.close} was called. */
  readonly isClosed: boolean;
  /** Throws once {@link ConnectionHealth.close} was called. */
  throwIfClosed(): void;
  /** Calls the client's `connect()` and waits for its outcome; rejects at once within the pause after a failure. */
  connect(): Promise<void>;
  /** Waits for a connection the client is making by itself; rejects at once while its last error stands. */
  waitForConnection(): Promise<void>;
  /** The error a request gets for a failed `command`, recording a timeout as the link's last error. */
  describeCommandFailure(error: unknown, command: string | undefined): Error;
  /** Marks the link closed and removes the health's listeners, but the `error` one when told to keep it. */
  close(options: { keepErrorListener: boolean }): void;
}

/** Follows `client`'s health from now on (its listeners are added here). */
export function createConnectionHealth(
  client: ConnectionHealthClient,
  options: Pick<ResolvedRedisStoreOptions, 'connectTimeout' | 'commandTimeout' | 'onError'> & {
    readonly description: string;
  },
): ConnectionHealth {
  const { events, readyEvent, isCluster } = client;
  const { connectTimeout, commandTimeout, onError, description } = options;

  /** The last background error since the client was last ready. */
  let lastError: unknown;
  let lastErrorAt = 0;
  let everReady = client.isReady();
  /** Our connect() in flight, or a wait for a connection the client is making: shared by every request. */
  let connecting: Promise<void> | undefined;
  let closed = false;

  // node-redis throws an 'error' event nobody listens to, which ends the process;
  // ioredis prints it to the console. The store reports them to onError.
  const onClientError = (error: unknown): void => {
    recordError(error);
    onError?.(error);
  };
  const onClientReady = (): void => {
    lastError = undefined;
    everReady = true;
  };
  events.on('error', onClientError);
  events.on(readyEvent, onClientReady);

  const unavailable = (cause: unknown): Error => unreachableError(description, cause);

  function recordError(error: unknown): void {
    lastError = error;
    lastErrorAt = Date.now();
  }

  /** Resolves on the next ready event, rejects on the next error or after `connectTimeout`. */
  function nextOutcome(attempt?: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        events.off(readyEvent, onReady);
        events.off('error', onFailure);
        if (error === undefined) resolve();
        else reject(unavailable(error));
      };
      const onReady = (): void => finish();
      const onFailure = (error: unknown): void => {
        // A cluster's connect() only says that no root node answered; why
        // (refused, wrong password, not a cluster) came as 'error' events.
        finish(
          isCluster && attempt && lastError !== undefined && lastError !== error
            ? new Error(`${messageOf(error)}: ${messageOf(lastError)}`, { cause: lastError })
            : (error ?? new Error('connection failed')),
        );
      };
      const timer = setTimeout(() => {
        // Counts as a failed attempt: later requests fail at once until the client is ready.
        recordError(
          new Error(`no connection within ${connectTimeout} ms (option "connectTimeout")`),
        );
        client.dropSilentConnection();
        finish(lastError);
      }, connectTimeout);
      events.on(readyEvent, onReady);
      // A cluster reports each root node that fails; its connect() says whether all did.
      if (attempt === undefined || !isCluster) events.on('error', onFailure);
      attempt?.then(onReady, onFailure);
    });
  }

  return {
    get everReady() {
      return everReady;
    },

    get isClosed() {
      return closed;
    },

    throwIfClosed() {
      if (closed) throw new Error(`The Redis session store for ${description} is closed.`);
    },

    connect() {
      connecting ??= (async () => {
        if (lastError !== undefined && Date.now() - lastErrorAt < CONNECT_RETRY_PAUSE) {
          throw unavailable(lastError);
        }
        const attempt = client.connect();
        attempt.catch(() => {});
        await nextOutcome(attempt);
      })().finally(() => {
        connecting = undefined;
      });
      return connecting;
    },

    async waitForConnection() {
      if (connecting) return connecting;
      if (lastError !== undefined) throw unavailable(lastError);
      // The client is connecting or reconnecting by itself: one wait (one set of listeners) for everyone.
      connecting = nextOutcome().finally(() => {
        connecting = undefined;
      });
      return connecting;
    },

    describeCommandFailure(error, command) {
      if (isErrorOfClass(error, client.replyErrorClass)) {
        return new Error(`Redis at ${description} refused ${command}: ${error.message}`, {
          cause: error,
        });
      }
      if (client.isCommandTimeout(error)) {
        recordError(
          new Error(
            `no answer to ${command} within ${commandTimeout} ms (option "commandTimeout")`,
            { cause: error },
          ),
        );
        client.dropSilentConnection();
        return unavailable(lastError);
      }
      return unavailable(lastError !== undefined && !client.isReady() ? lastError : error);
    },

    close({ keepErrorListener }) {
      closed = true;
      events.off(readyEvent, onClientReady);
      if (!keepErrorListener) events.off('error', onClientError);
    },
  };
}
