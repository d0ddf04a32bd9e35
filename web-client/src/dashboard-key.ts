/**
 * @module dashboard-key
 * The key the dashboard reads metrics with, so that signing in shows metrics with no key step. The
 * page makes its own: read-only (`read:*-metrics`), valid one day, named "Dashboard (this browser)",
 * an ordinary key the keys page lists and can revoke. It is kept per user in localStorage, so every
 * tab and reload of this browser shares one key until it nears expiry, rather than each tab adding
 * one to the user's 50; the key alone is useless, since the contract also asks for the user's session.
 * Sign-out revokes it. A key the user picked on the keys page ("Use for the dashboard", this tab
 * only) is used instead while it works.
 *
 * Refusals: a keyed read refused with 401 asks `refused(key)`. Since a 401 may also mean the session
 * lapsed, the key list (session only) is read first: it names the key revoked or expired, or the
 * session is the problem and no key is made. Concurrent refusals share one renewal, and tabs share
 * one provisioning through the Web Locks API where the browser has it.
 */
import type { ApiClient } from "metrics-web-client";
import type { ListedApiKey, Permission } from "metrics-functions/contract";

export const DASHBOARD_KEY_NAME = "Dashboard (this browser)";
export const DASHBOARD_PERMISSIONS: Permission[] = ["read:agent-metrics", "read:user-metrics", "read:org-metrics"];
const EXPIRES_IN_DAYS = 1;
/** A key this close to its expiry is replaced rather than used: a read must not meet the expiry. */
const RENEW_BEFORE_EXPIRY_MS = 10 * 60_000;

/** What is kept of the provisioned key: the plaintext, its public id for revoking, and its expiry. */
interface StoredKey {
  key: string;
  id: string;
  prefix: string;
  expiresAt: string;
}

type KeyStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface DashboardKeyDeps {
  api: Pick<ApiClient, "createApiKey" | "revokeApiKey" | "listApiKeys">;
  uid: string;
  /** Where the provisioned key lives (localStorage in the page). */
  storage: KeyStorage;
  /** The key the user chose for this tab, if any, and how to forget it. */
  chosen: { read: () => string | null; forget: () => void };
  /** Serialises provisioning across tabs; defaults to running at once. */
  lock?: <T>(name: string, task: () => Promise<T>) => Promise<T>;
  now?: () => number;
}

/** What the key bar says about the key in use. */
export interface KeyInUse {
  prefix: string;
  provisioned: boolean;
  expiresAt: string | null;
}

const runAtOnce = <T>(_name: string, task: () => Promise<T>) => task();

/** The Web Locks API when the browser has it, so two tabs opening at once make one key between them. */
export function browserLock(): DashboardKeyDeps["lock"] {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? (name, task) => locks.request(name, task) as Promise<Awaited<ReturnType<typeof task>>> : runAtOnce;
}

/**
 * The dashboard's key for one signed-in user.
 * @example const keys = new DashboardKey({ api, uid, storage: localStorage, chosen }); await keys.ensure();
 */
export class DashboardKey {
  private readonly now: () => number;
  private renewal: Promise<boolean> | null = null;
  /** Holds the key when storage refuses it (full or blocked), so this page does not make one per read. */
  private unstored: StoredKey | null = null;

  constructor(private readonly deps: DashboardKeyDeps) {
    this.now = deps.now ?? Date.now;
  }

  private get storageKey(): string {
    return `agent-metrics.dashboard-key.${this.deps.uid}`;
  }

  /** The key requests should carry now: the chosen one, else the provisioned one while valid. */
  current(): string | null {
    return this.deps.chosen.read() ?? this.stored()?.key ?? null;
  }

  /** For the key bar: which key is in use, and whether the page made it. */
  inUse(): KeyInUse | null {
    const chosen = this.deps.chosen.read();
    if (chosen) return { prefix: chosen.slice(0, 12), provisioned: false, expiresAt: null };
    const stored = this.stored();
    return stored && { prefix: stored.prefix, provisioned: true, expiresAt: stored.expiresAt };
  }

