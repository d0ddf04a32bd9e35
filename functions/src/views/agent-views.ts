/**
 * @module agent-views
 * The operations on agent views that triggers, routes, rollups and the reconciler call, each one
 * transaction of a `ViewDatabase` running the decisions of `agent-view-updates`. Firestore provides
 * the database in production (`store/agent-view-store`); the model test provides one in memory.
 */
import type { AgentChange, ChangeKind } from "../domain/agent-change";
import type { SealedView } from "../domain/metrics-view";
import type { Verdict } from "../domain/reconcile-verdict";
import { applyChangeIn, ingestIn, recomputeIn, reconcileIn, removeViewIn, verdictIn, type ApplyOutcome, type ChangeValue, type ViewContext } from "./agent-view-updates";
import { prefetchedTransaction } from "./prefetched-transaction";
import type { StoredView } from "./stored-view";
import type { IngestItem, ViewDatabase } from "./view-transaction";

export interface AgentViewStore {
  read(agentId: string): Promise<StoredView | null>;
  /** Applies one trigger event; a redelivery of an applied event is a "duplicate" and changes nothing. */
  applyChange<K extends ChangeKind>(kind: K, change: AgentChange<ChangeValue<K>>, ctx: ViewContext): Promise<ApplyOutcome>;
  /** Stores the new interactions of `items` and counts them, in one transaction; returns the ids already stored. */
  ingest(agentId: string, items: readonly IngestItem[], ctx: ViewContext): Promise<{ duplicates: Set<string> }>;
  recompute(agentId: string, ctx: ViewContext): Promise<SealedView>;
  /** Compares the stored view with source and rewrites it only when the verdict asks for it. */
  reconcile(agentId: string, ctx: ViewContext): Promise<Verdict>;
  /**
   * The reconcile's verdicts for many agents, judged from one consistent read of their documents;
   * writes nothing (follow with `reconcile` for those not "unchanged").
   */
  verdicts(agentIds: readonly string[], ctx: ViewContext): Promise<Map<string, Verdict>>;
  /** Deletes the view of an agent that no longer exists; true when a view was deleted. */
  removeIfAgentGone(agentId: string): Promise<boolean>;
}

/** The agent view operations over `database`. */
export function agentViewsOver(database: ViewDatabase): AgentViewStore {
  return {
    read: (agentId) => database.readView(agentId),
    applyChange: (kind, change, ctx) => database.transact((tx) => applyChangeIn(tx, kind, change, ctx)),
    ingest: (agentId, items, ctx) => database.transact((tx) => ingestIn(tx, agentId, items, ctx)),
    recompute: (agentId, ctx) => database.transact((tx) => recomputeIn(tx, agentId, ctx)),
    // Most hourly checks find nothing to fix: judge on a lock-free snapshot first, so they never
    // contend with the triggers, and take the read-write transaction only to write.
    reconcile: async (agentId, ctx) =>
      (await database.snapshot((tx) => verdictIn(tx, agentId, ctx))) === "unchanged" ? "unchanged" : database.transact((tx) => reconcileIn(tx, agentId, ctx)),
    verdicts: async (agentIds, ctx) => {
      const snapshots = await database.readAgentSnapshots(agentIds);
      const verdicts = new Map<string, Verdict>();
      for (const [agentId, snapshot] of snapshots) verdicts.set(agentId, await verdictIn(prefetchedTransaction(agentId, snapshot), agentId, ctx));
      return verdicts;
    },
    removeIfAgentGone: (agentId) => database.transact((tx) => removeViewIn(tx, agentId)),
  };
}
