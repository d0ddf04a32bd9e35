/**
 * @module entry-store
 * The localStorage side of the metrics cache: one JSON entry per view under
 * `<namespace>:<version>:<partition>:<scope>:<id>`. The version is a buster: entries written in any
 * other format are dropped when the store opens, so a new page never parses an old shape. Writing
 * never fails for lack of room: the oldest entries of this namespace are evicted until the new one
 * fits, and if nothing is left to evict the entry is simply not kept (the page still has the value).
 * Nothing here trusts what it reads: the cache verifies every entry's signature before use.
 */
import type { MetricsResponse } from "metrics-functions/contract";

/** The parts of the Web Storage API the cache uses; `localStorage` and test fakes both fit. */
export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

/** What one entry holds: the response as served, its validator, and when it was last confirmed. */
export interface CacheEntry {
  response: MetricsResponse;
  etag: string | null;
  /** Epoch ms of the last 200 or 304 that confirmed this revision. */
  savedAt: number;
}

function isQuotaError(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  // Chrome and Safari name it QuotaExceededError (code 22); older Firefox used its own name (1014).
  return e?.name === "QuotaExceededError" || e?.name === "NS_ERROR_DOM_QUOTA_REACHED" || e?.code === 22 || e?.code === 1014;
}

function parseEntry(text: string | null): CacheEntry | null {
  if (text === null) return null;
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry> | null;
    if (typeof entry?.savedAt !== "number" || typeof entry.response !== "object" || entry.response === null) return null;
    return { response: entry.response, etag: typeof entry.etag === "string" ? entry.etag : null, savedAt: entry.savedAt };
  } catch {
    return null;
  }
}

/**
 * Versioned, namespaced entries in one `Storage`, with eviction of the oldest on quota errors.
 * @example const store = new EntryStore(localStorage, "agent-metrics", "v1"); store.write(key, entry);
 */
export class EntryStore {
  private readonly prefix: string;

  constructor(
    private readonly storage: StorageLike,
    private readonly namespace: string,
    version: string,
  ) {
    this.prefix = `${namespace}:${version}:`;
    this.dropOtherVersions();
  }

  /** The storage key of one view; also how `storage` events are recognised. */
  keyOf(partition: string, scope: string, id: string): string {
    return `${this.prefix}${encodeURIComponent(partition)}:${scope}:${encodeURIComponent(id)}`;
  }

  /** The view a key of `partition` stores (as `keyOf` built it), or null for any other key. */
  refOf(key: string | null, partition: string): { scope: "agent" | "user" | "org"; id: string } | null {
    const start = `${this.prefix}${encodeURIComponent(partition)}:`;
    if (key === null || !key.startsWith(start)) return null;
    const match = /^(agent|user|org):(.+)$/.exec(key.slice(start.length));
    return match ? { scope: match[1] as "agent" | "user" | "org", id: decodeURIComponent(match[2]) } : null;
  }

  /** True when `key` is an entry of this store's current version. */
  owns(key: string | null): key is string {
    return key !== null && key.startsWith(this.prefix);
  }

  /** The entry parsed from `text` (a stored value or a `storage` event's `newValue`), or null. */
  parse(text: string | null): CacheEntry | null {
    return parseEntry(text);
  }

  read(key: string): CacheEntry | null {
    try {
      return parseEntry(this.storage.getItem(key));
    } catch {
      return null;
    }
  }

  remove(key: string): void {
    try {
      this.storage.removeItem(key);
    } catch {
      // Blocked storage holds nothing to remove.
    }
  }

  /** Stores `entry`, evicting the oldest entries while the quota refuses it. False if it could not be kept. */
  write(key: string, entry: CacheEntry): boolean {
    const text = JSON.stringify(entry);
    for (;;) {
      try {
        this.storage.setItem(key, text);
        return true;
      } catch (error) {
        if (!isQuotaError(error) || !this.evictOldest(key)) return false;
      }
    }
  }

  /** Removes every entry of `partition` (all partitions when omitted), e.g. on sign-out. */
  clear(partition?: string): void {
    const start = partition === undefined ? this.prefix : `${this.prefix}${encodeURIComponent(partition)}:`;
    for (const key of this.keys()) if (key.startsWith(start)) this.remove(key);
  }

  private keys(): string[] {
    const keys: string[] = [];
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const key = this.storage.key(i);
        if (key !== null) keys.push(key);
      }
    } catch {
      // Blocked storage lists nothing.
    }
    return keys;
  }

  private dropOtherVersions(): void {
    for (const key of this.keys()) {
      if (key.startsWith(`${this.namespace}:`) && !key.startsWith(this.prefix)) this.remove(key);
    }
  }

  /** Removes the least recently confirmed entry other than `keep`; false when there is none. */
  private evictOldest(keep: string): boolean {
    let oldest: { key: string; savedAt: number } | null = null;
    for (const key of this.keys()) {
      if (!this.owns(key) || key === keep) continue;
      // An unreadable entry is worth nothing: evict it first.
      const savedAt = this.read(key)?.savedAt ?? -Infinity;
      if (!oldest || savedAt < oldest.savedAt) oldest = { key, savedAt };
    }
    if (!oldest) return false;
    this.remove(oldest.key);
    return true;
  }
}
