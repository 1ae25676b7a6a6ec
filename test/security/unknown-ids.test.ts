/**
 * Unknown (well-formed, never issued) session ids: the visitor gets a fresh,
 * empty session; nothing is written to the store for them; a new id — never the
 * one sent — is issued only once the session is modified.
 *
 * Advisory: Django CVE-2015-5143 (an unknown session key created an empty record,
 * letting attackers fill the store or evict real sessions).
 */
import { parse } from 'cookie';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionMiddleware, getSession } from '../../src/adapters/express/index.js';
import { createSessionManager, generateSessionId } from '../../src/core/index.js';
import { createMemoryStore } from '../../src/stores/memory/index.js';
import { createSqliteStore, type SqliteStore } from '../../src/stores/sqlite/index.js';
import { listen, type RunningServer } from '../helpers/listen.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const NAME = 'sessionid';

/** The id a `Set-Cookie` value issues, or undefined for none or a deletion. */
function issuedId(setCookie: string | undefined | null): string | undefined {
  if (!setCookie || /Max-Age=0/i.test(setCookie)) return undefined;
  return parse(setCookie)[NAME];
}

describe('unknown ids through the session manager', () => {
  it('10,000 unknown ids leave the store empty; a fresh id appears only for a modified session', async () => {
    const store = createMemoryStore();
    const manager = createSessionManager({ store });
    let modifiedCount = 0;
    for (let i = 0; i < 10_000; i++) {
      const forged = generateSessionId();
      const session = await manager.load({ cookie: `${NAME}=${forged}`, secure: false });
      expect(session.isNew).toBe(true);
      expect(session.isEmpty).toBe(true);
      const modify = i % 100 === 0;
      if (modify) {
        session.set('n', i);
        modifiedCount++;
      }
      const { setCookie } = await manager.commit(session, { status: 200 });
      const id = issuedId(setCookie);
      if (modify) {
        expect(id).toBeDefined();
        expect(id).not.toBe(forged); // never adopted (PHP CVE-2011-4718)
      } else {
        expect(id).toBeUndefined();
      }
      if (i === 9_999 || i === 0 || i === 1) {
        expect(store.stats().count).toBe(modifiedCount);
      }
    }
    expect(store.stats().count).toBe(100);
  });
});

describe('unknown ids over HTTP (Express, SQLite)', () => {
  let temp: TempDir;
  let store: SqliteStore;
  let server: RunningServer;

  beforeAll(async () => {
    temp = await createTempDir('tessera-sec-unknown-');
    store = createSqliteStore({ path: temp.file('sessions.db') });
    const app = express();
    app.use(createSessionMiddleware({ store }));
    app.get('/read', (req, res) => {
      res.send(String(getSession(req).get('counter', 0)));
    });
    app.get('/hit', (req, res) => {
      const session = getSession(req);
      session.set('counter', (session.get('counter', 0) as number) + 1);
      res.send(String(session.get('counter')));
    });
    server = await listen(app as unknown as Parameters<typeof listen>[0]);
  });
  afterAll(async () => {
    await server.close();
    store.close();
    await temp.remove();
  });

  it('300 reads with unknown ids: an empty session each time, no row written, no id issued', async () => {
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${server.baseUrl}/read`, {
        headers: { cookie: `${NAME}=${generateSessionId()}` },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('0');
      expect(issuedId(response.headers.get('set-cookie'))).toBeUndefined();
    }
    expect(store.stats().count).toBe(0);
  });

  it('a write with an unknown id creates one record under a new id, never the one sent', async () => {
    const forged = generateSessionId();
    const response = await fetch(`${server.baseUrl}/hit`, {
      headers: { cookie: `${NAME}=${forged}` },
    });
    expect(await response.text()).toBe('1');
    const id = issuedId(response.headers.get('set-cookie'));
    expect(id).toBeDefined();
    expect(id).not.toBe(forged);
    expect(store.stats().count).toBe(1);
    // The forged id still names nothing.
    const again = await fetch(`${server.baseUrl}/read`, {
      headers: { cookie: `${NAME}=${forged}` },
    });
    expect(await again.text()).toBe('0');
  });
});
