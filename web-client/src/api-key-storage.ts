/**
 * @module api-key-storage
 * Keeps a key the user chose for the dashboard ("Use for the dashboard" on the keys page), per user
 * and for this tab only: sessionStorage is cleared when the tab closes, yet survives a reload. While
 * it is set the dashboard reads with it instead of the page's own key (dashboard-key.ts). The server
 * never shows a key's plaintext twice, so only a key created or pasted here can be kept.
 */

const storageKey = (uid: string) => `agent-metrics.api-key.${uid}`;

/** The key `uid` chose for this tab, or null. Storage that is blocked counts as empty. */
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
