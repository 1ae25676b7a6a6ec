import { describe, expect, it, vi } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { generateSessionId } from '../../src/core/index.js';
import { fakeStore, runInProcess, useTempDatabases } from './cli-fixtures.js';

const HOUR = 3_600_000;

const tempDatabase = useTempDatabases();

describe('tessera-session revoke <session id or store key>', () => {
  it('destroys the session the id names, keeps the others, and says it revoked one', async () => {
    const database = tempDatabase();
    const target = database.addSession({ userId: 'ada' });
    const other = database.addSession({ userId: 'ada' });

    const run = await runInProcess(['revoke', target, '--store', database.url]);

    expect(run).toEqual({ code: 0, stdout: `Revoked 1 session in ${database.url}.\n`, stderr: '' });
    expect(database.holds(target)).toBe(false);
    expect(database.holds(other)).toBe(true);
  });

  it('destroys the session a store key names, as "list" shows it', async () => {
    const database = tempDatabase();
    const target = database.addSession();

    const run = await runInProcess([
      'revoke',
      digestSessionIdNode(target),
      '--store',
      database.url,
    ]);

    expect(run.stdout).toBe(`Revoked 1 session in ${database.url}.\n`);
    expect(database.holds(target)).toBe(false);
  });

  it('revokes 0 for an unknown id and exits 0, so it can be run again safely', async () => {
    const database = tempDatabase();
    const target = database.addSession();

    await runInProcess(['revoke', target, '--store', database.url]);
    const again = await runInProcess(['revoke', target, '--store', database.url]);

    expect(again).toEqual({
      code: 0,
      stdout: `Revoked 0 sessions: no live session has that id in ${database.url}.\n`,
      stderr: '',
    });
  });

  it('removes an expired record at once, counting it as nothing revoked', async () => {
    const database = tempDatabase();
    const expired = database.addSession({ expiresAt: Date.now() - HOUR });
    const key = digestSessionIdNode(expired);

    const run = await runInProcess(['revoke', key, '--store', database.url]);

    expect(run.stdout).toBe(
      `Revoked 0 sessions: no live session has that key in ${database.url}.\n`,
    );
    expect(database.holds(expired)).toBe(false);
  });

  it('says whether the session is live with --dry-run, and keeps it', async () => {
    const database = tempDatabase();
    const target = database.addSession();

    const run = await runInProcess(['revoke', target, '--dry-run', '--store', database.url]);
    const unknown = await runInProcess([
      'revoke',
      generateSessionId(),
      '--dry-run',
      '--store',
      database.url,
    ]);

    expect(run.stdout).toBe(
      `Would revoke 1 session in ${database.url} (--dry-run: nothing was revoked).\n`,
    );
    expect(unknown.stdout).toBe(
      `Would revoke 0 sessions: no live session has that id in ${database.url}.\n`,
    );
    expect(database.holds(target)).toBe(true);
  });

  it('exits 2 for an argument that is neither an id nor a store key, without opening the store', async () => {
    const openStore = vi.fn();

    const run = await runInProcess(['revoke', 'sid=abc'], { openStore });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Not a Tessera session id or store key: "sid=abc"\./);
    expect(openStore).not.toHaveBeenCalled();
  });
});

