/**
 * A lock shared by every process using the store's directory, as a lock file
 * (`fs.flock` does not exist in Node). The protocol:
 *
 * 1. **Take**: create `<key>.lock` with `O_CREAT | O_EXCL` (flag `'wx'`),
 *    which exactly one process wins, and write `{pid, host, token}` into it.
 *    The losers poll with a growing, jittered delay until `timeoutMs`, then
 *    fail: a request never waits forever.
 * 2. **Release**: remove the file, only if it still holds our token (if it
 *    was broken as stale meanwhile, it may be someone else's now).
 * 3. **Break a stale lock**: a lock is stale when its owner is a process of
 *    this machine (same host name and, on Linux, same pid namespace: two
 *    containers sharing a volume may share a host name but not their pids)
 *    that no longer exists (killed while holding it), or when
 *    the file is older than `staleMs` (an owner on another machine, or a
 *    recycled pid). Breaking happens under `<key>.lock.break`, itself taken
 *    with `'wx'`, after checking the lock is still the very file judged stale:
 *    two breakers can therefore never remove a fresh lock taken in between.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, unlessMissing } from './fs-errors.js';

/** How locks are taken. */
export interface FileLockOptions {
  /** Give up waiting for a held lock after this many milliseconds. */
  readonly timeoutMs: number;
  /** A lock file older than this is abandoned. */
  readonly staleMs: number;
  /** Permission bits of the lock file. */
  readonly mode: number;
}

/** A lock this process holds. */
export interface HeldFileLock {
  /** Removes the lock; answers `false` when it had been broken (and is not ours any more). */
  release(): Promise<boolean>;
}

/** What a lock file says about its owner. */
interface LockOwner {
  readonly pid: number;
  /** Where `pid` is meaningful: see {@link lockOwnerHost}. */
  readonly host: string;
  readonly token: string;
}

/** A lock file as found on the disk. */
interface LockSighting {
  readonly inode: number;
  readonly modifiedAt: number;
  /** `undefined` while the owner has not written it yet, or when unreadable. */
  readonly owner: LockOwner | undefined;
}

const FIRST_DELAY_MS = 1;
const LONGEST_DELAY_MS = 50;

/** Takes the lock file `path`, waiting at most `options.timeoutMs` for its holder. */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions,
): Promise<HeldFileLock> {
  const owner: LockOwner = {
    pid: process.pid,
    host: lockOwnerHost(),
    token: randomBytes(12).toString('hex'),
  };
  const deadline = Date.now() + options.timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    if (await tryCreateLock(path, owner, options.mode)) {
      return { release: () => releaseFileLock(path, owner.token) };
    }
    // A lock that vanished or was broken may be free now: retry at once.
    if (await breakFileLockIfStale(path, options.staleMs)) continue;
    if (Date.now() >= deadline) {
      throw new Error(
        `file store: the lock ${path} stayed held by another writer for ${options.timeoutMs} ms ` +
          '(option "lockTimeoutMs"). It is broken automatically once its owner process has exited, ' +
          `or when it is older than option "lockStaleMs" (${options.staleMs} ms).`,
      );
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, LONGEST_DELAY_MS);
  }
}

/**
 * Breaks the lock file `path` if it is stale (see the module comment).
 * Answers `true` when the lock is gone (broken here, or released meanwhile).
 */
export async function breakFileLockIfStale(path: string, staleMs: number): Promise<boolean> {
  const seen = await inspectLock(path);
  if (seen === undefined) return true;
  if (!isStale(seen, staleMs)) return false;
  const breaker = `${path}.break`;
  try {
    const handle = await open(breaker, 'wx', 0o600);
    await handle.close();
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    // Another process is breaking it; a breaker that died midway is itself stale.
    await removeIfOlderThan(breaker, staleMs);
    return false;
  }
  try {
    const again = await inspectLock(path);
    if (again !== undefined && isSameLock(again, seen)) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
  return true;
}

/** Removes the file `path` if it was last modified `ageMs` or more ago (by the real clock). */
export async function removeIfOlderThan(path: string, ageMs: number): Promise<boolean> {
  const info = await unlessMissing(stat(path), undefined);
  if (info === undefined || Date.now() - info.mtimeMs < ageMs) return false;
  await rm(path, { force: true });
  return true;
}

async function tryCreateLock(path: string, owner: LockOwner, mode: number): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', mode);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner), 'utf8');
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

async function releaseFileLock(path: string, token: string): Promise<boolean> {
  const current = await inspectLock(path);
  if (current?.owner?.token !== token) return false;
  await rm(path, { force: true });
  return true;
}

async function inspectLock(path: string): Promise<LockSighting | undefined> {
  const info = await unlessMissing(stat(path), undefined);
  if (info === undefined) return undefined;
  const text = await unlessMissing(readFile(path, 'utf8'), undefined);
  if (text === undefined) return undefined;
  return { inode: info.ino, modifiedAt: info.mtimeMs, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host, token } = value as Record<string, unknown>;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
    if (typeof host !== 'string' || typeof token !== 'string') return undefined;
    return { pid: pid as number, host, token };
  } catch {
    // Being written right now (empty), or damaged: judged by its age alone.
    return undefined;
  }
}

function isStale(lock: LockSighting, staleMs: number): boolean {
  if (Date.now() - lock.modifiedAt >= staleMs) return true;
  const owner = lock.owner;
  if (owner === undefined || owner.host !== lockOwnerHost() || owner.pid === process.pid) {
    return false;
  }
  return !processExists(owner.pid);
}

function isSameLock(a: LockSighting, b: LockSighting): boolean {
  return a.inode === b.inode && a.modifiedAt === b.modifiedAt && a.owner?.token === b.owner?.token;
}

let ownHost: string | undefined;

/**
 * The space in which this process's id is meaningful, as written in its
 * locks: the host name, plus the pid namespace where Linux shows it.
 */
export function lockOwnerHost(): string {
  if (ownHost === undefined) {
    let namespace = '';
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // Not Linux, or no /proc: the host name alone.
    }
    ownHost = namespace === '' ? hostname() : `${hostname()} ${namespace}`;
  }
  return ownHost;
}

/** Whether a process with this id exists on this machine (signal 0 only checks). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}
