/**
 * Helpers for the CLI tests: captured output streams, a temporary SQLite
 * database seeded through the store itself, and in-process runs of `runCli`.
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { type CliContext, type CliOutput, runCli } from '../../src/cli/run-cli.js';
import { generateSessionId } from '../../src/core/index.js';
import type { SessionRecord, StoredData } from '../../src/core/store.js';
import { createSqliteStore } from '../../src/stores/sqlite/index.js';

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

/** A temporary directory holding one SQLite session database. */
export interface TempDatabase {
  directory: string;
  path: string;
  /** `sqlite:<path>`, as passed to `--store`. */
  url: string;
  /** Stores a session under `id` (a fresh one by default) and answers the id (the cookie's value). */
  addSession(record?: Partial<SessionRecord>, id?: string): string;
  /** Stores `count` expired sessions in one transaction. */
  addExpiredSessions(count: number): void;
  /** Whether a session is still stored (expired or not), by its id. */
  holds(id: string): boolean;
  /** Removes the directory and everything in it. */
  remove(): void;
}

const HOUR = 3_600_000;

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
