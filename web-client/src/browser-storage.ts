/**
 * @module browser-storage
 * localStorage when the browser allows it, else a memory-only stand-in (private modes and blocked
 * storage throw on access), so the cache degrades to per-page caching instead of breaking the page.
 */
import type { StorageLike } from "metrics-web-client";

function memoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

/** The storage the metrics cache should use in this browser. */
export function metricsStorage(): StorageLike {
  try {
    const probe = "agent-metrics:probe";
    localStorage.setItem(probe, probe);
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return memoryStorage();
  }
}
