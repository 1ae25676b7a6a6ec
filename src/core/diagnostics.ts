/**
 * Diagnostics: the `node:diagnostics_channel` channels Tessera publishes on
 * (issue 13 §1), and what each event carries. Subscribers (an OpenTelemetry
 * bridge, a metrics exporter, a log line) see session loads, commits, every
 * store operation and CSRF rejections, with their duration and outcome.
 *
 * The core imports no `node:` module: the channel module is found with
 * `process.getBuiltinModule('node:diagnostics_channel')` (Node ≥ 20.16, Bun,
 * Deno). Where it is missing, every channel is a no-op and sessions work as
 * before. Channels are module-level, one set per process (as Node's own):
 * a subscriber sees the events of every session manager.
 *
 * With nobody subscribed, the cost is one `hasSubscribers` check per load,
 * commit and store operation: no event object is allocated, no closure made.
 * @module
 */

import type { SessionStore } from './store.js';

/**
 * The names of Tessera's channels. `load`, `commit` and `store` are
 * TracingChannels (`diagnostics_channel.tracingChannel(name)`: subchannels
 * `tracing:<name>:start|end|asyncStart|asyncEnd|error`); `csrfRejected` is a
 * plain channel (`diagnostics_channel.channel(name)`). With `tracingChannel`
 * of `node:diagnostics_channel` (see docs/diagnostics.md):
 *
 * ```ts
 * tracingChannel<unknown, StoreOperationEvent>(SESSION_DIAGNOSTICS_CHANNELS.store).subscribe({
 *   start() {},
 *   end(event) { if (event.outcome) console.log(event.operation, event.durationMs); },
 *   asyncStart() {},
 *   asyncEnd(event) { console.log(event.operation, event.durationMs); },
 *   error() {},
 * });
 * ```
 */
export const SESSION_DIAGNOSTICS_CHANNELS = Object.freeze({
  /** TracingChannel, context {@link SessionLoadEvent}: a session cookie was looked up. */
  load: 'tessera:session:load',
  /** TracingChannel, context {@link SessionCommitEvent}: a session's changes were carried out. */
  commit: 'tessera:session:commit',
  /** TracingChannel, context {@link StoreOperationEvent}: one store method called by the core. */
  store: 'tessera:store',
  /** Plain channel, message {@link CsrfRejectedEvent}: a CSRF check refused a request. */
  csrfRejected: 'tessera:csrf:rejected',
} as const);

/**
 * What every traced operation's context carries once it has ended. Set
 * before `end` for an operation that answered synchronously, before
 * `error`/`asyncStart`/`asyncEnd` for one that answered with a promise (its
 * `end` comes when the synchronous part returns, without them).
 */
export interface TracedOperationEvent {
  /** Milliseconds the operation took (`performance.now()` difference); set when it ended. */
  durationMs?: number | undefined;
  /** What the operation threw or rejected with; set (before `error` is published) when it failed. */
  error?: unknown;
}

/**
 * Context of the `load` TracingChannel ({@link SESSION_DIAGNOSTICS_CHANNELS}):
 * a request's cookie was looked up. Published only when there is something
 * to look up: a well-formed session id (a keyed store), or a cookie value (a
 * cookie store); a request without a session cookie publishes nothing.
 * Never holds the session id, its store key or its data.
 */
export interface SessionLoadEvent extends TracedOperationEvent {
  /** The name of the manager's store (`manager.store.name`), e.g. `"sqlite"`. */
  storeName: string;
  /**
   * The server-side store the load reads: the manager's store, or for a
   * cookie store its `revocation` store; `undefined` for a cookie store
   * without one (the session lives only in the cookie).
   */
  store: SessionStore | undefined;
  /**
   * `'found'`: a live session was loaded; `'missing'`: none (unknown,
   * expired, revoked or unreadable cookie: the visitor gets a fresh session);
   * `'error'`: the store failed. Set when the load ended.
   */
  outcome?: 'found' | 'missing' | 'error' | undefined;
}

