/**
 * @module freshness
 * How old a served view may be: what `Cache-Control: private, max-age=5, stale-while-revalidate=30`
 * promises, and what the browser's cache relies on when it tells an older copy held by a server
 * instance from a view that really went back.
 */
export interface FreshnessPolicy {
  /** Age under which a copy is served without revalidation. */
  freshMs: number;
  /** Age past which a copy is never served (the staleness bound). */
  maxAgeMs: number;
}

/** Metrics views and series (agent, user, org): fresh for 5 s, then served stale for up to 30 s more while one refresh runs. */
export const VIEW_FRESHNESS: Readonly<FreshnessPolicy> = Object.freeze({ freshMs: 5_000, maxAgeMs: 35_000 });