  /** True when `prefix` names the provisioned key (for the keys page's label). */
  isProvisioned(prefix: string): boolean {
    return this.stored()?.prefix === prefix;
  }

  /** A usable key, provisioning one when there is none (or it is about to expire). */
  async ensure(): Promise<string> {
    const ready = this.current();
    if (ready) return ready;
    return this.lock(async () => {
      // Another tab may have made one while this one waited for the lock.
      const made = this.current();
      if (made) return made;
      const stale = this.read();
      const { key, apiKey } = await this.deps.api.createApiKey({ name: DASHBOARD_KEY_NAME, permissions: DASHBOARD_PERMISSIONS, expiresInDays: EXPIRES_IN_DAYS });
      this.write({ key, id: apiKey.id, prefix: apiKey.prefix, expiresAt: apiKey.expiresAt ?? new Date(this.now() + EXPIRES_IN_DAYS * 86_400_000).toISOString() });
      // The one it replaces is about to expire anyway: revoke it so the list shows one live dashboard key.
      if (stale) void this.deps.api.revokeApiKey(stale.id).catch(() => undefined);
      return key;
    });
  }

  /**
   * `key` was refused with 401: forget it if the server no longer accepts it and make sure another
   * is in place. True when requests should be sent again with `current()`.
   */
  refused(key: string): Promise<boolean> {
    if (this.renewal) return this.renewal;
    // Already replaced (by another read's renewal, or another tab): just send again.
    if (this.current() !== key) return Promise.resolve(this.current() !== null);
    this.renewal = this.renew(key).finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  /** Forgets the key with `prefix` (revoked on the keys page); the next `ensure` makes another. */
  forget(prefix: string): void {
    if (this.deps.chosen.read()?.startsWith(prefix)) this.deps.chosen.forget();
    if (this.read()?.prefix === prefix) this.remove();
  }

  /** On sign-out: revokes the provisioned key (while the session still works) and forgets both keys. */
  async revoke(): Promise<void> {
    const stored = this.read();
    this.deps.chosen.forget();
    this.remove();
    if (stored) await this.deps.api.revokeApiKey(stored.id);
  }

  private async renew(key: string): Promise<boolean> {
    let listed: ListedApiKey[];
    try {
      listed = await this.deps.api.listApiKeys();
    } catch {
      return false; // the session itself was refused: a new key would be refused too
    }
    const match = listed.find((k) => key.startsWith(k.prefix));
    if (match?.status === "active") return false; // the key is fine: the 401 was about something else
    if (this.deps.chosen.read() === key) this.deps.chosen.forget();
    if (this.read()?.key === key) this.remove();
    try {
      await this.ensure();
      return true;
    } catch {
      return false;
    }
  }

  private lock<T>(task: () => Promise<T>): Promise<T> {
    return (this.deps.lock ?? runAtOnce)(this.storageKey, task);
  }

  /** The stored key while it is comfortably valid. */
  private stored(): StoredKey | null {
    const stored = this.read();
    return stored && Date.parse(stored.expiresAt) - this.now() > RENEW_BEFORE_EXPIRY_MS ? stored : null;
  }

  private read(): StoredKey | null {
    if (this.unstored) return this.unstored;
    try {
      const value = JSON.parse(this.deps.storage.getItem(this.storageKey) ?? "null") as Partial<StoredKey> | null;
      const complete = typeof value?.key === "string" && typeof value.id === "string" && typeof value.prefix === "string" && typeof value.expiresAt === "string";
      return complete ? (value as StoredKey) : null;
    } catch {
      return null;
    }
  }

  private write(value: StoredKey): void {
    try {
      this.deps.storage.setItem(this.storageKey, JSON.stringify(value));
      this.unstored = null;
    } catch {
      this.unstored = value;
    }
  }

  private remove(): void {
    this.unstored = null;
    try {
      this.deps.storage.removeItem(this.storageKey);
    } catch {
      // Blocked storage holds nothing of ours.
    }
  }
}
