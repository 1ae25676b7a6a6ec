/**
 * What a CLI run reads and writes: injected, so tests can run the CLI in-process.
 * @module
 */

import type { SessionStore } from '../core/index.js';

/** Opens the store a URL names; `createStoreFromUrl` unless told otherwise. */
export type StoreOpener = (url: string) => Promise<SessionStore>;

/** Where the CLI writes text; `process.stdout` and `process.stderr` fit. */
export interface CliOutput {
  write(text: string): unknown;
  /** `true` when the output is a terminal (progress then redraws one line). */
  readonly isTTY?: boolean | undefined;
}

/** The streams and environment of one CLI run. */
export interface CliContext {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Environment variables; `SESSION_STORE` is read from here. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Opens the store from its URL. Replace it to run the CLI on a store of
   * your own (from your own executable script) or a test double.
   *
   * @defaultValue `createStoreFromUrl` from `tessera-session/stores`
   */
  openStore?: StoreOpener | undefined;
}

/** What every command gets: its streams and the store it works on. */
export interface CommandInput {
  stdout: CliOutput;
  stderr: CliOutput;
  /** The store's URL, as given (mask it before printing). */
  storeUrl: string;
  /** Runs `work` with the store open, and closes it; see `withStore`. */
  useStore<T>(work: (store: SessionStore) => Promise<T>): Promise<T>;
}
