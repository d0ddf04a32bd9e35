/**
 * @module cached-api-key-store
 * An `ApiKeyStore` that remembers key lookups (`API_KEY_POLICY`), so a hot key costs no Firestore read
 * and never waits for one, while revocation still reaches every instance quickly:
 *  - the instance that revokes a key forgets it at once (revocation is immediate there);
 *  - elsewhere a lookup is re-read in the background once it is 4 s old and never used past 5 s, so
 *    a revoked key is refused everywhere within 5 s (against Unkey's documented 60 s).
 * Unknown keys are remembered too, so a flood of well-formed guesses costs one read per guess per 5 s.
 * Concurrent misses for the same key share one read.
 */
import { EdgeCache } from "../cache/edge-cache";
import type { LayerStats } from "../contract/schemas/service";
import { API_KEY_POLICY } from "../cache/cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import type { ApiKeyRecord } from "./api-key-policy";
import type { ApiKeyStore } from "./api-key-store";

/** Rough heap cost of one cached lookup (record, hash key, entry), for the stats' byte figure. */
const LOOKUP_BYTES = 600;

export interface CachedApiKeyStore extends ApiKeyStore {
  /** The lookup of `hash` this instance holds (a record, or null for an unknown key), or undefined when a lookup would cost a read. */
  held(hash: string): ApiKeyRecord | null | undefined;
  /** Drops the cached lookup of `hash` (used after this instance changes the key). */
  forget(hash: string): void;
  stats(): LayerStats;
}

export function cachedApiKeyStore(inner: ApiKeyStore, options: { policy?: FreshnessPolicy; maxEntries?: number; now?: () => number } = {}): CachedApiKeyStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new EdgeCache<{ record: ApiKeyRecord | null }>({
    policy: options.policy ?? API_KEY_POLICY,
    maxEntries,
    maxBytes: maxEntries * LOOKUP_BYTES,
    sizeOf: () => LOOKUP_BYTES,
    now: options.now,
    load: async (hash) => ({ record: await inner.findByHash(hash) }),
  });
  return {
    ...inner,
    async findByHash(hash) {
      return (await cache.get(hash)).value.record;
    },
    async revoke(hash, at) {
      const record = await inner.revoke(hash, at);
      cache.delete(hash);
      return record;
    },
    held: (hash) => cache.peek(hash)?.record,
    forget: (hash) => cache.delete(hash),
    stats: () => cache.stats(),
  };
}
