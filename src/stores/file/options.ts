/**
 * Options of the files store, their defaults and their checks.
 *
 * @module
 */

import { checkOptionKeys, optionKeys } from '../../core/check-option-keys.js';
import { SessionConfigError } from '../../core/errors.js';

/** Where the store keeps its files unless told otherwise: relative to `process.cwd()`. */
export const DEFAULT_FILE_DIRECTORY = '.tessera/sessions';

/** How {@link createFileStore} is configured. Every option may be left out. */
export interface FileStoreOptions {
  /**
   * The directory holding one file per session, created if missing (with
   * mode `0o700`: only this user may list it). A relative path is resolved
   * against `process.cwd()` once, when the store is created. Use a local
   * file system: the lock protocol relies on exclusive creation and rename.
   *
   * @defaultValue {@link DEFAULT_FILE_DIRECTORY} (`'.tessera/sessions'`)
   */
  readonly directory?: string | undefined;
  /**
   * Create `directory` when it is missing, as the store opens. With `false`
   * the store creates nothing: `ready()` and the operations that need the
   * directory fail with an error that says how to create it (start the
   * application once with the default, or run
   * `npx tessera-session migrate --store file:<directory>`); what
   * `tessera-session` passes for every command but `migrate`.
   *
   * @defaultValue `true`
   */
  readonly createDirectory?: boolean | undefined;
  /**
   * The permission bits of every file the store writes. Session files are
   * secrets (they hold what the application put in the session), so the
   * default lets only the owner read them; the owner must keep read and write.
   *
   * @defaultValue `0o600`
   */
  readonly fileMode?: number | undefined;
  /**
   * Whether a write is flushed to the disk (the file, then its directory)
   * before it is acknowledged. With `false` every acknowledged write still
   * survives the process being killed, but not a power loss or a kernel crash.
   *
   * @defaultValue `true`
   */
  readonly fsync?: boolean | undefined;
  /**
   * How long a write waits for a session's lock held by another process
   * before it fails (and the request gets a 503). Never waits forever.
   *
   * @defaultValue `5_000` (milliseconds)
   */
  readonly lockTimeoutMs?: number | undefined;
  /**
   * When a lock is considered abandoned and broken: its owner process on this
   * machine has exited, or the lock file is older than this. A write holds a
   * lock for one read and one small write, so keep it well above that.
   *
   * @defaultValue `10_000` (milliseconds)
   */
  readonly lockStaleMs?: number | undefined;
  /**
   * The clock, in milliseconds since the epoch, used to decide expiry.
   * Replace it in tests to move time without waiting. (Lock ages use the real
   * clock: they are compared with file times.)
   *
   * @defaultValue `() => Date.now()`
   */
  readonly now?: (() => number) | undefined;
  /**
   * Receives problems that do not fail the operation: an unreadable (corrupt
   * or truncated) session file, treated as missing; a lock found broken when
   * released. Send them to your logger.
   *
   * @defaultValue a function that ignores them
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** The options a files store runs with once defaults are filled in. */
export type ResolvedFileStoreOptions = Readonly<{
  [Name in keyof FileStoreOptions]-?: Exclude<FileStoreOptions[Name], undefined>;
}>;

/** Defaults of {@link FileStoreOptions}. */
export const DEFAULT_FILE_STORE_OPTIONS: ResolvedFileStoreOptions = Object.freeze({
  directory: DEFAULT_FILE_DIRECTORY,
  createDirectory: true,
  fileMode: 0o600,
  fsync: true,
  lockTimeoutMs: 5_000,
  lockStaleMs: 10_000,
  // A wrapper rather than `Date.now` itself, so fake timers installed later are honoured.
  now: () => Date.now(),
  onError: () => {},
});

/** The keys of {@link FileStoreOptions}: those of {@link DEFAULT_FILE_STORE_OPTIONS}. */
const OPTION_KEYS = optionKeys<FileStoreOptions>()(DEFAULT_FILE_STORE_OPTIONS, []);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveFileStoreOptions(options: FileStoreOptions): ResolvedFileStoreOptions {
  checkOptionKeys(options, OPTION_KEYS, 'createFileStore()', { scope: 'store' });
  const defaults = DEFAULT_FILE_STORE_OPTIONS;
  const resolved: ResolvedFileStoreOptions = {
    directory: options.directory ?? defaults.directory,
    createDirectory: options.createDirectory ?? defaults.createDirectory,
    fileMode: options.fileMode ?? defaults.fileMode,
    fsync: options.fsync ?? defaults.fsync,
    lockTimeoutMs: options.lockTimeoutMs ?? defaults.lockTimeoutMs,
    lockStaleMs: options.lockStaleMs ?? defaults.lockStaleMs,
    now: options.now ?? defaults.now,
    onError: options.onError ?? defaults.onError,
  };
  if (
    typeof resolved.directory !== 'string' ||
    resolved.directory === '' ||
    resolved.directory.includes('\0')
  ) {
    fail(
      'directory',
      'a non-empty directory path without NUL characters',
      describeValue(resolved.directory),
      `Pass a directory such as ${JSON.stringify(DEFAULT_FILE_DIRECTORY)}, or leave it out for the default.`,
    );
  }
  if (
    !Number.isInteger(resolved.fileMode) ||
    resolved.fileMode < 0 ||
    resolved.fileMode > 0o777 ||
    (resolved.fileMode & 0o600) !== 0o600
  ) {
    fail(
      'fileMode',
      'permission bits between 0o600 and 0o777 that let the owner read and write',
      typeof resolved.fileMode === 'number'
        ? `0o${resolved.fileMode.toString(8)}`
        : describeValue(resolved.fileMode),
      'Pass 0o600 (the default) so that only the owner can read the session files.',
    );
  }
  if (typeof resolved.createDirectory !== 'boolean') {
    fail(
      'createDirectory',
      'true or false',
      describeValue(resolved.createDirectory),
      'Leave it out to create the directory when missing (true).',
    );
  }
  if (typeof resolved.fsync !== 'boolean') {
    fail(
      'fsync',
      'true or false',
      describeValue(resolved.fsync),
      'Leave it out to flush every write (true).',
    );
  }
  for (const name of ['lockTimeoutMs', 'lockStaleMs'] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) {
      fail(
        name,
        'a positive whole number of milliseconds',
        describeValue(value),
        `Leave it out for ${defaults[name]} ms.`,
      );
    }
  }
  for (const name of ['now', 'onError'] as const) {
    if (typeof resolved[name] !== 'function') {
      const what =
        name === 'now'
          ? 'a function returning milliseconds since the epoch'
          : 'a function receiving the error';
      fail(name, what, describeValue(resolved[name]), 'Leave it out for the default.');
    }
  }
  return Object.freeze(resolved);
}

function fail(option: string, expected: string, got: string, fix: string): never {
  throw new SessionConfigError(
    `createFileStore: option "${option}" must be ${expected}, got ${got}. ${fix}`,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'function' ? 'a function' : String(value);
}
