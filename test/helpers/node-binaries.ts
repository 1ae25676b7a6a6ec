/**
 * Other Node versions, for tests that must see what Tessera does on each
 * supported Node: the running Node when it is the version asked for, else the
 * npm registry's `node` package of that major, run through `npx` (kept in
 * npm's cache after the first download).
 *
 * ```ts
 * const node22 = await findNodeBinary(22);
 * describeWithServer(node22, 'on Node 22', () => { … execFile(node22.path, …) … });
 * ```
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ServerProbe } from './server-probe.js';

const run = promisify(execFile);

/** Runs npx again when the registry, not the test, failed it. */
const RETRY_ON_NETWORK_ERROR = fileURLToPath(
  new URL('../../scripts/retry-on-network-error.sh', import.meta.url),
);

/** A Node binary, as a probe for `describeWithServer`: unavailable when npx could not fetch it. */
export interface NodeBinary extends ServerProbe {
  /** The executable, when available. */
  readonly path: string;
}

/** How long npx may take to fetch a Node binary the first time. */
const FETCH_TIMEOUT_MS = 300_000;

const found = new Map<number, Promise<NodeBinary>>();

/** The newest Node of `major` that npx can run (or this process's own Node, when its major is `major`). */
export function findNodeBinary(major: number): Promise<NodeBinary> {
  let binary = found.get(major);
  if (binary === undefined) {
    binary = locateNodeBinary(major);
    found.set(major, binary);
  }
  return binary;
}

async function locateNodeBinary(major: number): Promise<NodeBinary> {
  const name = `Node ${major}`;
  if (Number(process.versions.node.split('.')[0]) === major) {
    return { name, url: process.execPath, path: process.execPath, available: true, reason: '' };
  }
  try {
    const { stdout } = await run(
      'bash',
      [RETRY_ON_NETWORK_ERROR, 'npx', '-y', `node@${major}`, '-p', 'process.execPath'],
      {
        timeout: FETCH_TIMEOUT_MS,
      },
    );
    const path = stdout.trim().split('\n').at(-1) ?? '';
    return {
      name,
      url: path,
      path,
      available: path !== '',
      reason: path === '' ? 'npx printed no path' : '',
    };
  } catch (error) {
    const reason = `npx -y node@${major} failed: ${(error as Error).message}`;
    return { name, url: '', path: '', available: false, reason };
  }
}