/** The plan of a commit: `CommitPlan['action']` of the commit planner. */
export type SessionCommitPlanName = 'nothing' | 'touch' | 'delta' | 'create' | 'rotate' | 'destroy';

/**
 * Context of the `commit` TracingChannel: a session's changes were carried
 * out (`manager.commit()`, `session.save()`, `manager.save()`). Published for
 * every planned commit, `'nothing'` included; not for a 5xx response (nothing
 * is planned) nor for a session whose store was unavailable at load. The
 * duration covers carrying the plan out, not planning it.
 */
export interface SessionCommitEvent extends TracedOperationEvent {
  /** The name of the manager's store (`manager.store.name`). */
  storeName: string;
  /** As {@link SessionLoadEvent.store}. */
  store: SessionStore | undefined;
  /**
   * What the commit writes: nothing, an expiry `touch`, a `delta` of the
   * changed keys, a `create`d record, a `rotate` to a new id (`login()`,
   * `cycleKey()`), or a `destroy` (`flush()`, `logout()`).
   */
  plan: SessionCommitPlanName;
  /**
   * `'saved'`: the plan was carried out (for `'nothing'`: there was nothing
   * to write); `'interrupted'`: a concurrent request destroyed the session
   * first and the write was dropped (`SessionInterruptedError`, e.g. a
   * logout won); `'error'`: the store failed or the data was refused. Set
   * when the commit ended.
   */
  outcome?: 'saved' | 'interrupted' | 'error' | undefined;
}

/**
 * Context of the `store` TracingChannel: one store method called by the core
 * (loads, commits, `manager.clearExpired()`, `listUserSessions()`,
 * `destroyUserSessions()`). The store's own arguments are not in it: no key,
 * no data.
 */
export interface StoreOperationEvent extends TracedOperationEvent {
  /** The store's name (`store.name`). */
  storeName: string;
  /** The store called (for a cookie store: its revocation store). */
  store: SessionStore;
  /**
   * The {@link SessionStore} method called: `'read'`, `'create'`,
   * `'update'`, `'rotate'`, `'touch'`, `'destroy'`, `'clearExpired'`,
   * `'listUserSessions'`, `'destroyUserSessions'`.
   */
  operation: string;
  /** `'ok'`: it answered; `'error'`: it threw or rejected. Set when it ended. */
  outcome?: 'ok' | 'error' | undefined;
}

/**
 * Why a CSRF check refused a request:
 * - `'missing-token'`: the request carried no token at all (no header, no form field);
 * - `'wrong-token'`: it carried one that is not the session's;
 * - `'cross-site'`: the Fetch Metadata check refused it: the browser marked it
 *   as coming from another site (`Sec-Fetch-Site: cross-site`, or `same-site`
 *   without `allowSameSite`, or a value it does not know).
 */
export type CsrfRejectionReason = 'missing-token' | 'wrong-token' | 'cross-site';

/** Message of the `csrfRejected` channel: a CSRF check refused a request (403). Never holds a token. */
export interface CsrfRejectedEvent {
  /** Why it was refused. */
  reason: CsrfRejectionReason;
}

/** The parts of a `diagnostics_channel` Channel the core uses. */
export interface DiagnosticsChannelLike {
  /** Whether anyone listens. */
  readonly hasSubscribers: boolean;
  /** Sends a message to the subscribers. */
  publish(message: unknown): void;
  /** Publishes `message`, then runs `run` inside the stores bound to the channel (Node ≥ 19.9). */
  runStores?<T>(message: unknown, run: () => T): T;
}

/** The parts of a `diagnostics_channel` TracingChannel the core uses. */
export interface TracingChannelLike {
  /** Whether anyone listens to any of the five subchannels. */
  readonly hasSubscribers: boolean;
  readonly start: DiagnosticsChannelLike;
  readonly end: DiagnosticsChannelLike;
  readonly asyncStart: DiagnosticsChannelLike;
  readonly asyncEnd: DiagnosticsChannelLike;
  readonly error: DiagnosticsChannelLike;
}

