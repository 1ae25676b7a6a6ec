import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { digestSessionIdNode } from '../../src/adapters/node/digest.js';
import { encodeValue, generateSessionId, type StoredData } from '../../src/core/index.js';
import { createFileStore } from '../../src/stores/file/index.js';
import { encodeSessionCursor } from '../../src/stores/page-sessions-options.js';
import { fakeStore, runInProcess, useTempDatabases } from './cli-fixtures.js';

const HOUR = 3_600_000;
const CREATED = Date.parse('2030-01-01T10:00:00.000Z');
const EXPIRES = Date.parse('2031-01-01T00:00:00.000Z');

const tempDatabase = useTempDatabases();

/** The arguments of the command a `Next page: tessera-session list …` line prints (no quoting needed here). */
function nextPageArguments(line: string | undefined): string[] {
  const command = /^Next page: tessera-session (.*)$/.exec(line ?? '')?.[1];
  if (command === undefined) throw new Error(`not a next-page line: ${JSON.stringify(line)}`);
  return command.split(' ');
}

/** A database holding three live sessions (one of them Ada's, one Grace's) and an expired one. */
function seededDatabase() {
  const database = tempDatabase();
  const anonymous = database.addSession({
    data: { cart: ['book'] },
    createdAt: CREATED,
    expiresAt: EXPIRES,
  });
  const ada = database.addSession({
    data: {
      _auth_user_id: 'ada',
      _csrf_token: 'secret-token',
      lastVisit: encodeValue('lastVisit', new Date('2030-01-01T11:00:00.000Z')),
    } as StoredData,
    createdAt: CREATED + 2000,
    expiresAt: EXPIRES,
    userId: 'ada',
  });
  const grace = database.addSession({
    data: { _auth_user_id: 'grace' },
    createdAt: CREATED + 1000,
    expiresAt: EXPIRES,
    userId: 'grace',
  });
  database.addSession({
    data: { old: true },
    createdAt: CREATED + 3000,
    expiresAt: Date.now() - HOUR,
    userId: 'ada',
  });
  const key = (id: string) => digestSessionIdNode(id);
  return { database, anonymous: key(anonymous), ada: key(ada), grace: key(grace) };
}

