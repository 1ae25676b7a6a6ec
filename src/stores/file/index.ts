/**
 * A session store keeping one JSON file per session in a directory: Django's
 * file backend, plus what it leaves out (it has no locking, by design:
 * Django tickets #8616 and #9084). Suited to single-machine deployments,
 * including several processes sharing the directory, without a database.
 *
 * - Keys are checked before they become paths (`store-key.ts`).
 * - Writes are atomic and durable (`atomic-write.ts`).
 * - Writes to one session are serialised by a per-key queue in the process
 *   and a lock file across processes (`key-mutex.ts`, `file-lock.ts`), so a
 *   delta is applied to the latest data and none is lost. Reads take no lock.
 * - Sessions of a user are found through an index of marker files (`user-index.ts`).
 *
 * See `docs/store-file.md`.
 *
 * @module tessera-session/stores/file
 */

import type { Dirent } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  opendir,
  readdir,
  readFile,
  rm,
  rmdir,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type AsyncSessionStoreWith,
  applyDelta,
  type ClearExpiredOptions,
  type CountSessionsOptions,
  type DescribeSessionsOptions,
  type ListSessionsOptions,
  type OptionalSessionStoreMethod,
  type PageSessionsOptions,
  type SessionOverview,
  type SessionPage,
  type SessionRecord,
  type SessionSummary,
  type StoredData,
  type StoreStats,
  type UserSessionInfo,
} from '../../core/store.js';
import { prepareFileAtomic, syncDirectory, writeFileAtomic } from './atomic-write.js';
import {
  checkDirectory,
  createDirectories,
  type FileMigrationResult,
  missingDirectoryError,
  prepareDirectory,
} from './directory-check.js';
import {
  acquireFileLock,
  breakFileLockIfStale,
  type HeldFileLock,
  removeIfOlderThan,
} from './file-lock.js';
import { errorCode, unlessMissing } from './fs-errors.js';
import { createKeyMutex } from './key-mutex.js';
import {
  BREAK_FILE_NAME,
  createLayout,
  LOCK_FILE_NAME,
  SESSION_FILE_NAME,
  TEMP_FILE_NAME,
  USER_FOLDER_NAME,
  userFolderName,
} from './layout.js';
import { createSessionListings, type SessionHead } from './list-sessions.js';
import { type FileStoreOptions, resolveFileStoreOptions } from './options.js';
import { decodeRecord, decodeRecordHead, encodeRecord, type RecordHead } from './record-file.js';
import { assertStoreKey, isStoreKey } from './store-key.js';
import { createUserIndex } from './user-index.js';

export type { FileMigrationResult } from './directory-check.js';
export { fileStoreOptionsFromUrl } from './from-url.js';
export {
  DEFAULT_FILE_DIRECTORY,
  DEFAULT_FILE_STORE_OPTIONS,
  type FileStoreOptions,
  type ResolvedFileStoreOptions,
} from './options.js';
export { isStoreKey } from './store-key.js';

/** Removed records between two `onProgress` calls of {@link FileStore.clearExpired} unless told otherwise. */
export const DEFAULT_CLEAR_EXPIRED_BATCH_SIZE = 1_000;

/** The options of every store's `clearExpired` (the contract's, also exported from `tessera-session`). */
export type { ClearExpiredOptions } from '../../core/store.js';

/**
 * A session store in a directory of files. Every method answers with a
 * promise, the optional ones are all present, and every method rejects with a
 * `TypeError`, before any file system call, when given a key that is not 64
 * lowercase hex characters.
 */
