import { digestSessionIdWebCrypto } from '../core/index.js';

// Recently seen ids → keys, as the Node adapter keeps them (for the Hono adapter and tessera-session/web): Web Crypto's digest
// is asynchronous and, on Node, costs more than the rest of loading a
// memory-store session, while a returning visitor sends the same id every time.
// A bounded map keeps the saving without growing.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string>();

/** SHA-256 hex of a session id with Web Crypto; synchronous for an id seen recently. */
export function digestSessionIdCached(id: string): string | Promise<string> {
  const known = cache.get(id);
  if (known !== undefined) return known;
  return digestSessionIdWebCrypto(id).then((key) => {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, key);
    return key;
  });
}
