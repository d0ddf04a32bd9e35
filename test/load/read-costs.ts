/**
 * @module read-costs
 * Firestore document reads per operation, DERIVED from the code path (the emulator exposes no
 * per-request read counter that is easy to use). Each figure follows Firestore's billing: one read per
 * document fetched by a get or returned by a query, and one read for a query that returns nothing.
 * Amortized reads are left out and named instead: the API-key lookup (cached 5 s per instance,
 * `cached-api-key-store.ts`), the rate-limit counter sync (at most one read a second per key,
 * `rate-counter-store.ts`) and, on the write path, nothing: the fold reads the prices itself.
 * If those modules change, these functions must change with them.
 */

/** Newest-first candidates `LatestFinder.lastAddedAt` reads (`CANDIDATES` in latest-finder.ts). */
const LAST_ADDED_CANDIDATES = 5;
/** `DirectoryStore.viewer` (a read's access check): the caller's user document; the agent's owner comes with its view. */
const PROFILE_READS = 1;
const queryReads = (returned: number) => Math.max(1, returned);

export interface ReadCost {
  reads: number;
  how: string;
}

/** `GET /v1/agents/{id}/metrics` on a stored, authentic view, cold (agent-metrics-routes.ts, agent-view-access.ts). */
export const apiReadCost = (): ReadCost => ({ reads: PROFILE_READS + 1, how: "user, view (which names the agent's owner)" });

/**
 * One change alone in its fold slot: the trigger reads nothing (it creates the delta); the fold reads
 * the agent, the view and the prices (one getAll), the pending deltas (a query returning this one) and
 * the newest sources for `lastAddedAt`. Every change folded in the same slot shares the fold's reads.
 */
export function incrementalCost(sourcesBefore: number): ReadCost {
  return { reads: 3 + 1 + queryReads(Math.min(LAST_ADDED_CANDIDATES, sourcesBefore + 1)), how: `agent + view + prices (getAll), pending deltas, newest-${LAST_ADDED_CANDIDATES} query` };
}

/** The naive on-request computation: every source document of the agent (this one is also measured: documents returned). */
export const naiveReadCost = (sources: number): ReadCost => ({ reads: queryReads(sources), how: "every source of the agent" });
