import { createHash } from 'node:crypto';

/** SHA-256 hex of a session id with node:crypto: synchronous, so loading costs no extra tick. */
export function digestSessionIdNode(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
