/**
 * The shared database servers tests talk to, read from the environment with the
 * defaults of `shared/services.md`, and a gate for tests that need one:
 * outside CI a missing server skips the block with its reason in the block's
 * name; with `CI=true` it fails instead.
 *
 * ```ts
 * const redis = await probeServer('redis', SERVER_URLS.redis);
 * describeWithServer(redis, 'redis store', () => { … });
 * ```
 *
 * @module
 */
import { connect } from 'node:net';
import { describe, it } from 'vitest';

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

/** Whether this run is CI, where a missing server is a failure rather than a skip. */
export const isCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` that runs only when the server answered. Outside CI a missing server
 * skips the block, with the reason in its name; under CI one failing test says why.
 */
export function describeWithServer(probe: ServerProbe, name: string, body: () => void): void {
  if (probe.available) {
    describe(name, body);
    return;
  }
  const why = `${probe.name} unavailable: ${probe.reason} (set the URL in the environment or start the server, see shared/services.md)`;
  if (isCi()) {
    describe(name, () => {
      it(`needs ${probe.name}`, () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} — skipped, ${why}`, body);
  }
}