/** The channels the core publishes on: real ones, or no-ops where diagnostics_channel is missing. */
export interface SessionDiagnosticsChannels {
  readonly load: TracingChannelLike;
  readonly commit: TracingChannelLike;
  readonly store: TracingChannelLike;
  readonly csrfRejected: DiagnosticsChannelLike;
  /** `false` when they are no-ops (no diagnostics_channel on this runtime). */
  readonly available: boolean;
}

const NO_OP_CHANNEL: DiagnosticsChannelLike = Object.freeze({
  hasSubscribers: false,
  publish() {},
  runStores<T>(_message: unknown, run: () => T): T {
    return run();
  },
});

const NO_OP_TRACING_CHANNEL: TracingChannelLike = Object.freeze({
  hasSubscribers: false,
  start: NO_OP_CHANNEL,
  end: NO_OP_CHANNEL,
  asyncStart: NO_OP_CHANNEL,
  asyncEnd: NO_OP_CHANNEL,
  error: NO_OP_CHANNEL,
});

/** What the core needs of the `node:diagnostics_channel` module. */
interface DiagnosticsChannelModule {
  channel(name: string): DiagnosticsChannelLike;
  tracingChannel(name: string): TracingChannelLike;
}

/**
 * The channels for a `node:diagnostics_channel` module, or no-ops when
 * `module` is missing or lacks `channel`/`tracingChannel` (a runtime without
 * it, or an old one). Tessera calls it once, with the module
 * `process.getBuiltinModule` gives.
 */
export function resolveDiagnosticsChannels(module: unknown): SessionDiagnosticsChannels {
  if (!isDiagnosticsChannelModule(module)) {
    return Object.freeze({
      load: NO_OP_TRACING_CHANNEL,
      commit: NO_OP_TRACING_CHANNEL,
      store: NO_OP_TRACING_CHANNEL,
      csrfRejected: NO_OP_CHANNEL,
      available: false,
    });
  }
  const names = SESSION_DIAGNOSTICS_CHANNELS;
  return Object.freeze({
    load: withSubscriberCheck(module.tracingChannel(names.load)),
    commit: withSubscriberCheck(module.tracingChannel(names.commit)),
    store: withSubscriberCheck(module.tracingChannel(names.store)),
    csrfRejected: module.channel(names.csrfRejected),
    available: true,
  });
}

function isDiagnosticsChannelModule(module: unknown): module is DiagnosticsChannelModule {
  return (
    typeof module === 'object' &&
    module !== null &&
    typeof (module as { channel?: unknown }).channel === 'function' &&
    typeof (module as { tracingChannel?: unknown }).tracingChannel === 'function'
  );
}

/**
 * The TracingChannel itself when it has the `hasSubscribers` getter (Node ≥
 * 20.13), else a view computing it from the subchannels (older Bun, Deno).
 */
function withSubscriberCheck(channel: TracingChannelLike): TracingChannelLike {
  if (typeof channel.hasSubscribers === 'boolean') return channel;
  const { start, end, asyncStart, asyncEnd, error } = channel;
  return Object.freeze({
    get hasSubscribers() {
      return (
        start.hasSubscribers ||
        end.hasSubscribers ||
        asyncStart.hasSubscribers ||
        asyncEnd.hasSubscribers ||
        error.hasSubscribers
      );
    },
    start,
    end,
    asyncStart,
    asyncEnd,
    error,
  });
}

/** `node:diagnostics_channel` where the runtime has it, without importing a `node:` module. */
function loadDiagnosticsChannelModule(): unknown {
  try {
    const runtime = (
      globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } | undefined }
    ).process;
    return runtime?.getBuiltinModule?.('node:diagnostics_channel');
  } catch {
    return undefined; // a runtime that refuses the lookup has no channels: no-ops
  }
}

/** @internal The process's channels, resolved once when the core loads. */
export const diagnosticsChannels: SessionDiagnosticsChannels = resolveDiagnosticsChannels(
  loadDiagnosticsChannelModule(),
);
