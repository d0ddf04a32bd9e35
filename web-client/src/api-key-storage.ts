/**
 * @module api-key-storage
 * Keeps the key the dashboard reads metrics with, per user and for this tab only: sessionStorage is
 * cleared when the tab closes, so a key never outlives the visit the way it would in localStorage,
 * yet survives a reload. Only a key the user created or pasted here is kept; the server never
 * shows a key's plaintext twice.
 */

const storageKey = (uid: string) => `agent-metrics.api-key.${uid}`;

/** The dashboard key of `uid` in this tab, or null. Storage that is blocked counts as empty. */
export function readApiKey(uid: string): string | null {
  try {
    return sessionStorage.getItem(storageKey(uid));
  } catch {
    return null;
  }
}

/** Keeps `key` for `uid` in this tab; null forgets it. False when storage is unavailable. */
export function storeApiKey(uid: string, key: string | null): boolean {
  try {
    if (key?.trim()) sessionStorage.setItem(storageKey(uid), key.trim());
    else sessionStorage.removeItem(storageKey(uid));
    return true;
  } catch {
    return false;
  }
}
