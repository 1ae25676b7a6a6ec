/**
 * The session cookies a measurement rotates through, and the counter check.
 *
 * Real sessions are created with plain requests to `/hit` without a cookie;
 * bare servers get fake cookies of the same shape, so requests have the same
 * size and header-parsing cost.
 */
import { randomBytes } from 'node:crypto';

const CONCURRENCY = 8;

/** Creates `count` sessions and answers their `name=value` cookie pairs. */
export async function createSessionCookies(origin: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      cookies.push(await createSession(origin));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (new Set(cookies).size !== count)
    throw new Error(`${origin}: session cookies are not distinct`);
  return cookies;
}

async function createSession(origin: string): Promise<string> {
  const response = await fetch(`${origin}/hit`);
  const body = await response.text();
  if (!response.ok) throw new Error(`${origin}/hit answered ${response.status}: ${body}`);
  const setCookie = response.headers.getSetCookie();
  if (setCookie.length !== 1) {
    throw new Error(`${origin}/hit without a cookie set ${setCookie.length} cookies, expected 1`);
  }
  if (body !== '1')
    throw new Error(`${origin}/hit on a new session answered "${body}", expected 1`);
  return setCookie[0]!.split(';')[0]!.trim();
}

/** Cookies shaped like express-session's (`connect.sid=s%3A<id>.<signature>`), for bare servers. */
export function fakeCookies(count: number): string[] {
  return Array.from({ length: count }, () => {
    const id = randomBytes(24).toString('base64url');
    const signature = randomBytes(32).toString('base64').replace(/=+$/, '');
    return `connect.sid=s%3A${id}.${encodeURIComponent(signature)}`;
  });
}

/** `count` cookies spread evenly over the list. */
export function sampleCookies(cookies: string[], count: number): string[] {
  const step = Math.max(1, Math.floor(cookies.length / count));
  return cookies.filter((_, i) => i % step === 0).slice(0, count);
}

/** The counter each cookie's session holds, read through `/read`. */
export async function readCounters(origin: string, cookies: string[]): Promise<number[]> {
  return Promise.all(
    cookies.map(async (cookie) => {
      const response = await fetch(`${origin}/read`, { headers: { cookie } });
      const body = await response.text();
      if (!response.ok) throw new Error(`${origin}/read answered ${response.status}: ${body}`);
      const counter = Number(body);
      if (!Number.isInteger(counter)) throw new Error(`${origin}/read answered "${body}"`);
      return counter;
    }),
  );
}