describe('tessera-session revoke --user <user id>', () => {
  it('destroys every session of the user, and only theirs, and says how many were live', async () => {
    const database = tempDatabase();
    const mine = [database.addSession({ userId: 'ada' }), database.addSession({ userId: 'ada' })];
    const expired = database.addSession({ userId: 'ada', expiresAt: Date.now() - HOUR });
    const theirs = database.addSession({ userId: 'grace' });
    const anonymous = database.addSession();

    const run = await runInProcess(['revoke', '--user', 'ada', '--store', database.url]);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    // The store keys of the live sessions it revoked first, then how many.
    expect(
      lines
        .slice(0, -1)
        .map((line) => line.slice(0, 64))
        .sort(),
    ).toEqual(mine.map((id) => digestSessionIdNode(id)).sort());
    expect(lines[0]).toMatch(/^[0-9a-f]{64} {2}created \S+Z {2}expires \S+Z$/);
    expect(lines.at(-1)).toBe(`Revoked 2 sessions of user "ada" in ${database.url}.`);
    for (const id of [...mine, expired]) expect(database.holds(id)).toBe(false);
    expect(database.holds(theirs)).toBe(true);
    expect(database.holds(anonymous)).toBe(true);
  });

  it('says "1 session" and "0 sessions"', async () => {
    const database = tempDatabase();
    database.addSession({ userId: 'ada' });

    const first = await runInProcess(['revoke', '--user', 'ada', '--store', database.url]);
    const second = await runInProcess(['revoke', '--user', 'ada', '--store', database.url]);

    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Revoked 1 session of user "ada" in ${database.url}.`,
    );
    expect(second.stdout).toBe(`Revoked 0 sessions of user "ada" in ${database.url}.\n`);
  });

  it('exits 2 without a session or --user, or with both, before opening the store', async () => {
    const openStore = vi.fn();

    const neither = await runInProcess(['revoke'], { openStore });
    const both = await runInProcess(['revoke', generateSessionId(), '--user', 'ada'], {
      openStore,
    });

    expect(neither).toEqual({
      code: 2,
      stdout: '',
      stderr:
        '"tessera-session revoke" takes a session id or store key, or --user <user id>.\n' +
        'Run "tessera-session --help" for usage.\n',
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      '"tessera-session revoke" takes a session id or store key, or --user <user id>, not both.\n' +
        'Run "tessera-session --help" for usage.\n',
    );
    expect(openStore).not.toHaveBeenCalled();
  });

  it('shows the sessions with --dry-run and revokes nothing', async () => {
    const database = tempDatabase();
    const mine = [database.addSession({ userId: 'ada' }), database.addSession({ userId: 'ada' })];

    const run = await runInProcess([
      'revoke',
      '--user',
      'ada',
      '--dry-run',
      '--store',
      database.url,
    ]);

    const lines = run.stdout.trimEnd().split('\n');
    expect(
      lines
        .slice(0, -1)
        .map((line) => line.slice(0, 64))
        .sort(),
    ).toEqual(mine.map((id) => digestSessionIdNode(id)).sort());
    expect(lines.at(-1)).toBe(
      `Would revoke 2 sessions of user "ada" in ${database.url} (--dry-run: nothing was revoked).`,
    );
    for (const id of mine) expect(database.holds(id)).toBe(true);
  });

  it('lists every session of a user with more than a page of them (1000)', async () => {
    const database = tempDatabase();
    for (let index = 0; index < 1001; index += 1) database.addSession({ userId: 'bot' });

    const run = await runInProcess([
      'revoke',
      '--user',
      'bot',
      '--dry-run',
      '--store',
      database.url,
    ]);

    const lines = run.stdout.trimEnd().split('\n');
    expect(new Set(lines.slice(0, -1)).size).toBe(1001);
    expect(lines.at(-1)).toMatch(/^Would revoke 1001 sessions of user "bot"/);
  });

  it('destroys one by one what it listed on a store without destroyUserSessions', async () => {
    const key = 'b'.repeat(64);
    const destroy = vi.fn();
    const store = fakeStore({
      destroy,
      listUserSessions: () => [{ key, createdAt: 0, expiresAt: 1000, data: {} }],
    });

    const run = await runInProcess(['revoke', '--user', 'ada'], { openStore: async () => store });

    expect(run.stdout).toBe(
      `${key}  created 1970-01-01T00:00:00.000Z  expires 1970-01-01T00:00:01.000Z\n` +
        'Revoked 1 session of user "ada" in sqlite:.tessera/sessions.db.\n',
    );
    expect(destroy).toHaveBeenCalledWith(key);
  });

  it('still revokes through destroyUserSessions on a store that cannot list by user, without --dry-run', async () => {
    const destroyUserSessions = vi.fn(() => 3);
    const openStore = async () => fakeStore({ destroyUserSessions });

    const run = await runInProcess(['revoke', '--user', 'ada'], { openStore });
    const dry = await runInProcess(['revoke', '--user', 'ada', '--dry-run'], { openStore });

    expect(run.stdout).toBe('Revoked 3 sessions of user "ada" in sqlite:.tessera/sessions.db.\n');
    expect(dry).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The fake store cannot list sessions by user, so --dry-run cannot show them.\n',
    });
    expect(destroyUserSessions).toHaveBeenCalledTimes(1);
  });

  it('exits 1 for a store that cannot find sessions by user, and closes it', async () => {
    const store = fakeStore();

    const run = await runInProcess(['revoke', '--user', 'ada'], { openStore: async () => store });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The fake store cannot find sessions by user; revoke them one by one.\n',
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });
});
