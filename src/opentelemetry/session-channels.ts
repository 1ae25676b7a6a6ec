/**
 * The subscription to the core's diagnostics channels
 * ({@link SESSION_DIAGNOSTICS_CHANNELS}): each traced operation reaches the
 * listeners twice, when it starts and once when it finishes, whether it
 * answered synchronously (`end` carries the outcome) or later (`asyncEnd`).
 * @module
 */

import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import {
  type CsrfRejectedEvent,
  SESSION_DIAGNOSTICS_CHANNELS,
  type SessionCommitEvent,
  type SessionLoadEvent,
  type StoreOperationEvent,
} from '../core/index.js';

/** What spans and metrics do with the core's events; every method is optional. */
export interface SessionEventListener {
  /** A session cookie is being looked up. */
  loadStarted?(event: SessionLoadEvent): void;
  /** The lookup ended: `outcome` and `durationMs` are set. */
  loadFinished?(event: SessionLoadEvent): void;
  /** A commit plan is being carried out. */
  commitStarted?(event: SessionCommitEvent): void;
  /** The commit ended: `outcome` and `durationMs` are set. */
  commitFinished?(event: SessionCommitEvent): void;
  /** The core calls a store method. */
  storeStarted?(event: StoreOperationEvent): void;
  /** The store method answered or failed: `outcome` and `durationMs` are set. */
  storeFinished?(event: StoreOperationEvent): void;
  /** A CSRF check refused a request. */
  csrfRejected?(event: CsrfRejectedEvent): void;
}

/**
 * Subscribes `listeners` to every session channel and answers the function
 * that unsubscribes them. A listener that throws is skipped for that event:
 * an exception in a diagnostics_channel subscriber would otherwise surface as
 * an uncaught exception, and instrumenting must never break a request.
 */
export function subscribeSessionChannels(listeners: readonly SessionEventListener[]): () => void {
  const notify = <Event>(method: keyof SessionEventListener, event: Event): void => {
    for (const listener of listeners) {
      try {
        (listener[method] as ((event: Event) => void) | undefined)?.(event);
      } catch {
        // Dropped: a fault of the instrumentation is not the request's.
      }
    }
  };
  const unsubscribers = [
    subscribeTraced<SessionLoadEvent>(
      SESSION_DIAGNOSTICS_CHANNELS.load,
      (event) => notify('loadStarted', event),
      (event) => notify('loadFinished', event),
    ),
    subscribeTraced<SessionCommitEvent>(
      SESSION_DIAGNOSTICS_CHANNELS.commit,
      (event) => notify('commitStarted', event),
      (event) => notify('commitFinished', event),
    ),
    subscribeTraced<StoreOperationEvent>(
      SESSION_DIAGNOSTICS_CHANNELS.store,
      (event) => notify('storeStarted', event),
      (event) => notify('storeFinished', event),
    ),
  ];
  const onCsrfRejected = (message: unknown): void =>
    notify('csrfRejected', message as CsrfRejectedEvent);
  subscribe(SESSION_DIAGNOSTICS_CHANNELS.csrfRejected, onCsrfRejected);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    for (const unsubscribeTraced of unsubscribers) unsubscribeTraced();
    unsubscribe(SESSION_DIAGNOSTICS_CHANNELS.csrfRejected, onCsrfRejected);
  };
}

/** Operations that reported their end: a second report (never sent by the core) is ignored. */
type FinishedSet = WeakSet<object>;

function subscribeTraced<Event extends { outcome?: unknown }>(
  name: string,
  started: (event: Event) => void,
  finished: (event: Event) => void,
): () => void {
  const channel = tracingChannel<unknown, Event>(name);
  const done: FinishedSet = new WeakSet();
  const finish = (event: Event): void => {
    // Anyone may publish on a channel name: only the core's event objects are taken.
    if (typeof event !== 'object' || event === null || done.has(event)) return;
    done.add(event);
    finished(event);
  };
  const subscribers = {
    start: started,
    // A synchronous answer: `end` has the outcome. A promise: `end` comes first without one.
    end: (event: Event) => {
      if (event.outcome !== undefined) finish(event);
    },
    asyncStart: () => {},
    asyncEnd: finish,
    error: () => {},
  };
  channel.subscribe(subscribers);
  return () => channel.unsubscribe(subscribers);
}
