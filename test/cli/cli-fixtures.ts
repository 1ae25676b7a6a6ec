/**
 * Helpers for the CLI tests: captured output streams, a temporary SQLite
 * database seeded through the store itself, in-process runs of `runCli`, runs
 * of the real executable, and a store double.
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, vi } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { type CliContext, type CliOutput, runCli } from '../../src/cli/run-cli.js';
import { generateSessionId } from '../../src/core/index.js';
import type { SessionRecord, SessionStore, StoredData } from '../../src/core/store.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** An output stream that keeps what is written. */
export interface CapturedOutput extends CliOutput {
  readonly text: string;
}

export function captureOutput(isTTY = false): CapturedOutput {
  let text = '';
  return {
    isTTY,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

/** What one in-process run printed and answered. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams; `SESSION_STORE` is unset unless given in `env`. */
export async function runInProcess(
  args: readonly string[],
  options: Partial<Pick<CliContext, 'env' | 'openStore'>> & { tty?: boolean } = {},
): Promise<CliRun> {
  const stdout = captureOutput(options.tty);
  const stderr = captureOutput(options.tty);
  const code = await runCli(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    openStore: options.openStore,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the real executable (through tsx) and answers its exit code and output; `SESSION_STORE` is unset. */
export function spawnCli(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.SESSION_STORE;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', ...args],
      { cwd: REPO_ROOT, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A store double: every method a spy; `overrides` replace some. */
export function fakeStore(overrides: Partial<SessionStore> = {}): SessionStore & {
  close: ReturnType<typeof vi.fn>;
} {
  return {
    name: 'fake',
    read: vi.fn(() => null),
    create: vi.fn(() => true),
    update: vi.fn(() => true),
    touch: vi.fn(() => true),
    destroy: vi.fn(),
    clearExpired: vi.fn(() => 0),
    close: vi.fn(),
    ...overrides,
  } as SessionStore & { close: ReturnType<typeof vi.fn> };
}

/** A temporary directory holding one SQLite session database. */
export interface TempDatabase {
  directory: string;
  path: string;
  /** `sqlite:<path>`, as passed to `--store`. */
  url: string;
  /** Stores a session under `id` (a fresh one by default) and answers the id (the cookie's value). */
  addSession(record?: Partial<SessionRecord>, id?: string): string;
  /** Creates the database file and its table, empty (as `migrate` or the application would). */
  create(): void;
  /** Stores `count` expired sessions in one transaction. */
  addExpiredSessions(count: number): void;
  /** Whether a session is still stored (expired or not), by its id. */
  holds(id: string): boolean;
  /** Removes the directory and everything in it. */
  remove(): void;
}

const HOUR = 3_600_000;

/**
 * The temporary databases of one test file: call it at the top of the file;
 * each database the returned function makes is removed after its test, and
 * its directory is checked to be gone.
 */
export function useTempDatabases(): () => TempDatabase {
  let made: TempDatabase[] = [];
  afterEach(() => {
    for (const database of made) {
      database.remove();
      expect(existsSync(database.directory)).toBe(false);
    }
    made = [];
  });
  return () => {
    const database = createTempDatabase();
    made.push(database);
    return database;
  };
}

/** A new temporary directory with one SQLite session database in it (not yet created). */
export function createTempDatabase(): TempDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  const path = join(directory, 'sessions.db');
  const withStore = <T>(work: (store: ReturnType<typeof createSqliteStore>) => T): T => {
    const store = createSqliteStore({ path });
    try {
      return work(store);
    } finally {
      store.close();
    }
  };
  const record = (overrides: Partial<SessionRecord>): SessionRecord => ({
    data: {} as StoredData,
    createdAt: Date.now() - HOUR,
    expiresAt: Date.now() + HOUR,
    userId: null,
    ...overrides,
  });
  return {
    directory,
    path,
    url: `sqlite:${path}`,
    addSession(overrides = {}, id = generateSessionId()) {
      withStore((store) => store.create(digestSessionIdNode(id), record(overrides)));
      return id;
    },
    create() {
      withStore(() => undefined);
    },
    addExpiredSessions(count) {
      withStore((store) => {
        const expired = record({ expiresAt: Date.now() - HOUR });
        store.connection.exec('BEGIN');
        for (let i = 0; i < count; i++)
          store.create(digestSessionIdNode(generateSessionId()), expired);
        store.connection.exec('COMMIT');
      });
    },
    holds(id) {
      return withStore(
        (store) =>
          store.connection
            .prepare('SELECT 1 FROM tessera_sessions WHERE key = ?')
            .get(digestSessionIdNode(id)) !== undefined,
      );
    },
    remove() {
      rmSync(directory, { recursive: true, force: true });
      if (existsSync(directory)) throw new Error(`could not remove ${directory}`);
    },
  };
}
