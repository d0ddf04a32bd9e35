/**
 * @module api-key-storage
 * Keeps the pasted or created API key for this tab only: sessionStorage is cleared when the tab
 * closes, so a key never outlives the visit the way it would in localStorage.
 */

const STORAGE_KEY = "agent-metrics.api-key";

/** The key kept for this tab, or null. Storage that is blocked counts as empty. */
export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Keeps `key` for this tab; a blank key forgets it. Returns false when storage is unavailable. */
export function storeApiKey(key: string): boolean {
  try {
    if (key.trim()) sessionStorage.setItem(STORAGE_KEY, key.trim());
    else sessionStorage.removeItem(STORAGE_KEY);
    return true;
  } catch {
    return false;
  }
}