export interface FileStore extends AsyncSessionStoreWith<OptionalSessionStoreMethod> {
  /** The store's directory, absolute. */
  readonly directory: string;
  /**
   * Holds both sessions' locks (in key order) while it checks the old one,
   * writes the new file and removes the old one. A crash midway leaves
   * neither session, never both (see `docs/store-file.md`).
   */
  rotate(oldKey: string, newKey: string, record: SessionRecord): Promise<boolean>;
  /**
   * Removes expired and unreadable session files (Django's `clearsessions`),
   * plus what crashed writers left: temporary files and locks older than
   * `lockStaleMs`, stale index markers. Answers how many sessions were
   * removed; `onProgress` is called after every `batchSize` removals
   * (default {@link DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}, `1_000`) and once at the end.
   */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /** The first page of {@link pageSessions} by creation, without its bound on `limit`. */
  listSessions(options: ListSessionsOptions): Promise<SessionSummary[]>;
  /**
   * Reads the start (times and owner) of every session file, a few at a time
   * while the directory is streamed, keeps the page's `limit` and reads those
   * whole: O(files) time per page, O(limit) memory; one user's through the
   * user index.
   */
  pageSessions(options: PageSessionsOptions): Promise<SessionPage>;
  /** Reads the start of every session file (one user's: through the user index) to count the live ones. */
  countSessions(options?: CountSessionsOptions): Promise<number>;
  /** One walk over the start of every session file; sizes are the UTF-8 bytes of each session's data as JSON, from the file size. */
  describeSessions(options: DescribeSessionsOptions): Promise<SessionOverview>;
  /** Counts; unreadable files count as expired; `bytes` is the size of the session files. */
  stats(): Promise<StoreStats>;
  /**
   * Checks that the directory is there and that this process may read, write
   * and list it (creating it first unless `createDirectory` is false).
   * Rejects with a `SessionConfigError` naming it and what to do.
   */
  ready(): Promise<void>;
  /**
   * Creates the directory where missing and answers whether it was created,
   * by this call or when the store opened. What `npx tessera-session migrate` runs.
   */
  migrate(): Promise<FileMigrationResult>;
  /** Waits for the writes in progress; later calls reject. The files stay. */
  close(): Promise<void>;
}

/** A session file as read from the disk. */
type LoadedFile =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly path: string; readonly problem: string; bytes: number }
  | { readonly kind: 'record'; readonly record: SessionRecord; readonly bytes: number };

const MISSING: LoadedFile = Object.freeze({ kind: 'missing' });

/** Bytes a listing reads from the start of each session file: its times and owner (record-file.ts). */
const HEAD_BYTES = 1_024;

/**
 * Creates a session store in a directory, creating the directory if missing.
 *
 * @throws SessionConfigError when an option is invalid or the directory
 *   cannot be created, read and written.
 */
