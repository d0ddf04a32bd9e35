/**
 * @module cache-policy
 * How long a cached copy may be served, as pure numbers and rules shared by the in-memory edge
 * caches and the HTTP `Cache-Control` header, so both tell the same story.
 *
 * Every cached copy has an age: the time since it was read from Firestore (or computed). Under
 * `freshMs` it is served as it is. Between `freshMs` and `maxAgeMs` it is still served at once, but
 * marked stale, and one background re-read replaces it ("stale-while-revalidate"). Past `maxAgeMs`
 * it is never served: the request waits for the re-read. `maxAgeMs` is therefore the hard bound on
 * how old anything served can be; with steady traffic a change shows up after about `freshMs` plus
 * one read.
 */

import { VIEW_FRESHNESS, type FreshnessPolicy } from "../contract/freshness";


export type Freshness = "fresh" | "stale" | "expired";

/**
 * Metrics views (agent, user, org): fresh for 5 s, then served stale for up to 30 s more while one
 * refresh runs — the same numbers as `Cache-Control: max-age=5, stale-while-revalidate=30`.
 */
export const VIEW_POLICY: FreshnessPolicy = VIEW_FRESHNESS;

/**
 * Who owns what (`users`, `agents`, `organizations` documents) for access checks: fresh for 5 s,
 * never older than 15 s. A change of ownership or role takes effect within 15 s on every instance.
 */
export const DIRECTORY_POLICY: FreshnessPolicy = { freshMs: 5_000, maxAgeMs: 15_000 };

/**
 * API key lookups: refreshed in the background after 4 s, never older than 5 s (the revocation bound
 * of docs/SECURITY.md), so a busy key never waits for a read and a revoked key is refused within 5 s.
 */
export const API_KEY_POLICY: FreshnessPolicy = { freshMs: 4_000, maxAgeMs: 5_000 };

/** Verified sessions: re-checked in the background after 50 s, never trusted for more than 60 s. */
export const SESSION_POLICY: FreshnessPolicy = { freshMs: 50_000, maxAgeMs: 60_000 };

/** Byte budget of the view edge cache per instance: 10,000 typical agent views use about a third of it. */
export const VIEW_CACHE_MAX_BYTES = 48 * 1024 * 1024;

/** What one cached entry costs beyond its payload (entry object, LRU slots, key), counted in its size. */
export const ENTRY_OVERHEAD_BYTES = 200;

/** Whether a copy of age `ageMs` is fresh, may be served stale, or must not be served. */
export function freshnessOf(ageMs: number, policy: FreshnessPolicy): Freshness {
  if (ageMs < policy.freshMs) return "fresh";
  return ageMs < policy.maxAgeMs ? "stale" : "expired";
}

/**
 * The `Cache-Control` value matching a policy: a browser may reuse a response for `freshMs` and keep
 * using it while revalidating until `maxAgeMs`.
 * @example cacheControlOf(VIEW_POLICY) // "private, max-age=5, stale-while-revalidate=30"
 */
export function cacheControlOf(policy: FreshnessPolicy): string {
  const maxAge = Math.floor(policy.freshMs / 1000);
  const swr = Math.floor((policy.maxAgeMs - policy.freshMs) / 1000);
  return `private, max-age=${maxAge}, stale-while-revalidate=${swr}`;
}

/**
 * Whether a request's `Cache-Control` asks for a copy validated at the origin (RFC 9111 §5.2.1:
 * `no-cache`, or `max-age=0`): then the edge re-reads the stored view instead of serving the copy it
 * holds. A "Refresh" button needs this: another instance may still hold a copy from before a change
 * for up to `maxAgeMs`. Such reads cost one Firestore read each and count against the key's rate limit.
 * @example requestsRevalidation("no-cache") // true
 */
export function requestsRevalidation(cacheControl: string | undefined): boolean {
  if (!cacheControl) return false;
  return cacheControl
    .toLowerCase()
    .split(",")
    .map((directive) => directive.trim().replace(/\s*=\s*/, "="))
    .some((directive) => directive === "no-cache" || directive === "max-age=0" || directive === 'max-age="0"');
}

/** The HTTP `Age` header (whole seconds) of a copy served from memory, so clients count its age too. */
export function ageSecondsOf(ageMs: number): number {
  return Math.max(0, Math.floor(ageMs / 1000));
}

/** Share of lookups answered from memory (fresh or stale); 0 before the first lookup. */
export function hitRateOf(counts: { hits: number; staleServes: number; misses: number }): number {
  const served = counts.hits + counts.staleServes;
  const total = served + counts.misses;
  return total === 0 ? 0 : served / total;
}
