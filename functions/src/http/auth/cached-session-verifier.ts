/**
 * @module cached-session-verifier
 * Remembers verified sessions so a hot path makes no Auth call, and says how revocation is honoured:
 * the inner verifier checks revocation, and an entry lives at most `recheckMs` (60 s) and never past
 * the credential's own expiry. Signing out (`DELETE /v1/session`) forgets the user's entries on the
 * instance that handled it at once; other instances stop accepting the revoked session within
 * `recheckMs`. Entries are keyed by a SHA-256 of the credential, not the credential itself.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { SessionCredential } from "./credentials";
import type { SessionVerifier, VerifiedSession } from "./session-verifier";

export const SESSION_RECHECK_MS = 60_000;

export interface CachedSessionVerifier extends SessionVerifier {
  /** Forgets every cached session of `uid` on this instance. */
  forgetUser(uid: string): void;
}

const digest = (credential: SessionCredential) => createHash("sha256").update(`${credential.kind}:${credential.token}`).digest("base64url");

export function cachedSessionVerifier(inner: SessionVerifier, options: { recheckMs?: number; maxEntries?: number; now?: () => number } = {}): CachedSessionVerifier {
  const recheckMs = options.recheckMs ?? SESSION_RECHECK_MS;
  const now = options.now ?? Date.now;
  const cache = new LRUCache<string, VerifiedSession>({ max: options.maxEntries ?? 50_000, ttl: recheckMs, perf: { now } });
  return {
    async verify(credential) {
      const key = digest(credential);
      const hit = cache.get(key);
      if (hit && hit.expiresAtMs > now()) return hit;
      const session = await inner.verify(credential);
      if (session) cache.set(key, session, { ttl: Math.max(1, Math.min(recheckMs, session.expiresAtMs - now())) });
      return session;
    },
    forgetUser(uid) {
      for (const [key, session] of cache.entries()) if (session.uid === uid) cache.delete(key);
    },
  };
}
