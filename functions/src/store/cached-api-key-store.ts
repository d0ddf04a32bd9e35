/**
 * @module cached-api-key-store
 * An `ApiKeyStore` that remembers key lookups for a few seconds, so a hot key costs no Firestore
 * read per request, while revocation still reaches every instance quickly:
 *  - the instance that revokes a key forgets it at once (revocation is immediate there);
 *  - every other instance re-reads it when its entry expires, after at most `ttlMs` (5 s by default,
 *    against Unkey's documented 60 s), so a revoked key is refused everywhere within that bound.
 * Unknown keys are remembered too, so a flood of well-formed guesses costs one read per guess per TTL.
 * Concurrent misses for the same key share one read (lru-cache's `fetchMethod`).
 */
import { LRUCache } from "lru-cache";
import type { ApiKeyRecord } from "../domain/api-key-policy";
import type { ApiKeyStore } from "./api-key-store";

export const KEY_CACHE_TTL_MS = 5_000;

export interface CachedApiKeyStore extends ApiKeyStore {
  /** Drops the cached lookup of `hash` (used after this instance changes the key). */
  forget(hash: string): void;
}

export function cachedApiKeyStore(inner: ApiKeyStore, options: { ttlMs?: number; maxEntries?: number } = {}): CachedApiKeyStore {
  const cache = new LRUCache<string, { record: ApiKeyRecord | null }>({
    max: options.maxEntries ?? 10_000,
    ttl: options.ttlMs ?? KEY_CACHE_TTL_MS,
    fetchMethod: async (hash) => ({ record: await inner.findByHash(hash) }),
  });
  return {
    ...inner,
    async findByHash(hash) {
      return (await cache.fetch(hash))?.record ?? null;
    },
    async revoke(hash, at) {
      const record = await inner.revoke(hash, at);
      cache.delete(hash);
      return record;
    },
    forget: (hash) => void cache.delete(hash),
  };
}
