/**
 * What a CLI run reads and writes: injected, so tests can run the CLI in-process.
 * @module
 */

import type { SessionStore } from '../core/index.js';
import type { CommandLine } from './parse-command-line.js';

/** How a command wants its store opened. */
export interface StoreOpenMode {
  /**
   * Create what the store needs where missing (the SQLite file and table, the
   * files store's directory, the SQL table): `true` for `migrate` only.
   */
  readonly create: boolean;
}

/**
 * Opens the store a URL names; `createStoreFromUrl` unless told otherwise.
 * A `SessionConfigError` it throws counts as a bad store URL (exit 2); any
 * other failure as a store failure (exit 1).
 */
export type StoreOpener = (url: string, mode: StoreOpenMode) => Promise<SessionStore>;

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
   * @defaultValue `createStoreFromUrl` from `tessera-session/stores`, after
   *   `checkStoreUrl` (so a bad URL exits 2 and a store that fails to open exits 1)
   */
  openStore?: StoreOpener | undefined;
}

/** What every command gets: its streams, its options and the store it works on. */
export interface CommandInput {
  stdout: CliOutput;
  stderr: CliOutput;
  /** The command line, read (the options the command takes are checked). */
  commandLine: CommandLine;
  /** The store's URL, as given (mask it before printing). */
  storeUrl: string;
  /**
   * Runs `work` with the store open, and closes it; see `withStore`. The
   * store creates nothing unless `mode.create` (for `migrate`).
   */
  useStore<T>(work: (store: SessionStore) => Promise<T>, mode?: StoreOpenMode): Promise<T>;
}
