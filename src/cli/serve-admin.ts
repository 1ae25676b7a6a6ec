/**
 * What `tessera-session admin` serves: the admin handler on node:http, behind
 * a one-time login. The login URL carries a random token; its first use sets
 * an `HttpOnly; SameSite=Strict` cookie holding a separate random secret,
 * which `authorize` compares in constant time; the token is then spent.
 * @module
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHandler, createNodeListener } from '../admin/index.js';
import { createSessionManager, type SessionStore } from '../core/index.js';
import { generateRandomToken, isSameSecret, readCookie } from '../kit/index.js';

/** The cookie holding the admin secret after login. */
export const ADMIN_LOGIN_COOKIE = 'tessera-admin';

/** What {@link serveAdmin} needs. */
export interface ServeAdminOptions {
  readonly store: SessionStore;
  /** The address to bind: `127.0.0.1` unless told otherwise. */
  readonly host: string;
  /** The port; 0 for any free one. */
  readonly port: number;
}

/** The admin, served. */
export interface ServedAdmin {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  /** The one-time login URL. */
  readonly loginUrl: string;
  /** Stops serving and drops open connections. */
  close(): Promise<void>;
}

/** Serves the admin of `options.store` and answers where, with the login URL. */
export async function serveAdmin(options: ServeAdminOptions): Promise<ServedAdmin> {
  const loginToken = generateRandomToken();
  const secret = generateRandomToken();
  let spent = false;
  const admin = createAdminHandler({
    manager: createSessionManager({ store: options.store }),
    authorize: (request) => {
      const cookie = readCookie(request.headers.get('cookie'), ADMIN_LOGIN_COOKIE);
      return isSameSecret(secret, cookie);
    },
  });
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname !== '/login') return admin(request);
    const token = url.searchParams.get('token') ?? '';
    if (request.method !== 'GET' || spent || !isSameSecret(loginToken, token)) {
      return new Response(
        'This login link was already used or is not valid. Restart the admin for a new one.\n',
        {
          status: 403,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
        },
      );
    }
    spent = true;
    return new Response(null, {
      status: 303,
      headers: {
        Location: '/',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'Set-Cookie': `${ADMIN_LOGIN_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict`,
      },
    });
  };
  const server = createServer(createNodeListener(handle));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  return {
    url,
    loginUrl: `${url}login?token=${loginToken}`,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Whether `host` is a loopback address, reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