export function createFileStore(options: FileStoreOptions = {}): FileStore {
  const settings = resolveFileStoreOptions(options);
  const { now } = settings;
  const layout = createLayout(resolve(settings.directory));
  // What opening created, for migrate() to report; nothing is touched without createDirectory.
  const createdOnOpen =
    settings.createDirectory && prepareDirectory(layout.root, layout.usersRoot)
      ? [`directory ${JSON.stringify(layout.root)}`]
      : [];
  const writeOptions = { mode: settings.fileMode, fsync: settings.fsync };
  const lockOptions = {
    timeoutMs: settings.lockTimeoutMs,
    staleMs: settings.lockStaleMs,
    mode: settings.fileMode,
  };
  const userIndex = createUserIndex(layout, writeOptions);
  const mutex = createKeyMutex();
  let closed = false;
  const listings = createSessionListings({
    async *sessionKeys() {
      checkOpen();
      for await (const entry of directoryEntries(layout.root, !settings.createDirectory)) {
        const session = SESSION_FILE_NAME.exec(entry.name);
        if (session?.[1] !== undefined) yield session[1];
      }
    },
    keysOfUser(userId) {
      checkUserId(userId);
      checkOpen();
      return userIndex.keysOf(userId);
    },
    readLive: async (key, time) => liveRecord(await loadReporting(key), time),
    readLiveHead,
    now,
  });

  /** Hands a problem to `onError`; a throwing handler must not fail the operation. */
  function report(error: unknown): void {
    try {
      settings.onError(error);
    } catch {
      // The handler's own failure has nowhere better to go.
    }
  }

  /** Checks the key and that the store is open; both before any file system call. */
  function check(key: unknown): asserts key is string {
    assertStoreKey(key);
    checkOpen();
  }

  function checkOpen(): void {
    if (closed) {
      throw new Error(
        `file store: the store on ${layout.root} is closed; create a new one to use the directory again.`,
      );
    }
  }

  async function load(key: string): Promise<LoadedFile> {
    const path = layout.sessionFile(key);
    const content = await unlessMissing(readFile(path), undefined);
    if (content === undefined) return MISSING;
    const decoded = decodeRecord(content.toString('utf8'));
    if ('problem' in decoded) {
      return { kind: 'unreadable', path, problem: decoded.problem, bytes: content.length };
    }
    return { kind: 'record', record: decoded, bytes: content.length };
  }

  /** {@link load}, reporting an unreadable file; it then counts as missing (session-file-store #5). */
  async function loadReporting(key: string): Promise<LoadedFile> {
    const loaded = await load(key);
    if (loaded.kind === 'unreadable') {
      report(
        new Error(
          `file store: ignored the unreadable session file ${loaded.path} (${loaded.problem}); ` +
            'it counts as missing, and clearExpired removes it.',
        ),
      );
    }
    return loaded;
  }

  /**
   * The times, owner and data size of the session `key` if it is live at
   * `time`, from the first {@link HEAD_BYTES} bytes of its file only: a
   * listing walking every file never parses their data. The whole file is
   * read when they do not suffice (a very long user id, a damaged file, which
   * is then reported as {@link read} does).
   */
  async function readLiveHead(key: string, time: number): Promise<SessionHead | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(layout.sessionFile(key), 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    let head: RecordHead | undefined;
    let size: number;
    try {
      // One open file: the start and the size are of the same version, even if a write renames a new one in.
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      size = (await handle.stat()).size;
      head = decodeRecordHead(buffer.toString('utf8', 0, bytesRead));
    } finally {
      await handle.close();
    }
    if (head === undefined) {
      const record = liveRecord(await loadReporting(key), time);
      if (record === undefined) return undefined;
      const dataBytes = Buffer.byteLength(JSON.stringify(record.data), 'utf8');
      return {
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
        userId: record.userId,
        dataBytes,
      };
    }
    if (!(head.expiresAt > time)) return undefined;
    const { createdAt, expiresAt, userId } = head;
    // The data is the file's last field: its JSON runs from dataStart to the closing brace.
    return { createdAt, expiresAt, userId, dataBytes: size - head.dataStart - 1 };
  }

  /** The record if the file holds one that is live at `time`. */
  function liveRecord(loaded: LoadedFile, time: number): SessionRecord | undefined {
    return loaded.kind === 'record' && loaded.record.expiresAt > time ? loaded.record : undefined;
  }

  /** Runs `work` holding the session's lock: first in this process, then across processes. */
  function withKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return mutex.run(key, async () => {
      const lock = await takeLock(key);
      try {
        return await work();
      } finally {
        await releaseLock(key, lock);
      }
    });
  }

  async function takeLock(key: string): Promise<HeldFileLock> {
    try {
      return await acquireFileLock(layout.lockFile(key), lockOptions);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      if (!settings.createDirectory) throw missingDirectoryError(layout.root);
      // The directory was removed while the store runs: recover without a restart.
      await mkdir(layout.root, { recursive: true, mode: 0o700 });
      return acquireFileLock(layout.lockFile(key), lockOptions);
    }
  }

  async function releaseLock(key: string, lock: HeldFileLock): Promise<void> {
    try {
      if (!(await lock.release())) {
        report(
          new Error(
            `file store: the lock ${layout.lockFile(key)} was broken while this process held it, ` +
              `because it was older than option "lockStaleMs" (${settings.lockStaleMs} ms); ` +
              'a concurrent write may have been applied out of turn. Raise "lockStaleMs" if writes take this long.',
          ),
        );
      }
    } catch (error) {
      // The write itself succeeded; a lock left behind is broken once stale.
      report(error);
    }
  }

  /**
   * Writes a session file (under its lock), keeping the user index a superset
   * of the truth: the new owner's marker before the file, the old owner's
   * removal after it.
   */
  async function writeSession(
    key: string,
    content: string,
    owner: string | null,
    previousOwner: string | null | undefined,
  ): Promise<void> {
    if (owner !== null && owner !== previousOwner) await userIndex.add(owner, key);
    await writeFileAtomic(layout.sessionFile(key), content, writeOptions);
    if (typeof previousOwner === 'string' && previousOwner !== owner) {
      await userIndex.remove(previousOwner, key);
    }
  }

  /** Removes a session file (under its lock) and its marker. */
  async function removeSession(key: string, loaded: LoadedFile): Promise<void> {
    await rm(layout.sessionFile(key), { force: true });
    if (loaded.kind === 'record' && loaded.record.userId !== null) {
      await userIndex.remove(loaded.record.userId, key);
    }
  }

  /** Removes the session `key` if it is unreadable or expired at `cutoff`; answers whether it did. */
  async function removeIfExpired(key: string, cutoff: number): Promise<boolean> {
    const expired = (loaded: LoadedFile) =>
      loaded.kind === 'unreadable' ||
      (loaded.kind === 'record' && loaded.record.expiresAt <= cutoff);
    if (!expired(await load(key))) return false;
    // Checked again under the lock: a create may have replaced it meanwhile.
    return withKeyLock(key, async () => {
      const loaded = await load(key);
      if (!expired(loaded)) return false;
      await removeSession(key, loaded);
      if (loaded.kind === 'unreadable') {
        report(
          new Error(
            `file store: clearExpired removed the unreadable session file ${loaded.path} (${loaded.problem}).`,
          ),
        );
      }
      return true;
    });
  }

  /** Removes index markers that no session file backs any more, and empty user folders. */
  async function sweepUserIndex(): Promise<void> {
    const folders = await unlessMissing(readdir(layout.usersRoot), []);
    for (const folderName of folders) {
      if (!USER_FOLDER_NAME.test(folderName)) continue;
      const folder = join(layout.usersRoot, folderName);
      const keys = (await unlessMissing(readdir(folder), [])).filter(isStoreKey);
      for (const key of keys) {
        const backed = async () => {
          const loaded = await load(key);
          return (
            loaded.kind === 'record' &&
            loaded.record.userId !== null &&
            userFolderName(loaded.record.userId) === folderName
          );
        };
        if (await backed()) continue;
        // Under the lock: a write may be between adding the marker and writing the file.
        await withKeyLock(key, async () => {
          if (!(await backed())) await rm(join(folder, key), { force: true });
        });
      }
      try {
        await rmdir(folder);
      } catch (error) {
        if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errorCode(error) ?? '')) throw error;
      }
    }
  }

  return {
    name: 'file',
    directory: layout.root,

    async read(key) {
      check(key);
      return liveRecord(await loadReporting(key), now()) ?? null;
    },

    async create(key, record) {
      check(key);
      // Encoded now: the caller may change its object once we return.
      const content = encodeRecord(record);
      const owner = record.userId;
      return withKeyLock(key, async () => {
        const loaded = await loadReporting(key);
        // Never overwrite a live record; an expired or unreadable one counts as absent.
        if (liveRecord(loaded, now()) !== undefined) return false;
        const previousOwner = loaded.kind === 'record' ? loaded.record.userId : undefined;
        await writeSession(key, content, owner, previousOwner);
        return true;
      });
    },

    async update(key, delta) {
      check(key);
      const change = {
        set: JSON.parse(JSON.stringify(delta.set)) as StoredData,
        remove: [...delta.remove],
      };
      const { expiresAt, userId } = delta;
      return withKeyLock(key, async () => {
        // Read under the lock, so the delta lands on the latest data.
        const current = liveRecord(await loadReporting(key), now());
        // Missing or expired: write nothing, so a concurrent logout wins (connect-redis #328).
        if (current === undefined) return false;
        const next: SessionRecord = {
          data: applyDelta(current.data, change),
          createdAt: current.createdAt,
          expiresAt,
          userId: userId === undefined ? current.userId : userId,
        };
        await writeSession(key, encodeRecord(next), next.userId, current.userId);
        return true;
      });
    },

    async rotate(oldKey, newKey, record) {
      check(oldKey);
      check(newKey);
      if (oldKey === newKey) {
        throw new TypeError('file store: rotate() needs a new key different from the old one.');
      }
      const content = encodeRecord(record);
      const owner = record.userId;
      // Issue 10: the old session is checked and removed under its lock, with
      // the new one's lock held too, so a logout (destroy, destroyUserSessions)
      // either runs first and the rotation answers false, or runs after and
      // finds the new key. Locks are taken in key order: two operations that
      // each hold one of a pair of keys never wait for each other in a cycle.
      const [first, second] = oldKey < newKey ? [oldKey, newKey] : [newKey, oldKey];
      return withKeyLock(first, () =>
        withKeyLock(second, async () => {
          const time = now();
          const current = liveRecord(await loadReporting(oldKey), time);
          // Missing or expired: a concurrent logout won; write nothing.
          if (current === undefined) return false;
          const target = await loadReporting(newKey);
          if (liveRecord(target, time) !== undefined) {
            throw new Error(
              `file store: rotate() was given a new key whose session file ${layout.sessionFile(newKey)} holds a live session; nothing was changed.`,
            );
          }
          // The marker before the file naming its owner (user-index.ts).
          if (owner !== null) await userIndex.add(owner, newKey);
          // The new file is written aside first, so a full disk fails the
          // rotation before the old session is touched; then the old file goes
          // and the new one is renamed in. A crash between the two leaves no
          // session rather than two (the old id must not outlive a login).
          const prepared = await prepareFileAtomic(
            layout.sessionFile(newKey),
            content,
            writeOptions,
          );
          try {
            await rm(layout.sessionFile(oldKey), { force: true });
          } catch (error) {
            await prepared.abandon();
            throw error;
          }
          // Flushes the directory with fsync: the removal and the rename together.
          await prepared.commit();
          // Markers that no file backs any more: the old key's, and that of an
          // expired leftover the new key replaced.
          if (current.userId !== null) await userIndex.remove(current.userId, oldKey);
          const replacedOwner = target.kind === 'record' ? target.record.userId : null;
          if (replacedOwner !== null && replacedOwner !== owner) {
            await userIndex.remove(replacedOwner, newKey);
          }
          return true;
        }),
      );
    },

    async touch(key, expiresAt) {
      check(key);
      return withKeyLock(key, async () => {
        // The data is read under the lock, so a touch never writes back stale
        // data over a concurrent update (session-file-store PR #55).
        const current = liveRecord(await loadReporting(key), now());
        if (current === undefined) return false;
        const next = { ...current, expiresAt };
        await writeSession(key, encodeRecord(next), next.userId, current.userId);
        return true;
      });
    },

    async destroy(key) {
      check(key);
      // Under the lock: an update holding it would otherwise rename its file
      // back after the removal and resurrect the session.
      await withKeyLock(key, async () => {
        await removeSession(key, await load(key));
        if (settings.fsync) await syncDirectory(layout.root);
      });
    },

    async clearExpired(clearOptions: ClearExpiredOptions = {}) {
      checkOpen();
      const batchSize = clearOptions.batchSize ?? DEFAULT_CLEAR_EXPIRED_BATCH_SIZE;
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new RangeError(
          `clearExpired: option "batchSize" must be a positive integer, got ${String(batchSize)}. ` +
            `Leave it out for ${DEFAULT_CLEAR_EXPIRED_BATCH_SIZE}.`,
        );
      }
      // One cut-off for the whole run, so it ends even while records keep expiring.
      const cutoff = now();
      let removed = 0;
      let reported = 0;
      for await (const entry of directoryEntries(layout.root, !settings.createDirectory)) {
        const name = entry.name;
        const path = join(layout.root, name);
        const session = SESSION_FILE_NAME.exec(name);
        if (session?.[1] !== undefined) {
          if (await removeIfExpired(session[1], cutoff)) {
            removed += 1;
            if (removed - reported >= batchSize) {
              reported = removed;
              clearOptions.onProgress?.(removed);
            }
          }
        } else if (LOCK_FILE_NAME.test(name)) {
          await breakFileLockIfStale(path, settings.lockStaleMs);
        } else if (TEMP_FILE_NAME.test(name) || BREAK_FILE_NAME.test(name)) {
          // Left by a writer that crashed; a write in progress is younger than this.
          await removeIfOlderThan(path, settings.lockStaleMs);
        }
      }
      await sweepUserIndex();
      if (settings.fsync && removed > 0) await syncDirectory(layout.root);
      if (removed > reported) clearOptions.onProgress?.(removed);
      return removed;
    },

    async listUserSessions(userId) {
      checkUserId(userId);
      checkOpen();
      const time = now();
      const keys = await userIndex.keysOf(userId);
      const sessions: UserSessionInfo[] = [];
      for (const key of keys) {
        const record = liveRecord(await loadReporting(key), time);
        // The file is the truth: a marker left by a crash is ignored.
        if (record === undefined || record.userId !== userId) continue;
        const { createdAt, expiresAt, data } = record;
        sessions.push({ key, createdAt, expiresAt, data });
      }
      return sessions.sort((a, b) => a.createdAt - b.createdAt);
    },

    async destroyUserSessions(userId, destroyOptions = {}) {
      checkUserId(userId);
      checkOpen();
      const keys = await userIndex.keysOf(userId);
      let destroyed = 0;
      for (const key of keys) {
        if (key === destroyOptions.exceptKey) continue;
        await withKeyLock(key, async () => {
          const loaded = await load(key);
          if (loaded.kind === 'record' && loaded.record.userId === userId) {
            await rm(layout.sessionFile(key), { force: true });
            // Expired sessions are removed too, but only live ones are counted as destroyed.
            if (loaded.record.expiresAt > now()) destroyed += 1;
          }
          await userIndex.remove(userId, key);
        });
      }
      if (settings.fsync && keys.length > 0) await syncDirectory(layout.root);
      return destroyed;
    },

    async stats() {
      checkOpen();
      const time = now();
      const stats: StoreStats = { count: 0, expired: 0, bytes: 0 };
      for await (const entry of directoryEntries(layout.root, !settings.createDirectory)) {
        const session = SESSION_FILE_NAME.exec(entry.name);
        if (session?.[1] === undefined) continue;
        const loaded = await loadReporting(session[1]);
        // Removed since the listing.
        if (loaded.kind === 'missing') continue;
        stats.count += 1;
        stats.bytes += loaded.bytes;
        if (liveRecord(loaded, time) === undefined) stats.expired += 1;
      }
      return stats;
    },

    listSessions: listings.listSessions,
    pageSessions: listings.pageSessions,
    countSessions: listings.countSessions,
    describeSessions: listings.describeSessions,

    async ready() {
      checkOpen();
      if (settings.createDirectory) await createDirectories(layout.root, layout.usersRoot);
      await checkDirectory(layout.root);
    },

    async migrate() {
      checkOpen();
      const created = await createDirectories(layout.root, layout.usersRoot);
      await checkDirectory(layout.root);
      // Reported once: a later call answers only what it creates itself.
      const reported = [...createdOnOpen.splice(0)];
      if (created) reported.push(`directory ${JSON.stringify(layout.root)}`);
      return { directory: layout.root, created: reported };
    },

    async close() {
      closed = true;
      await mutex.idle();
    },
  };
}

/**
 * The entries of a directory, streamed (a million sessions are never listed
 * at once); none when it is missing, unless it is `required`.
 */
async function* directoryEntries(root: string, required = false): AsyncIterable<Dirent> {
  const directory = await unlessMissing(opendir(root), undefined);
  if (directory === undefined && required) throw missingDirectoryError(root);
  if (directory !== undefined) yield* directory;
}

function checkUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string') {
    throw new TypeError(`file store: a user id must be a string, got ${typeof userId}.`);
  }
}
