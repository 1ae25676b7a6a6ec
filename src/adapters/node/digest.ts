import { createHash } from 'node:crypto';

// Recently seen ids → keys. Hashing costs more than the rest of loading a
// memory-store session; a bounded map keeps the saving without growing.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string>();

/** SHA-256 hex of a session id with node:crypto: synchronous, so loading costs no extra tick. */
export function digestSessionIdNode(id: string): string {
  let key = cache.get(id);
  if (key === undefined) {
    key = createHash('sha256').update(id).digest('hex');
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, key);
  }
  return key;
}
