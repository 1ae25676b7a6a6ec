/**
 * `ready()`: connects and checks that the store can work against this Redis,
 * turning each failure into a {@link SessionConfigError} that names the
 * server (password masked) and what to check.
 *
 * @module
 */

import { SessionConfigError } from '../../core/errors.js';
import type { RedisConnection } from './connection.js';
import { messageOf, rootCause } from './error-message.js';
import type { RedisKeyLayout } from './keys.js';
import { PROBE_SCRIPT, runScript } from './scripts.js';

/** A store key no session has (not 64 hex digits), used to probe routing and scripting. */
const PROBE_STORE_KEY = 'ready-check';

/**
 * Connects, checks that a plain client is not pointed at a cluster node, and
 * runs a no-op script on a session's slot (routing, ACL, scripting allowed).
 */
export async function checkReady(
  connection: RedisConnection,
  keys: RedisKeyLayout,
  isCluster: boolean,
): Promise<void> {
  try {
    await connection.ensureReady();
  } catch (error) {
    throw new SessionConfigError(explain(connection.description, error, 'connect'));
  }
  if (!isCluster) {
    const info = await connection.send(undefined, ['INFO', 'cluster']).catch(() => undefined);
    if (/cluster_enabled:1/.test(String(info))) {
      throw new SessionConfigError(
        `Redis at ${connection.description} is a node of a Redis Cluster: a plain client cannot follow ` +
          'its redirections. Pass the option "cluster" ({ rootNodes: [{ url }] }) instead of "url", ' +
          'or give a cluster client (node-redis createCluster(), ioredis new Cluster()).',
      );
    }
  }
  try {
    await runScript(connection, PROBE_SCRIPT, keys.session(PROBE_STORE_KEY), []);
  } catch (error) {
    throw new SessionConfigError(explain(connection.description, error, 'command'));
  }
}

/** What went wrong, in words that say what to check. */
function explain(where: string, error: unknown, step: 'connect' | 'command'): string {
  const detail = messageOf(rootCause(error));
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(detail)) {
    return (
      `Redis at ${where} refused the credentials (${detail}). Check the user and password in the URL: ` +
      'redis://user:password@host:port, or redis://:password@host:port for a password alone (URL-encode special characters).'
    );
  }
  if (/NOPERM/.test(detail)) {
    return (
      `The Redis user at ${where} may not run the commands the session store needs (${detail}). ` +
      'Grant it hashes, sets, keyspace and scripting, e.g. ACL SETUSER <user> +@hash +@set +@keyspace +@scripting ~<prefix>*.'
    );
  }
  if (/cluster support disabled/i.test(detail)) {
    return (
      `Redis at ${where} is not a Redis Cluster (${detail}). ` +
      'Pass its address as "url" instead of "cluster", or start the servers with cluster-enabled yes.'
    );
  }
  if (/MOVED|ASK |CROSSSLOT|CLUSTERDOWN/.test(detail)) {
    return (
      `Redis at ${where} answered as a cluster that is not usable (${detail}). ` +
      'For a Redis Cluster pass "cluster: { rootNodes: [{ url }] }", and check that CLUSTER INFO says cluster_state:ok.'
    );
  }
  if (/DB index is out of range/i.test(detail)) {
    return `Redis at ${where} has no such database (${detail}). Check the database number at the end of the URL (redis://host:6379/0).`;
  }
  if (step === 'connect') {
    return (
      `Cannot reach Redis at ${where} (${detail}). Check the host and port in the URL, ` +
      'that the Redis server is running, and that this machine may connect to it (firewall, TLS: rediss://).'
    );
  }
  return `Redis at ${where} is not usable by the session store (${detail}).`;
}
