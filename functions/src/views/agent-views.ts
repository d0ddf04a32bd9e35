/**
 * @module agent-views
 * The operations on agent views that triggers, routes, rollups and the reconciler call, each one
 * transaction of a `ViewDatabase` running the decisions of `agent-view-updates`. Firestore provides
 * the database in production (`store/agent-view-store`); the model test provides one in memory.
 */
import type { AgentChange, ChangeKind } from "../domain/agent-change";
import type { Verdict } from "../domain/reconcile-verdict";
import {
  applyChangeIn,
  followAgentIn,
  ingestIn,
  recomputeIn,
  repairIn,
  verdictOf,
  type AgentFollowUp,
  type ApplyOutcome,
  type ChangeValue,
  type ComputedView,
  type RepairOutcome,
  type ViewContext,
} from "./agent-view-updates";
import type { StoredView } from "./stored-view";
import type { AgentSnapshot, IngestItem, TransactOptions, ViewDatabase } from "./view-transaction";

/** The reconcile's first look at one agent: its verdict, and the snapshot it was judged from. */
export interface Judged {
  verdict: Verdict;
  seen: AgentSnapshot;
}

export interface AgentViewStore {
  read(agentId: string): Promise<StoredView | null>;
  /** Applies one trigger event; a redelivery of an applied event is a "duplicate" and changes nothing. */
  applyChange<K extends ChangeKind>(kind: K, change: AgentChange<ChangeValue<K>>, ctx: ViewContext): Promise<ApplyOutcome>;
  /** Stores the new interactions of `items` and counts them, in one transaction; returns the ids already stored. */
  ingest(agentId: string, items: readonly IngestItem[], ctx: ViewContext, options?: TransactOptions): Promise<{ duplicates: Set<string> }>;
  /** Recomputes the view from source and stores it; null (nothing written) when the agent does not exist. */
  recompute(agentId: string, ctx: ViewContext, options?: TransactOptions): Promise<ComputedView | null>;
  /**
   * Compares the stored view with source and rewrites it only when the verdict asks for it. With
   * `judged` (from `verdicts`), the comparison is that one and a repair writes from its documents
   * unless the view changed since; without, the agent is judged first from a read of its own.
   */
  reconcile(agentId: string, ctx: ViewContext, judged?: Judged): Promise<RepairOutcome>;
  /**
   * The reconcile's verdicts for many agents, judged from one consistent, lock-free read of their
   * views and documents; writes nothing (pass each to `reconcile`).
   */
  verdicts(agentIds: readonly string[], ctx: ViewContext, asOf?: Date): Promise<Map<string, Judged>>;
  /** Deletes the view of an agent that no longer exists, or moves it with its agent (the agent trigger's work). */
  followAgent(agentId: string): Promise<AgentFollowUp>;
}

/** The agent view operations over `database`. */
export function agentViewsOver(database: ViewDatabase): AgentViewStore {
  const verdicts = async (agentIds: readonly string[], ctx: ViewContext, asOf?: Date) => {
    const judged = new Map<string, Judged>();
    for (const [agentId, seen] of await database.readAgentSnapshots(agentIds, asOf)) judged.set(agentId, { verdict: verdictOf(seen, ctx), seen });
    return judged;
  };
  return {
    read: (agentId) => database.readView(agentId),
    applyChange: (kind, change, ctx) => database.transact((tx) => applyChangeIn(tx, kind, change, ctx)),
    ingest: (agentId, items, ctx, options) => database.transact((tx) => ingestIn(tx, agentId, items, ctx), options),
    recompute: (agentId, ctx, options) => database.transact((tx) => recomputeIn(tx, agentId, ctx), options),
    // Most hourly checks find nothing to fix: judge on a lock-free snapshot first, so they never
    // contend with the triggers, and take the read-write transaction only to write.
    reconcile: async (agentId, ctx, judged) => {
      judged ??= (await verdicts([agentId], ctx)).get(agentId);
      if (!judged) throw new Error(`no snapshot was read for agent ${agentId}`);
      const { seen } = judged;
      return judged.verdict === "unchanged" ? "unchanged" : database.transact((tx) => repairIn(tx, agentId, seen, ctx));
    },
    verdicts,
    followAgent: (agentId) => database.transact((tx) => followAgentIn(tx, agentId)),
  };
}
