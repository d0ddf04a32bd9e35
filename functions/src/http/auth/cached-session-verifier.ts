/**
 * @module cached-session-verifier
 * Remembers verified sessions so a hot path makes no Auth call, and says how revocation is honoured:
 * the inner verifier checks revocation, and an entry is trusted at most `SESSION_POLICY.maxAgeMs`
 * (60 s) and never past the credential's own expiry. After `freshMs` (50 s) a request still uses the
 * entry but starts one background re-check, so a busy session never waits for Auth; a re-check that
 * fails drops the entry. Signing out (`DELETE /v1/session`) forgets the user's entries on the
 * instance that handled it at once; other instances stop accepting the revoked session within 60 s.
 * A verification that was already on its way when the user signed out (a background re-check, or a
 * miss) started before the revocation and may come back valid: it is neither kept nor, for a request
 * that waits on it, answered, so it cannot restore the session here. Nor is one that started within
 * `REVOCATION_GRANULARITY_MS` after it: Auth compares revocation times to the second.
 * Entries are keyed by a SHA-256 of the credential, not the credential itself.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { freshnessOf, hitRateOf, SESSION_POLICY } from "../../cache/cache-policy";
import type { FreshnessPolicy } from "../../contract/freshness";
import type { LayerStats } from "../../contract/schemas/service";
import type { SessionCredential } from "./credentials";
import type { SessionVerifier, VerifiedSession } from "./session-verifier";

/** Rough heap cost of one cached session (digest key, uid, entry), for the stats' byte figure. */
const SESSION_BYTES = 300;

export interface CachedSessionVerifier extends SessionVerifier {
  /** Forgets every cached session of `uid` on this instance. */
  forgetUser(uid: string): void;
  stats(): LayerStats;
}

interface Entry {
  session: VerifiedSession;
  verifiedAt: number;
}

/** Auth keeps revocation times to the second: a check this soon after a sign-out may not see it yet. */
export const REVOCATION_GRANULARITY_MS = 1_000;

const digest = (credential: SessionCredential) => createHash("sha256").update(`${credential.kind}:${credential.token}`).digest("base64url");

export function cachedSessionVerifier(inner: SessionVerifier, options: { policy?: FreshnessPolicy; maxEntries?: number; now?: () => number } = {}): CachedSessionVerifier {
  const policy = options.policy ?? SESSION_POLICY;
  const now = options.now ?? Date.now;
  const counts = { hits: 0, misses: 0, staleServes: 0, evictions: 0, loadFailures: 0 };
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 50_000,
    ttl: policy.maxAgeMs,
    ttlResolution: 0,
    perf: { now },
    dispose: (_entry, _key, reason) => {
      if (reason === "evict") counts.evictions++;
    },
  });
  const rechecking = new Set<string>();
  /** When each user last signed out on this instance (kept for the session bound, then irrelevant). */
  const signedOutAt = new Map<string, number>();
  const startedBeforeSignOut = (uid: string, startedAt: number) => (signedOutAt.get(uid) ?? -Infinity) + REVOCATION_GRANULARITY_MS > startedAt;

  async function verifyAndKeep(key: string, credential: SessionCredential): Promise<VerifiedSession | null> {
    const startedAt = now();
    const verified = await inner.verify(credential);
    const session = verified && startedBeforeSignOut(verified.uid, startedAt) ? null : verified;
    // A refused credential is not remembered: it may become valid (clock skew) and costs Auth nothing to refuse again.
    if (session) cache.set(key, { session, verifiedAt: now() }, { ttl: Math.max(1, Math.min(policy.maxAgeMs, session.expiresAtMs - now())) });
    else cache.delete(key);
    return session;
  }

  function recheckInBackground(key: string, credential: SessionCredential) {
    if (rechecking.has(key)) return;
    rechecking.add(key);
    verifyAndKeep(key, credential)
      .catch(() => void counts.loadFailures++) // the entry stays until its hard bound; a later request retries
      .finally(() => rechecking.delete(key));
  }

  return {
    async verify(credential) {
      const key = digest(credential);
      const hit = cache.get(key);
      if (hit && hit.session.expiresAtMs > now()) {
        const stale = freshnessOf(now() - hit.verifiedAt, policy) !== "fresh";
        if (stale) {
          counts.staleServes++;
          recheckInBackground(key, credential);
        } else counts.hits++;
        return hit.session;
      }
      counts.misses++;
      return verifyAndKeep(key, credential);
    },
    forgetUser(uid) {
      const at = now();
      for (const [who, when] of signedOutAt) if (at - when > policy.maxAgeMs) signedOutAt.delete(who);
      signedOutAt.set(uid, at);
      for (const [key, entry] of cache.entries()) if (entry.session.uid === uid) cache.delete(key);
    },
    stats: () => ({ ...counts, entries: cache.size, bytes: cache.size * SESSION_BYTES, hitRate: hitRateOf(counts) }),
  };
}