describe('tessera-session list', () => {
  it('lists the live sessions newest first: store key, user, created, expires, and only the names and size of their data', async () => {
    const { database, anonymous, ada, grace } = seededDatabase();

    const run = await runInProcess(['list', '--store', database.url]);

    const adaBytes = Buffer.byteLength(
      JSON.stringify({
        _auth_user_id: 'ada',
        _csrf_token: 'secret-token',
        lastVisit: encodeValue('lastVisit', new Date('2030-01-01T11:00:00.000Z')),
      }),
    );
    expect(run).toEqual({
      code: 0,
      stdout: [
        `KEY${' '.repeat(61)}  USER   CREATED                   EXPIRES                   DATA`,
        `${ada}  ada    2030-01-01T10:00:02.000Z  2031-01-01T00:00:00.000Z  3 keys, ${adaBytes} bytes: _auth_user_id, _csrf_token, lastVisit`,
        `${grace}  grace  2030-01-01T10:00:01.000Z  2031-01-01T00:00:00.000Z  1 key, 25 bytes: _auth_user_id`,
        `${anonymous}  -      2030-01-01T10:00:00.000Z  2031-01-01T00:00:00.000Z  1 key, 17 bytes: cart`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(run.stdout).not.toContain('secret-token');
  });

  it('shows the values with --show-data, decoded as the session sees them', async () => {
    const { database, ada } = seededDatabase();

    const run = await runInProcess([
      'list',
      '--show-data',
      '--user',
      'ada',
      '--store',
      database.url,
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe(
      `${ada}  ada   2030-01-01T10:00:02.000Z  2031-01-01T00:00:00.000Z  ` +
        '{"_auth_user_id":"ada","_csrf_token":"secret-token","lastVisit":"2030-01-01T11:00:00.000Z"}',
    );
  });

  it('prints a JSON array with --json: ISO dates, data keys and size, and the values only with --show-data', async () => {
    const { database, anonymous, ada, grace } = seededDatabase();

    const redacted = await runInProcess(['list', '--json', '--store', database.url]);
    const shown = await runInProcess(['list', '--json', '--show-data', '--store', database.url]);

    expect(redacted.code).toBe(0);
    const listed = JSON.parse(redacted.stdout) as Record<string, unknown>[];
    expect(listed.map((session) => session.key)).toEqual([ada, grace, anonymous]);
    expect(listed[2]).toEqual({
      key: anonymous,
      userId: null,
      createdAt: '2030-01-01T10:00:00.000Z',
      expiresAt: '2031-01-01T00:00:00.000Z',
      dataKeys: ['cart'],
      dataBytes: 17,
    });
    expect(redacted.stdout).not.toContain('secret-token');
    const withData = JSON.parse(shown.stdout) as Record<string, unknown>[];
    expect(withData[0]).toMatchObject({
      key: ada,
      dataKeys: ['_auth_user_id', '_csrf_token', 'lastVisit'],
      data: {
        _auth_user_id: 'ada',
        _csrf_token: 'secret-token',
        lastVisit: '2030-01-01T11:00:00.000Z',
      },
    });
  });

  it("lists only one user's live sessions with --user", async () => {
    const { database, grace } = seededDatabase();

    const run = await runInProcess(['list', '--user', 'grace', '--json', '--store', database.url]);
    const nobody = await runInProcess(['list', '--user', 'nobody', '--store', database.url]);
    const nobodyJson = await runInProcess([
      'list',
      '--user',
      'nobody',
      '--json',
      '--store',
      database.url,
    ]);

    expect((JSON.parse(run.stdout) as { key: string }[]).map((session) => session.key)).toEqual([
      grace,
    ]);
    expect(nobody).toEqual({
      code: 0,
      stdout: `No live sessions of user "nobody" in ${database.url}.\n`,
      stderr: '',
    });
    expect(nobodyJson.stdout).toBe('[]\n');
  });

  it('lists at most --limit sessions, the newest, and ends with the command printing the next page', async () => {
    const { database, anonymous, ada, grace } = seededDatabase();

    const run = await runInProcess(['list', '--limit', '2', '--store', database.url]);

    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(1, 3).map((line) => line.slice(0, 64))).toEqual([ada, grace]);
    expect(lines).toHaveLength(4);
    const next = nextPageArguments(lines.at(-1));
    expect(next).toEqual([
      'list',
      '--cursor',
      expect.stringMatching(/^[\w-]+$/),
      '--limit',
      '2',
      '--store',
      database.url,
    ]);

    const second = await runInProcess(next);

    const secondLines = second.stdout.trimEnd().split('\n');
    expect(secondLines.slice(1).map((line) => line.slice(0, 64))).toEqual([anonymous]);
    expect(second.stdout).not.toContain('Next page');
  });

  it('pages through every session with --cursor, one page per run, in either order', async () => {
    const database = tempDatabase();
    const keys = Array.from({ length: 5 }, (_, index) =>
      digestSessionIdNode(
        database.addSession({
          createdAt: CREATED + index * 1000,
          // The first created was used last.
          expiresAt: EXPIRES - index * 1000,
        }),
      ),
    );

    for (const [order, expected] of [
      ['created', [...keys].reverse()],
      ['last-used', keys],
    ] as const) {
      const listed: string[] = [];
      let args: string[] | undefined = [
        'list',
        '--order',
        order,
        '--limit',
        '2',
        '--json',
        '--store',
        database.url,
      ];
      let runs = 0;
      while (args !== undefined) {
        const run = await runInProcess(args);
        runs += 1;
        expect(run.code).toBe(0);
        listed.push(...(JSON.parse(run.stdout) as { key: string }[]).map((session) => session.key));
        // The JSON array stays alone on stdout; the next page's command goes to stderr.
        const nextLine = run.stderr.split('\n').find((line) => line.startsWith('Next page: '));
        args = nextLine === undefined ? undefined : nextPageArguments(nextLine);
        if (args !== undefined)
          expect(args).toEqual(expect.arrayContaining(['--order', order, '--json']));
      }
      expect(listed).toEqual(expected);
      expect(runs).toBe(3);
    }
  });

  it('prints { sessions, nextCursor } with --json --paged', async () => {
    const { database, anonymous, ada, grace } = seededDatabase();

    const first = await runInProcess([
      'list',
      '--json',
      '--paged',
      '--limit',
      '2',
      '--store',
      database.url,
    ]);
    const page = JSON.parse(first.stdout) as { sessions: { key: string }[]; nextCursor: string };
    const second = await runInProcess([
      'list',
      '--json',
      '--paged',
      '--limit',
      '2',
      '--cursor',
      page.nextCursor,
      '--store',
      database.url,
    ]);

    expect(first.stderr).toBe('');
    expect(page.sessions.map((session) => session.key)).toEqual([ada, grace]);
    expect(typeof page.nextCursor).toBe('string');
    expect(JSON.parse(second.stdout)).toEqual({
      sessions: [expect.objectContaining({ key: anonymous, dataKeys: ['cart'] })],
      nextCursor: null,
    });
  });

  it('writes the next page command for a shell: odd user ids quoted, the password masked', async () => {
    const session = {
      key: 'c'.repeat(64),
      userId: 'ada lovelace',
      createdAt: CREATED,
      expiresAt: EXPIRES,
      data: {},
    };
    const nextCursor = encodeSessionCursor('created', { value: CREATED, key: session.key });
    const pageSessions = vi.fn(() => ({ sessions: [session], nextCursor }));

    const run = await runInProcess(
      [
        'list',
        '--limit',
        '1',
        '--user',
        "ada lovelace's",
        '--store',
        'redis://:hunter2@127.0.0.1:6379',
      ],
      { openStore: async () => fakeStore({ pageSessions }) },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('hunter2');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Next page: tessera-session list --cursor ${nextCursor} --limit 1 --user 'ada lovelace'\\''s' --store 'redis://:***@127.0.0.1:6379'`,
    );
    expect(pageSessions).toHaveBeenCalledWith(
      expect.objectContaining({ limit: 1, order: 'created', userId: "ada lovelace's" }),
    );
  });

  it('says "No more live sessions" after an exactly full last page', async () => {
    const { database } = seededDatabase();

    const first = await runInProcess(['list', '--limit', '3', '--store', database.url]);
    const last = await runInProcess(nextPageArguments(first.stdout.trimEnd().split('\n').at(-1)));

    expect(last).toEqual({
      code: 0,
      stdout: `No more live sessions in ${database.url}.\n`,
      stderr: '',
    });
  });

  it('prints the number of live sessions with --count, of one user with --user', async () => {
    const { database } = seededDatabase();

    const all = await runInProcess(['list', '--count', '--store', database.url]);
    const ada = await runInProcess(['list', '--count', '--user', 'ada', '--store', database.url]);
    const json = await runInProcess(['list', '--count', '--json', '--store', database.url]);

    expect(all).toEqual({ code: 0, stdout: '3\n', stderr: '' });
    expect(ada.stdout).toBe('1\n');
    expect(JSON.parse(json.stdout)).toEqual({ sessions: 3 });
  });

  it('exits 1 for --count on a store that cannot count, naming it', async () => {
    const store = fakeStore();

    const run = await runInProcess(['list', '--count'], { openStore: async () => store });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The fake store cannot count its sessions.\n',
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('falls back to listSessions on a store without pageSessions: the newest only, no cursor', async () => {
    const session = {
      key: 'a'.repeat(64),
      userId: null,
      createdAt: CREATED,
      expiresAt: EXPIRES,
      data: {},
    };
    const listSessions = vi.fn(() => [session]);
    const openStore = async () => fakeStore({ listSessions });

    const run = await runInProcess(['list', '--limit', '1'], { openStore });
    const paged = await runInProcess(['list', '--order', 'last-used'], { openStore });

    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      '(the 1 newest; pass --limit to list more)',
    );
    expect(paged).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The fake store lists only the newest sessions by creation: it has no pageSessions(), so --cursor and --order last-used are unavailable; list more at once with --limit.\n',
    });
  });

  it.each([
    [['--order', 'newest'], '--order must be "created" or "last-used", got "newest".'],
    [['--cursor', 'not-a-cursor'], '--cursor "not-a-cursor" is not a cursor of this listing'],
    [['--limit', '1001'], '--limit must be at most 1000, got 1001;'],
    [['--paged'], '--paged only changes what --json prints; pass both.'],
    [['--count', '--limit', '5'], '--count takes only --user, --json and --store beside it.'],
  ])('exits 2 for %j before opening the store', async (options, message) => {
    const openStore = vi.fn();

    const run = await runInProcess(['list', ...options], { openStore });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(openStore).not.toHaveBeenCalled();
  });

  it('refuses the cursor of the other order, before opening the store', async () => {
    const { database } = seededDatabase();
    const first = await runInProcess([
      'list',
      '--limit',
      '1',
      '--json',
      '--paged',
      '--store',
      database.url,
    ]);
    const { nextCursor } = JSON.parse(first.stdout) as { nextCursor: string };

    const run = await runInProcess(['list', '--order', 'last-used', '--cursor', nextCursor], {
      openStore: vi.fn(),
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a cursor of this listing');
  });

  it('lists 50 sessions unless told otherwise', async () => {
    const listSessions = vi.fn(() => []);

    await runInProcess(['list'], { openStore: async () => fakeStore({ listSessions }) });

    expect(listSessions).toHaveBeenCalledWith(expect.objectContaining({ limit: 50 }));
  });

  it('says so when the store holds no live session', async () => {
    const database = tempDatabase();
    database.addSession({ expiresAt: Date.now() - HOUR });

    const run = await runInProcess(['list', '--store', database.url]);

    expect(run).toEqual({ code: 0, stdout: `No live sessions in ${database.url}.\n`, stderr: '' });
  });

  it.each(['0', '-3', '2.5', 'ten', ''])(
    'exits 2 for --limit %j before opening the store',
    async (limit) => {
      const openStore = vi.fn();

      const run = await runInProcess(['list', `--limit=${limit}`], { openStore });

      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `--limit must be a positive whole number, got ${JSON.stringify(limit)}.\nRun "tessera-session --help" for usage.\n`,
      });
      expect(openStore).not.toHaveBeenCalled();
    },
  );

  it('exits 1 for a store that cannot list its sessions, and closes it', async () => {
    const store = fakeStore();

    const run = await runInProcess(['list'], { openStore: async () => store });

    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The fake store cannot list its sessions.\n',
    });
    expect(store.close).toHaveBeenCalledTimes(1);
  });

  it('shows progress on stderr while the files store reads its sessions, and lists the newest', async () => {
    const database = tempDatabase();
    const directory = join(database.directory, 'sessions');
    const app = createFileStore({ directory, fsync: false });
    const keys: string[] = [];
    for (let index = 0; index < 2100; index++) {
      const key = digestSessionIdNode(generateSessionId());
      keys.push(key);
      await app.create(key, {
        data: { index },
        createdAt: CREATED + index,
        expiresAt: EXPIRES,
        userId: null,
      });
    }
    await app.close();

    const run = await runInProcess([
      'list',
      '--limit',
      '2',
      '--json',
      '--store',
      `file:${directory}`,
    ]);

    expect(run.code).toBe(0);
    const stderr = run.stderr.trimEnd().split('\n');
    // Reported one step late: the last total (2100) is not shown.
    expect(stderr.slice(0, -1)).toEqual(['Examined 1000…', 'Examined 2000…']);
    expect(stderr.at(-1)).toMatch(
      /^Next page: tessera-session list --cursor [\w-]+ --limit 2 --json --store file:/,
    );
    expect((JSON.parse(run.stdout) as { key: string }[]).map((session) => session.key)).toEqual([
      keys[2099],
      keys[2098],
    ]);
    expect(existsSync(directory)).toBe(true);
  });
});
