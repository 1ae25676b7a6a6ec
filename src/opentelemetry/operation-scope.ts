/**
 * Which session load or commit a store operation belongs to, so that its span
 * can be a child of theirs. The start channels of `tessera:session:load` and
 * `tessera:session:commit` carry the operation's event into an
 * AsyncLocalStorage of ours (`bindStore`), which the core's `runStores` enters
 * around the operation, its callbacks and its awaits.
 * @module
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import { SESSION_DIAGNOSTICS_CHANNELS } from '../core/index.js';

/** The innermost load or commit running, if any. */
export interface OperationScope {
  /** The event of the load or commit the caller runs inside, or `undefined` outside one. */
  currentOperation(): object | undefined;
  /** Unbinds the storage from the channels. Calling it again does nothing. */
  close(): void;
}

/** Binds a fresh storage to the start channels of session loads and commits. */
export function openOperationScope(): OperationScope {
  const storage = new AsyncLocalStorage<object>();
  const starts = [SESSION_DIAGNOSTICS_CHANNELS.load, SESSION_DIAGNOSTICS_CHANNELS.commit].map(
    (name) => tracingChannel<object, object>(name).start,
  );
  for (const start of starts) start.bindStore(storage, (event) => event);
  let open = true;
  return {
    currentOperation: () => storage.getStore(),
    close() {
      if (!open) return;
      open = false;
      for (const start of starts) start.unbindStore(storage);
      storage.disable();
    },
  };
}
