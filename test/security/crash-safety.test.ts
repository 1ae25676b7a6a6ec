/**
 * Crash safety: an app process killed with SIGKILL in the middle of a stream
 * of writes loses nothing it acknowledged. Every key whose request got a 2xx is
 * there after a restart on the same SQLite file / file-store directory, and the
 * data is not corrupt (`PRAGMA integrity_check` is "ok"; every session file
 * parses). A session layer that answered before its write was durable (or wrote
 * files in place) would fail this.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = 'test/security/fixtures/crash-app.ts';
const SESSIONS = 4;

interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
}

/** Starts the fixture app and waits for its LISTENING line. */
function startApp(store: 'sqlite' | 'file', path: string): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', APP], {
    cwd: ROOT,
    env: { ...process.env, STORE: store, STORE_PATH: path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crash-app did not start: ${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, baseUrl: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`crash-app exited with ${code}: ${output}`));
    });
  });
}

function killHard(app: AppProcess): Promise<void> {
  return new Promise((resolve) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return resolve();
    app.child.once('exit', () => resolve());
    app.child.kill('SIGKILL');
  });
}

/** A client session: its cookie and every key the server acknowledged with a 2xx. */
interface ClientSession {
  cookie: string;
  acknowledged: string[];
}

/**
 * Opens {@link SESSIONS} sessions, then streams writes (each a distinct key) on
 * all of them at once, and kills the app with SIGKILL mid-stream.
 */
async function streamAndKill(app: AppProcess): Promise<ClientSession[]> {
  const sessions: ClientSession[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const response = await fetch(`${app.baseUrl}/write?key=s${s}_0`);
    expect(response.status).toBe(200);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^sessionid=/);
    sessions.push({ cookie, acknowledged: [`s${s}_0`] });
  }
  let killed = false;
  const writers = sessions.map(async (session, s) => {
    for (let n = 1; !killed; n++) {
      const key = `s${s}_${n}`;
      try {
        const response = await fetch(`${app.baseUrl}/write?key=${key}`, {
          headers: { cookie: session.cookie },
        });
        await response.text();
        if (response.status >= 200 && response.status < 300) session.acknowledged.push(key);
      } catch {
        return; // the connection died with the process
      }
    }
  });
  // Kill once a good number of writes were acknowledged, i.e. in the middle of the stream.
  while (sessions.reduce((sum, s) => sum + s.acknowledged.length, 0) < 400) await sleep(5);
  await killHard(app);
  killed = true;
  await Promise.all(writers);
  return sessions;
}

/** After the restart: every acknowledged key is in its session. */
async function expectAllAcknowledged(app: AppProcess, sessions: ClientSession[]): Promise<void> {
  for (const session of sessions) {
    const response = await fetch(`${app.baseUrl}/keys`, { headers: { cookie: session.cookie } });
    const keys = new Set((await response.json()) as string[]);
    const missing = session.acknowledged.filter((key) => !keys.has(key));
    expect(missing, `acknowledged but lost (${session.acknowledged.length} acknowledged)`).toEqual(
      [],
    );
  }
}

describe('crash safety (kill -9 mid-stream, then restart)', () => {
  let temp: TempDir | undefined;
  const running: AppProcess[] = [];

  afterEach(async () => {
    for (const app of running.splice(0)) await killHard(app);
    await temp?.remove();
    temp = undefined;
  });

  it('SQLite: every acknowledged write survives and the database passes integrity_check', async () => {
    temp = await createTempDir('tessera-sec-crash-sqlite-');
    const file = temp.file('sessions.db');
    const first = await startApp('sqlite', file);
    running.push(first);
    const sessions = await streamAndKill(first);

    const second = await startApp('sqlite', file);
    running.push(second);
    await expectAllAcknowledged(second, sessions);

    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 60_000);

  it('file store: every acknowledged write survives and every session file parses', async () => {
    temp = await createTempDir('tessera-sec-crash-file-');
    const directory = temp.file('sessions');
    const first = await startApp('file', directory);
    running.push(first);
    const sessions = await streamAndKill(first);

    // Straight after the crash: no torn session file (writes go to a temp file, then rename).
    const names = (await readdir(directory)).filter((name) => name.endsWith('.json'));
    expect(names.length).toBe(SESSIONS);
    for (const name of names) {
      const text = await readFile(join(directory, name), 'utf8');
      expect(() => JSON.parse(text), name).not.toThrow();
    }

    const second = await startApp('file', directory);
    running.push(second);
    await expectAllAcknowledged(second, sessions);
  }, 60_000);
});
