/**
 * @module signing-key-cache
 * Holds the public signing keys for the page's lifetime. A view signed with a key id the cache has
 * not seen triggers one refetch, so a key rotated in while the page is open still verifies, while a
 * forged key id costs at most one extra request per id.
 */
import type { SigningKey } from "metrics-functions/contract";

/**
 * Fetches the keys lazily and refetches once per unknown key id.
 * @example const keys = await cache.keysFor(response.signature.keyId);
 */
export class SigningKeyCache {
  private keys: Promise<SigningKey[]> | null = null;
  private readonly refetchedFor = new Set<string>();

  constructor(private readonly fetchKeys: () => Promise<{ keys: SigningKey[] }>) {}

  /** The current key list, refreshed first when it lacks `keyId`. A failed fetch is retried next call. */
  async keysFor(keyId: string): Promise<SigningKey[]> {
    let keys = await this.load();
    if (!keys.some((key) => key.keyId === keyId) && !this.refetchedFor.has(keyId)) {
      this.refetchedFor.add(keyId);
      this.keys = null;
      keys = await this.load();
    }
    return keys;
  }

  private load(): Promise<SigningKey[]> {
    this.keys ??= this.fetchKeys().then(
      (body) => (Array.isArray(body?.keys) ? body.keys : []),
      (error: unknown) => {
        this.keys = null;
        throw error;
      },
    );
    return this.keys;
  }
}
