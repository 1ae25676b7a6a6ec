/**
 * Opt-in, human-readable debug output (issue 13 §1): one line per session
 * load, commit, store operation and CSRF rejection, such as
 * `tessera commit sqlite delta saved 1.02 ms`. Off unless the manager's
 * `debug` option or `NODE_DEBUG=tessera` turns it on; Tessera never prints
 * otherwise.
 *
 * It is written by the core directly, not through `diagnostics_channel`, so
 * it works on every runtime (with or without diagnostics_channel) and only
 * for the managers that ask for it. Lines never hold a session id, a cookie
 * or a session value; with `showIds`, store operation lines add the store key
 * (the digest of the id, never usable as a cookie).
 * @module
 */

import { checkOptionKeys } from './check-option-keys.js';
import type {
  CsrfRejectionReason,
  SessionCommitEvent,
  SessionLoadEvent,
  StoreOperationEvent,
  TracedOperationEvent,
} from './diagnostics.js';
import { SessionConfigError } from './errors.js';

/** What the `debug` option takes as an object; `debug: true` is `{}`. */
export interface SessionDebugOptions {
  /**
   * Where each line goes; a writer that throws is ignored (the request goes on).
   * @defaultValue `console.error`
   */
  write?: ((line: string) => void) | undefined;
  /**
   * Add the store key (the SHA-256 digest of the session id, as the store
   * holds it) to store operation lines, to follow one session through the
   * log. Never the session id, the cookie or a session value.
   * @defaultValue false
   */
  showIds?: boolean | undefined;
}

/** Defaults of {@link SessionDebugOptions}. */
export const DEFAULT_SESSION_DEBUG_OPTIONS = Object.freeze({
  /** `undefined`: lines go to `console.error`. */
  write: undefined as ((line: string) => void) | undefined,
  /** Store keys are not shown. */
  showIds: false,
});

/** @internal Where one manager's debug lines go. */
export interface DebugOutput {
  /** Writes a line, swallowing the writer's errors. */
  readonly write: (line: string) => void;
  /** Whether store operation lines show the store key. */
  readonly showIds: boolean;
}

/** @internal Checks the `debug` option; throws {@link SessionConfigError} naming what is wrong. */
export function checkDebugOption(value: unknown, factoryName: string): void {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionConfigError(
      `Option "debug" must be true, false or { write?, showIds? }; got ${typeof value}.`,
    );
  }
  checkOptionKeys(value, Object.keys(DEFAULT_SESSION_DEBUG_OPTIONS), factoryName, {
    path: 'debug',
  });
  const { write, showIds } = value as SessionDebugOptions;
  if (write !== undefined && typeof write !== 'function') {
    throw new SessionConfigError('Option "debug.write" must be a function (line) => void.');
  }
  if (showIds !== undefined && typeof showIds !== 'boolean') {
    throw new SessionConfigError('Option "debug.showIds" must be true or false.');
  }
}

/**
 * @internal The debug output of a manager: on when `option` is `true` or an
 * object, or when `nodeDebug` (the `NODE_DEBUG` variable) names `tessera`;
 * `undefined` (no output, no cost) otherwise.
 */
export function createDebugOutput(
  option: boolean | SessionDebugOptions | undefined,
  nodeDebug: string | undefined = readNodeDebug(),
): DebugOutput | undefined {
  const settings = typeof option === 'object' ? option : undefined;
  if (option !== true && settings === undefined && !namesTessera(nodeDebug)) return undefined;
  const write = settings?.write ?? writeToConsole;
  return Object.freeze({
    write(line: string) {
      try {
        write(line);
      } catch {
        // A failing writer must not change what the request does.
      }
    },
    showIds: settings?.showIds ?? DEFAULT_SESSION_DEBUG_OPTIONS.showIds,
  });
}

function writeToConsole(line: string): void {
  // biome-ignore lint/suspicious/noConsole: asked for (option debug, NODE_DEBUG=tessera)
  console.error(line);
}

/**
 * Whether a `NODE_DEBUG` value turns Tessera's output on: a comma- or
 * space-separated list with `tessera` in it, case ignored (a `*` in an entry
 * matches anything, as Node's `util.debuglog` does).
 */
export function namesTessera(nodeDebug: string | undefined): boolean {
  if (!nodeDebug) return false;
  return nodeDebug.split(/[\s,]+/).some((entry) => {
    if (entry === '') return false;
    const pattern = entry.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${pattern}$`, 'i').test('tessera');
  });
}

/** `NODE_DEBUG` where the runtime has `process.env` and lets it be read (Deno may not). */
function readNodeDebug(): string | undefined {
  try {
    const runtime = (globalThis as { process?: { env?: Record<string, string | undefined> } })
      .process;
    return runtime?.env?.NODE_DEBUG;
  } catch {
    return undefined;
  }
}

/** @internal `tessera load sqlite found 0.21 ms`. */
export function describeLoad(event: SessionLoadEvent): string {
  return `tessera load ${event.storeName} ${event.outcome} ${describeEnd(event)}`;
}

/** @internal `tessera commit sqlite delta saved 1.02 ms`. */
export function describeCommit(event: SessionCommitEvent): string {
  return `tessera commit ${event.storeName} ${event.plan} ${event.outcome} ${describeEnd(event)}`;
}

/** @internal `tessera store redis update error 3.40 ms: …`, with `key=…` when `key` is given. */
export function describeStoreOperation(event: StoreOperationEvent, key?: string): string {
  const line = `tessera store ${event.storeName} ${event.operation} ${event.outcome} ${describeEnd(event)}`;
  return key === undefined ? line : `${line} key=${key}`;
}

/** @internal `tessera csrf rejected: wrong-token`. */
export function describeCsrfRejection(reason: CsrfRejectionReason): string {
  return `tessera csrf rejected: ${reason}`;
}

function describeEnd(event: TracedOperationEvent): string {
  const duration = `${(event.durationMs ?? 0).toFixed(2)} ms`;
  return event.error === undefined ? duration : `${duration}: ${describeError(event.error)}`;
}

/**
 * An error's message without anything shaped like a session id or a store
 * key (runs of 32 or more URL-safe characters): a driver may quote the key
 * it failed on.
 */
function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.replace(/[A-Za-z0-9_-]{32,}/g, '[redacted]');
}

/** Debug outputs of sessions made by managers with debug output on, for the CSRF check. */
const sessionOutputs = new WeakMap<object, DebugOutput>();

/** @internal Remembers that `session`'s manager writes debug lines to `output`. */
export function attachDebugOutput(session: object, output: DebugOutput): void {
  sessionOutputs.set(session, output);
}

/** @internal The debug output of `session`'s manager, if it has one. */
export function findDebugOutput(session: object): DebugOutput | undefined {
  return sessionOutputs.get(session);
}
