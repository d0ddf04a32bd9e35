/**
 * @module edge-cache
 * An in-memory, per-instance cache with stale-while-revalidate, built on lru-cache's `fetch`:
 *  - concurrent misses of one key share one load (lru-cache coalesces in-flight fetches);
 *  - a copy past `freshMs` is served at once, marked stale, while one background load replaces it;
 *  - a copy past `maxAgeMs` is never served: the caller waits for the load;
 *  - size is bounded in bytes (`maxBytes` with a per-value size), least recently used first out.
 * It counts what it does (hits, stale serves, misses, evictions) for `GET /v1/cache/stats`.
 * Whatever must be checked about a value (a signature) is checked by `load`, once per load, never
 * on a hit: only values that passed are ever stored.
 */
import { LRUCache } from "lru-cache";
import { freshnessOf, hitRateOf } from "./cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import type { LayerStats } from "../contract/schemas/service";

/** A value as served: whether it came from memory, how old it is, and whether it was past fresh. */
export interface Served<V> {
  value: V;
  fromMemory: boolean;
  ageMs: number;
  stale: boolean;
}


export interface EdgeCacheOptions<V> {
  policy: FreshnessPolicy;
  /** Loads (and checks) the value of a key; a rejection reaches the waiting callers, not the cache. */
  load: (key: string) => Promise<V>;
  /** Approximate heap bytes of one value; the cache holds at most `maxBytes` of them. */
  sizeOf: (value: V) => number;
  maxBytes: number;
  maxEntries?: number;
  now?: () => number;
  onLoadError?: (key: string, error: unknown) => void;
}

export interface GetOptions {
  /** Serve nothing held: wait for a fresh load (a client's `Cache-Control: no-cache`). */
  revalidate?: boolean;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
}

/** What lru-cache rejects an aborted fetch with (`AbortController.abort(new Error(reason))`). */
const ABORT_REASONS = new Set(["deleted", "replaced", "evicted"]);
const isAbortedLoad = (error: unknown) => error instanceof Error && ABORT_REASONS.has(error.message);
const MAX_LOAD_ATTEMPTS = 3;

export class EdgeCache<V> {
  private readonly lru: LRUCache<string, Entry<V>>;
  private readonly now: () => number;
  private readonly counts = { hits: 0, misses: 0, staleServes: 0, evictions: 0, loadFailures: 0 };

  constructor(private readonly options: EdgeCacheOptions<V>) {
    this.now = options.now ?? Date.now;
    this.lru = new LRUCache<string, Entry<V>>({
      max: options.maxEntries ?? 0,
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => Math.max(1, Math.ceil(options.sizeOf(entry.value))),
      ttl: options.policy.freshMs,
      ttlResolution: 0,
      allowStale: true,
      noDeleteOnStaleGet: true,
      perf: { now: this.now },
      dispose: (_entry, _key, reason) => {
        if (reason === "evict") this.counts.evictions++;
      },
      fetchMethod: async (key) => {
        try {
          return { value: await options.load(key), loadedAt: this.now() };
        } catch (error) {
          this.counts.loadFailures++;
          options.onLoadError?.(key, error);
          throw error;
        }
      },
    });
  }

  /**
   * The value of `key`: from memory when fresh or servable stale, else loaded (once for all callers).
   * `revalidate` never serves the held copy: it waits for a load (joining one already in flight).
   */
  async get(key: string, { revalidate = false }: GetOptions = {}): Promise<Served<V>> {
    for (let attempt = 1; attempt <= MAX_LOAD_ATTEMPTS; attempt++) {
      try {
        return await this.getOnce(key, revalidate);
      } catch (error) {
        // lru-cache aborts a load in flight when its key is deleted or set meanwhile (an ingestion on this
        // instance forgets the view it is loading): that copy may predate the write, so load again.
        if (!isAbortedLoad(error)) throw error;
      }
    }
    // A key set or deleted again and again while it loads (many concurrent no-cache reads and writes of
    // one view): load once outside the cache's coalescing, which nothing can abort, rather than fail.
    const value = await this.loadDirectly(key);
    this.counts.misses++;
    this.lru.set(key, { value, loadedAt: this.now() });
    return { value, fromMemory: false, stale: false, ageMs: 0 };
  }

  private async loadDirectly(key: string): Promise<V> {
    try {
      return await this.options.load(key);
    } catch (error) {
      this.counts.loadFailures++;
      this.options.onLoadError?.(key, error);
      throw error;
    }
  }

  private async getOnce(key: string, revalidate: boolean): Promise<Served<V>> {
    const held = this.lru.peek(key, { allowStale: true });
    const expired = held !== undefined && freshnessOf(this.now() - held.loadedAt, this.options.policy) === "expired";
    const reload = expired || revalidate;
    const status: LRUCache.Status<string, Entry<V>> = {};
    // A failed background refresh keeps a servable stale copy; a failed load that callers wait for
    // rejects with its own error (so an unreachable Firestore still answers 503).
    // A failed revalidation answers its caller with the error but leaves a servable copy to plain reads.
    const servable = held !== undefined && !expired;
    const entry = await this.lru.fetch(key, {
      allowStale: !reload,
      forceRefresh: reload,
      allowStaleOnFetchRejection: servable && !revalidate,
      noDeleteOnFetchRejection: servable,
      status,
    });
    if (!entry) throw new Error(`edge cache: no value for ${key}`);
    // A refresh that failed may hand back the held copy: never serve one past its maximum age.
    if (freshnessOf(this.now() - entry.loadedAt, this.options.policy) === "expired") throw new Error(`edge cache: ${key} could not be refreshed`);
    const stale = status.returnedStale === true;
    const fromMemory = status.fetch === "hit" || stale;
    if (!fromMemory) this.counts.misses++;
    else if (stale) this.counts.staleServes++;
    else this.counts.hits++;
    return { value: entry.value, fromMemory, stale, ageMs: Math.max(0, this.now() - entry.loadedAt) };
  }

  /** The value held for `key` while it may still be served (fresh or stale), without loading, counting or refreshing anything. */
  peek(key: string): V | undefined {
    const held = this.lru.peek(key, { allowStale: true });
    return held && freshnessOf(this.now() - held.loadedAt, this.options.policy) !== "expired" ? held.value : undefined;
  }

  /**
   * Stores a value this instance just wrote or computed, so its next read is served at once; `loaded`:
   * one its caller loaded itself (and checked as `load` would), counted as a miss.
   */
  set(key: string, value: V, { loaded = false }: { loaded?: boolean } = {}): void {
    if (loaded) this.counts.misses++;
    this.lru.set(key, { value, loadedAt: this.now() });
  }

  /** Forgets `key`, so its next read loads it again. */
  delete(key: string): void {
    this.lru.delete(key);
  }

  stats(): LayerStats {
    return { ...this.counts, entries: this.lru.size, bytes: this.lru.calculatedSize, hitRate: hitRateOf(this.counts) };
  }
}
