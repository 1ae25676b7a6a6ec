/**
 * Helpers for the admin specs: sessions seeded through a real store, and a
 * small browser-like client for a fetch handler (it keeps cookies, sends
 * same-origin headers on its posts, and reads the CSRF token from the page).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';
import { expect } from 'vitest';
import type { SessionStore, StoredData } from '../../src/core/index.js';
import { encodeValue } from '../../src/core/index.js';
import { SERVER_URLS } from '../helpers/servers.js';

const HOUR = 3_600_000;

/** A seeded session: its store key and what it holds. */
export interface SeededSession {
  readonly key: string;
  readonly userId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly data: StoredData;
}

/** A fresh store key: the digest of a random id, as the manager makes them. */
export function randomStoreKey(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

/** What {@link seedSessions} writes. */
export interface SeedPlan {
  /** How many sessions. */
  readonly count: number;
  /** Their users, used round robin; `null` for anonymous sessions. */
  readonly users: readonly (string | null)[];
  /** The session `index` was created this many hours ago (default: index % 48). */
  readonly hoursAgo?: (index: number) => number;
  readonly now?: number;
}

/** Writes `plan.count` sessions through `store.create()` and answers them. */
export async function seedSessions(store: SessionStore, plan: SeedPlan): Promise<SeededSession[]> {
  const now = plan.now ?? Date.now();
  const sessions: SeededSession[] = [];
  for (let index = 0; index < plan.count; index++) {
    const createdAt = now - (plan.hoursAgo?.(index) ?? index % 48) * HOUR - (index % 60) * 1000;
    const session: SeededSession = {
      key: randomStoreKey(),
      userId: plan.users[index % plan.users.length] ?? null,
      createdAt,
      // Half expire within three days, for the expiring chart.
      expiresAt:
        index % 2 === 0 ? createdAt + 14 * 24 * HOUR : now + ((index * 5) % 70) * HOUR + HOUR,
      data: {
        cart: encodeValue(
          'cart',
          ['apple', 'pear'].slice(0, (index % 2) + 1),
        ) as StoredData[string],
        token: `secret-${index}`,
        padding: 'x'.repeat((index % 5) * 300),
      },
    };
    expect(
      await store.create(session.key, {
        data: session.data,
        createdAt: session.createdAt,
        expiresAt: session.expiresAt,
        userId: session.userId,
      }),
    ).toBe(true);
    sessions.push(session);
  }
  return sessions;
}

/** A browser-like client of a fetch function at `origin`. */
export interface AdminClient {
  /** GETs `path`, keeping any cookie set. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /**
   * POSTs `fields` as a form, from the same origin unless `headers` says
   * otherwise, with the CSRF token of the last page unless `fields` has one.
   */
  post(
    path: string,
    fields: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** The CSRF token the last page's forms carry. */
  readonly csrf: string | undefined;
  readonly cookies: Map<string, string>;
}

/** A client for `fetch` (a handler, or the global fetch on a real server) at `origin`. */
export function createAdminClient(
  fetch: (request: Request) => Promise<Response>,
  origin: string,
  cookies: Map<string, string> = new Map(),
): AdminClient {
  let csrf: string | undefined;
  const cookieHeader = () =>
    [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') || undefined;
  async function send(request: Request): Promise<Response> {
    const response = await fetch(request);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const separator = pair!.indexOf('=');
      cookies.set(pair!.slice(0, separator), pair!.slice(separator + 1));
    }
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
      const text = await response.clone().text();
      csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
    }
    return response;
  }
  return {
    get cookies() {
      return cookies;
    },
    get csrf() {
      return csrf;
    },
    get(path, headers = {}) {
      const cookie = cookieHeader();
      return send(
        new Request(new URL(path, origin), {
          headers: { ...(cookie ? { cookie } : {}), 'sec-fetch-site': 'same-origin', ...headers },
          redirect: 'manual',
        }),
      );
    },
    post(path, fields, headers = {}) {
      const cookie = cookieHeader();
      const body = new URLSearchParams({ ...(csrf ? { csrf } : {}), ...fields });
      return send(
        new Request(new URL(path, origin), {
          method: 'POST',
          body: body.toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: new URL(origin).origin,
            'sec-fetch-site': 'same-origin',
            ...(cookie ? { cookie } : {}),
            ...headers,
          },
          redirect: 'manual',
        }),
      );
    },
  };
}

/** Removes every Redis key under `prefix` that a spec's store wrote. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const raw = createClient({ url: SERVER_URLS.redis });
  await raw.connect();
  for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await raw.del(keys);
  }
  await raw.close();
}

/** Drops a spec's MySQL/MariaDB table. */
export async function dropMysqlTable(table: string): Promise<void> {
  const connection = await mysql.createConnection(SERVER_URLS.mysql);
  await connection.query(`DROP TABLE IF EXISTS \`${table}\``);
  await connection.end();
}
