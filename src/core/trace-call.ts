/**
 * Tracing one operation as Node's `tracingChannel.traceSync`/`tracePromise`
 * do, for operations that may answer either way (a memory or SQLite store
 * answers synchronously, and must stay synchronous): `start`; then for a
 * synchronous answer `end` with the outcome and duration set (`error`
 * first on a throw); for a promise `end` when the synchronous part returns,
 * then on settlement `error` (if rejected), `asyncStart` and `asyncEnd` with
 * the outcome and duration set. The operation runs inside the stores bound
 * to the `start` channel (`runStores`), so a subscriber's context (a span)
 * is the current one while it runs.
 *
 * Unlike Node's, the result is never put in the context: a store's answer
 * holds session data. Callers check `hasSubscribers` (and their debug
 * output) before calling these, so nothing here runs when nobody listens.
 * @module
 */

import { isPromiseLike } from './awaitable.js';
import {
  type DebugOutput,
  describeCommit,
  describeLoad,
  describeStoreOperation,
} from './debug-output.js';
import {
  diagnosticsChannels,
  type SessionCommitEvent,
  type SessionCommitPlanName,
  type SessionLoadEvent,
  type StoreOperationEvent,
  type TracedOperationEvent,
  type TracingChannelLike,
} from './diagnostics.js';
import { SessionInterruptedError } from './errors.js';
import type { Awaitable, SessionStore } from './store.js';

/** What a manager's load and commit events name, and where its debug lines go; made once per manager. */
export interface TraceTarget {
  /** The manager's store name. */
  readonly storeName: string;
  /** The server-side store behind it (see `SessionLoadEvent.store`). */
  readonly store: SessionStore | undefined;
  /** The manager's debug output; `undefined` when off. */
  readonly debug: DebugOutput | undefined;
}

/** How an operation's answer or failure sets its event's outcome. */
interface Outcomes<E, T> {
  succeeded(event: E, value: T): void;
  failed(event: E, error: unknown): void;
}

/** Runs `run` as one traced operation on `channel`; `report` writes the debug line when it ended. */
function traceCall<E extends TracedOperationEvent, T>(
  channel: TracingChannelLike,
  event: E,
  run: () => Awaitable<T>,
  outcomes: Outcomes<E, NoInfer<T>>,
  report: (() => void) | undefined,
): Awaitable<T> {
  const traced = (): Awaitable<T> => {
    const started = performance.now();
    let answer: Awaitable<T>;
    try {
      answer = run();
    } catch (error) {
      fail(event, error, started, outcomes);
      channel.error.publish(event);
      channel.end.publish(event);
      report?.();
      throw error;
    }
    if (!isPromiseLike(answer)) {
      outcomes.succeeded(event, answer);
      event.durationMs = performance.now() - started;
      channel.end.publish(event);
      report?.();
      return answer;
    }
    channel.end.publish(event);
    return Promise.resolve(answer).then(
      (value) => {
        outcomes.succeeded(event, value);
        event.durationMs = performance.now() - started;
        channel.asyncStart.publish(event);
        channel.asyncEnd.publish(event);
        report?.();
        return value;
      },
      (error: unknown) => {
        fail(event, error, started, outcomes);
        channel.error.publish(event);
        channel.asyncStart.publish(event);
        channel.asyncEnd.publish(event);
        report?.();
        throw error;
      },
    );
  };
  const start = channel.start;
  if (typeof start.runStores === 'function') return start.runStores(event, traced);
  start.publish(event);
  return traced();
}

function fail<E extends TracedOperationEvent>(
  event: E,
  error: unknown,
  started: number,
  outcomes: Outcomes<E, unknown>,
): void {
  event.error = error;
  outcomes.failed(event, error);
  event.durationMs = performance.now() - started;
}

const STORE_OUTCOMES: Outcomes<StoreOperationEvent, unknown> = {
  succeeded(event) {
    event.outcome = 'ok';
  },
  failed(event) {
    event.outcome = 'error';
  },
};

/**
 * Calls one store method as a traced operation on the `store` channel.
 * `key` is only for the debug line, with `showIds`; it is never published.
 */
export function traceStoreOperation<T>(
  store: SessionStore,
  operation: string,
  run: () => Awaitable<T>,
  debug: DebugOutput | undefined,
  key: string | undefined,
): Awaitable<T> {
  const event: StoreOperationEvent = { storeName: store.name, store, operation };
  const report =
    debug && (() => debug.write(describeStoreOperation(event, debug.showIds ? key : undefined)));
  return traceCall(diagnosticsChannels.store, event, run, STORE_OUTCOMES, report);
}

const LOAD_OUTCOMES: Outcomes<SessionLoadEvent, { id?: string | undefined }> = {
  succeeded(event, init) {
    event.outcome = init.id === undefined ? 'missing' : 'found';
  },
  failed(event) {
    event.outcome = 'error';
  },
};

/** Looks a session up as a traced operation on the `load` channel. */
export function traceLoad<T extends { id?: string | undefined }>(
  target: TraceTarget,
  run: () => Awaitable<T>,
): Awaitable<T> {
  const event: SessionLoadEvent = { storeName: target.storeName, store: target.store };
  const { debug } = target;
  const report = debug && (() => debug.write(describeLoad(event)));
  return traceCall(diagnosticsChannels.load, event, run, LOAD_OUTCOMES, report);
}

const COMMIT_OUTCOMES: Outcomes<SessionCommitEvent, unknown> = {
  succeeded(event) {
    event.outcome = 'saved';
  },
  failed(event, error) {
    event.outcome = error instanceof SessionInterruptedError ? 'interrupted' : 'error';
  },
};

/** Carries a commit plan out as a traced operation on the `commit` channel. */
export function traceCommit<T>(
  target: TraceTarget,
  plan: SessionCommitPlanName,
  run: () => Awaitable<T>,
): Awaitable<T> {
  const event: SessionCommitEvent = { storeName: target.storeName, store: target.store, plan };
  const { debug } = target;
  const report = debug && (() => debug.write(describeCommit(event)));
  return traceCall(diagnosticsChannels.commit, event, run, COMMIT_OUTCOMES, report);
}
