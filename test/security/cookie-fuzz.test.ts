/**
 * Hostile `Cookie` headers: whatever a client sends, the session layer answers
 * "no session" (or the session it legitimately names) — never a thrown error,
 * never a 5xx, never a store read for an id Tessera could not have issued, and
 * parsing stays linear.
 *
 * Advisories: Werkzeug CVE-2023-23934 (a nameless `=__Host-x=bad` cookie read as
 * `__Host-x`), CPython CVE-2024-7592 / Tornado CVE-2024-52804 (quadratic
 * backslash unquoting), prototype keys as cookie names.
 */
import { request } from 'node:http';
import { parse } from 'cookie';
import express from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { createSessionManager, type SessionManager } from '../../src/core/index.js';
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { countingStore } from '../helpers/security-stores.js';

const NAME = 'sessionid';
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty'];
const UNICODE_SPACES = [
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2028',
  '\u2029',
  '\u3000',
  '\ufeff',
  '\u0085',
];

/** An id-shaped value (32 URL-safe characters), as an attacker can forge. */
const idShaped = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  minLength: 32,
  maxLength: 32,
});

/** A random cookie value: anything, from valid ids to raw bytes and backslash runs. */
const anyValue = fc.oneof(
  idShaped,
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => String.fromCharCode(...bytes)),
  fc.constantFrom(...PROTO_NAMES, '', '""', '"', '=', ';', '%', '%00', '\\'),
  fc.nat(5_000).map((n) => `"${'\\'.repeat(n)}"`),
  fc.nat(200_000).map((n) => 'a'.repeat(n)),
  fc
    .tuple(fc.constantFrom(...UNICODE_SPACES), idShaped)
    .map(([space, id]) => `${space}${id}${space}`),
);

