/**
 * `tessera-session admin`, the real executable, on a files store: the
 * one-time login, authorization by its cookie, and a revoke through the
 * served pages; and its command-line checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/cli/serve-admin.js';
import { createFileStore, type FileStore } from '../../src/stores/file/index.js';
import { runInProcess } from '../cli/cli-fixtures.js';
import { listen } from '../helpers/listen.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { type RunningAdminCli, startAdminCli } from './admin-cli.js';
import { createAdminClient, type SeededSession, seedSessions } from './admin-fixtures.js';

describe('tessera-session admin on a files store', () => {
  let dir: TempDir;
  let store: FileStore;
  let sessions: SeededSession[];
  let admin: RunningAdminCli;

  beforeAll(async () => {
    dir = await createTempDir('tessera-admin-');
    store = createFileStore({ directory: dir.file('sessions') });
    sessions = await seedSessions(store, { count: 12, users: ['ada', 'bob', null] });
    admin = await startAdminCli(`file:${dir.file('sessions')}`);
  }, 40_000);
  afterAll(async () => {
    const code = await admin?.stop();
    expect(code).toBe(0);
    await store?.close?.();
    await dir?.remove();
  });

  const browser = () => createAdminClient((request) => fetch(request), admin.url);

  it('serves on 127.0.0.1 on a free port and prints the login URL with a 32-byte token', () => {
    expect(admin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(admin.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?token=[A-Za-z0-9_-]{43}$/);
    expect(admin.output().stderr).toBe('');
  });

  it('answers 403, showing nothing of the store, without the login cookie', async () => {
    const response = await browser().get('/sessions?user=ada');
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).not.toContain(sessions[0]!.key.slice(0, 12));
    expect(page).not.toMatch(/id="count"/);
  });

  it('logs in once with the token, then the token is spent', async () => {
    const client = browser();
    const login = await client.get(
      new URL(admin.loginUrl).pathname + new URL(admin.loginUrl).search,
    );
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    expect(login.headers.getSetCookie()[0]).toMatch(
      /^tessera-admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const overview = await client.get('/');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toMatch(/id="live">12</);

    const again = await browser().get(
      new URL(admin.loginUrl).pathname + new URL(admin.loginUrl).search,
    );
    expect(again.status).toBe(403);
    expect(again.headers.getSetCookie()).toEqual([]);

    // A guessed cookie is no login either.
    const guessed = browser();
    guessed.cookies.set('tessera-admin', 'A'.repeat(43));
    expect((await guessed.get('/')).status).toBe(403);

    // The logged-in browser revokes a user's sessions through the pages.
    const list = await client.get('/sessions?user=bob');
    expect(await list.text()).toMatch(/id="count">4</);
    const revoked = await client.post('/user/revoke', { user: 'bob' });
    expect(revoked.status).toBe(303);
    expect(await store.countSessions({ userId: 'bob' })).toBe(0);
    expect(await store.countSessions()).toBe(8);
  });
});

describe('tessera-session admin on the command line', () => {
  it('warns when --host binds beyond this machine, and serves there', async () => {
    const dir = await createTempDir('tessera-admin-host-');
    const store = createFileStore({ directory: dir.file('sessions') });
    await store.migrate();
    const admin = await startAdminCli(`file:${dir.file('sessions')}`, ['--host', '0.0.0.0']);
    try {
      expect(admin.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
      // stderr and stdout are separate pipes: the warning may arrive after the URL.
      await expect
        .poll(() => admin.output().stderr)
        .toMatch(/^Warning: serving on 0\.0\.0\.0, not only on this machine/);
    } finally {
      expect(await admin.stop()).toBe(0);
      await dir.remove();
    }
  }, 40_000);

  it('exits 1 naming the address when the port is taken', async () => {
    const dir = await createTempDir('tessera-admin-port-');
    const taken = await listen(() => {});
    try {
      const store = createFileStore({ directory: dir.file('sessions') });
      await store.migrate();
      const run = await runInProcess([
        'admin',
        '--port',
        String(taken.port),
        '--store',
        `file:${dir.file('sessions')}`,
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Cannot serve the admin on 127.0.0.1:${taken.port}:`);
      expect(run.stderr).toContain('EADDRINUSE');
    } finally {
      await taken.close();
      await dir.remove();
    }
  });

  it('treats 127.0.0.0/8, ::1 and localhost as this machine only', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.5', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });

  it('exits 2 for a port that is not a number', async () => {
    const run = await runInProcess(['admin', '--port', 'eighty', '--store', 'sqlite:./nowhere.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Option --port must be a port number from 0 to 65535');
  });

  it('refuses options that belong to other commands', async () => {
    const run = await runInProcess(['admin', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Option --json does not apply to "tessera-session admin"');
  });

  it('is in the usage', async () => {
    const run = await runInProcess(['--help']);
    expect(run.stdout).toContain('admin [--port <n>] [--host <address>]');
  });
});
