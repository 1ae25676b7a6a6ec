/**
 * Reading the session id from a request's cookies, as express-session does.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';
import { type SessionSecret, unsignSessionId } from './sign.js';

type CookieParserRequest = IncomingMessage & {
  signedCookies?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
};

function unsignValue(raw: unknown, secrets: readonly SessionSecret[]): string | undefined {
  // Only signed values (`s:`) are ids: an unsigned value is a client-chosen id, never used.
  if (typeof raw !== 'string' || !raw.startsWith('s:')) return undefined;
  return unsignSessionId(raw.slice(2), secrets);
}

/**
 * The id in cookie `name`, verified against `secrets`; `undefined` when it is
 * missing, unsigned or badly signed. Falls back, as express-session does, to
 * cookie-parser's `req.signedCookies` and `req.cookies`.
 */
export function readSessionId(
  req: IncomingMessage,
  name: string,
  secrets: readonly SessionSecret[],
): string | undefined {
  const header = req.headers.cookie;
  let id: string | undefined;
  if (header) id = unsignValue(parse(header)[name], secrets);
  const { signedCookies, cookies } = req as CookieParserRequest;
  if (!id && signedCookies) {
    const value = signedCookies[name];
    if (typeof value === 'string' && value !== '') id = value;
  }
  if (!id && cookies) id = unsignValue(cookies[name], secrets);
  return id;
}
