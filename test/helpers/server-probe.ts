/**
 * The shared database servers, read from the environment with the defaults of
 * `shared/services.md`, and a TCP probe telling whether one answers. Free of
 * vitest, so benchmarks use it too; tests use `servers.ts`.
 *
 * @module
 */
import { connect } from 'node:net';

/** Where each shared server is, from `REDIS_URL`, `DATABASE_URL`, `MYSQL_URL`. */
export const SERVER_URLS = Object.freeze({
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgres: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
});

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'redis:': 6379,
  'rediss:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
  'mariadb:': 3306,
};

/** Whether a server answered, and if not, why. */
export interface ServerProbe {
  name: string;
  url: string;
  available: boolean;
  /** Why it is not available (empty when it is). */
  reason: string;
}

/** Whether something accepts TCP connections at the URL's host and port (within `timeoutMs`). */
export async function probeServer(
  name: string,
  url: string,
  timeoutMs = 2000,
): Promise<ServerProbe> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(parsed.port) || DEFAULT_PORTS[parsed.protocol] || 0;
  const masked = url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  const reason = await new Promise<string>((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`no answer from ${masked} within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve('');
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      resolve(`cannot connect to ${masked}: ${error.message}`);
    });
  });
  return { name, url, available: reason === '', reason };
}