/** A random cookie name, biased towards the session cookie and prototype keys. */
const anyName = fc.oneof(
  fc.constant(NAME),
  fc.constantFrom(...PROTO_NAMES, '', '__Host-x', `=${NAME}`, ` ${NAME}`, `${NAME} `),
  fc.tuple(fc.constantFrom(...UNICODE_SPACES), fc.constant(NAME)).map(([s, n]) => `${s}${n}`),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

const pair = fc.tuple(anyName, anyValue).map(([name, value]) => `${name}=${value}`);

/** A whole Cookie header: pairs joined in odd ways, duplicates, nameless cookies, raw bytes. */
const cookieHeader = fc.oneof(
  fc.array(pair, { minLength: 1, maxLength: 6 }).map((pairs) => pairs.join('; ')),
  fc.array(pair, { minLength: 1, maxLength: 6 }).map((pairs) => pairs.join(';')),
  fc.tuple(anyValue, anyValue).map(([a, b]) => `${NAME}=${a}; ${NAME}=${b}`),
  // Werkzeug CVE-2023-23934: a nameless cookie must not become a named one.
  fc.constantFrom('=__Host-x=bad', `=${NAME}=x`, '=__proto__=x', '==', ';;;', '=', ''),
  idShaped.map((id) => `=${NAME}=${id}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => String.fromCharCode(...bytes)),
);

/** The shape of an id Tessera issues, spelled out here so the oracle does not trust the code under test. */
const ISSUED_ID = /^[A-Za-z0-9_-]{32}$/;

/** Whether the cookie names a well-formed id: the only case that may cost a store read. */
function namesWellFormedId(header: string): boolean {
  const value = parse(header)[NAME];
  return value !== undefined && ISSUED_ID.test(value);
}

describe('hostile Cookie headers through the session manager', () => {
  let memory: MemoryStore;
  let store: ReturnType<typeof countingStore>;
  let manager: SessionManager;
  let liveId: string;

  beforeAll(async () => {
    memory = createMemoryStore();
    store = countingStore(memory);
    manager = createSessionManager({ store });
    const session = await manager.open();
    session.set('owner', 'victim');
    await manager.save(session);
    liveId = session.id!;
  });

  it('never throws, never reads the store for a malformed id, never stores anything (10,000 runs)', async () => {
    const before = memory.stats().count;
    await fc.assert(
      fc.asyncProperty(cookieHeader, async (header) => {
        store.reads.length = 0;
        const session = await manager.load({ cookie: header, secure: false });
        expect(store.reads.length).toBeLessThanOrEqual(1);
        if (!namesWellFormedId(header)) expect(store.reads).toEqual([]);
        // Nothing was modified, so nothing may be written (Django CVE-2015-5143).
        const result = await manager.commit(session, { status: 200 });
        expect(result.setCookie === undefined || result.setCookie.includes('Max-Age=0')).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(memory.stats().count).toBe(before);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('reads a nameless cookie as no cookie, even when it carries a live id (Werkzeug CVE-2023-23934)', async () => {
    for (const header of [`=${NAME}=${liveId}`, `=${NAME}=${liveId}; other=1`]) {
      store.reads.length = 0;
      const session = await manager.load({ cookie: header, secure: false });
      expect(session.get('owner')).toBeUndefined();
      expect(store.reads).toEqual([]);
    }
    // The control: the same id under the right name is the victim's session.
    const named = await manager.load({ cookie: `${NAME}=${liveId}`, secure: false });
    expect(named.get('owner')).toBe('victim');
  });

  it('takes the first of duplicate session cookies, and only when it is well-formed', async () => {
    const first = await manager.load({ cookie: `${NAME}=${liveId}; ${NAME}=x`, secure: false });
    expect(first.get('owner')).toBe('victim');
    store.reads.length = 0;
    const bad = await manager.load({
      cookie: `${NAME}=__proto__; ${NAME}=${liveId}`,
      secure: false,
    });
    expect(bad.get('owner')).toBeUndefined();
    expect(store.reads).toEqual([]);
  });

  it('treats prototype keys as names and ids like any other string', async () => {
    for (const word of PROTO_NAMES) {
      for (const header of [`${word}=${liveId}`, `${NAME}=${word}`, `${word}=${word}`]) {
        store.reads.length = 0;
        const session = await manager.load({ cookie: header, secure: false });
        expect(session.isNew).toBe(true);
        expect(store.reads).toEqual([]);
      }
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('parses backslash runs in linear time (CPython CVE-2024-7592): 8× the input costs far less than 64×', async () => {
    const timeFor = async (n: number): Promise<number> => {
      const header = `other="${'\\'.repeat(n)}"; ${NAME}="${'\\'.repeat(n)}"`;
      const samples: number[] = [];
      for (let round = 0; round < 9; round++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 40; i++) await manager.load({ cookie: header, secure: false });
        samples.push(Number(process.hrtime.bigint() - start));
      }
      // The fastest round: other processes on a busy machine only ever add time.
      return Math.min(...samples);
    };
    await timeFor(1_000); // warm-up
    const small = await timeFor(50_000);
    const large = await timeFor(400_000);
    // Linear growth gives about 8; quadratic would give about 64. The bound is generous.
    expect(large / small).toBeLessThan(30);
  });
});

/** What `send` answers when the server refused the request by closing the connection. */
const REFUSED = 0;

describe('hostile Cookie headers through a real Express app', () => {
  let server: RunningServer;
  let memory: MemoryStore;

  beforeAll(async () => {
    memory = createMemoryStore();
    const app = express();
    app.use(createSessionMiddleware({ store: memory }));
    app.get('/read', (req, res) => {
      res.send(String(getSession(req).get('counter', 0)));
    });
    server = await listen(app as unknown as Parameters<typeof listen>[0]);
  });
  afterAll(() => server.close());

  /**
   * Sends a raw Cookie header (only the characters HTTP allows in a header
   * value) and answers the status, or {@link REFUSED} when the server closed
   * the connection instead: Node answers headers over its limit with 431 and
   * closes, and a client still writing (Node 24) sees the reset first.
   */
  const send = (cookie: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const value = [...cookie].filter((c) => /[\t\x20-\x7e\x80-\xff]/.test(c)).join('');
      const req = request(`${server.baseUrl}/read`, { headers: { cookie: value } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve(REFUSED);
        else reject(error);
      });
      req.end();
    });
  /** The server is still up and answering. */
  const expectAlive = async (): Promise<void> => {
    expect(await send(`${NAME}=x`)).toBe(200);
  };

  it('never answers 5xx and never stores a record (a 500-run sample)', async () => {
    await fc.assert(
      fc.asyncProperty(cookieHeader, async (header) => {
        const status = await send(header);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 500 },
    );
    expect(memory.stats().count).toBe(0);
    await expectAlive();
  });

  it('answers oversized headers with a 4xx, not a crash', async () => {
    expect([431, REFUSED]).toContain(await send(`${NAME}=${'a'.repeat(100_000)}`));
    await expectAlive();
    expect(await send(`${NAME}="${'\\'.repeat(15_000)}"`)).toBe(200);
  });
});
