/**
 * @module rollup-store
 * `user_metrics_cache/{uid}` and `org_metrics_cache/{orgId}`: folds of the agents' views.
 *
 * A fold reads the scope's agents (one query) and their views (one `getAll`), merges their states
 * (rollups/rollup), and writes the rollup in a transaction, with a new revision only when the content
 * or the state (the series) changed. Folds happen when a rollup is read and is older than
 * `ROLLUP_MAX_LAG_MS`, and in the hourly reconcile, so a rollup lags its agents by at most that bound
 * when read, and no agent write ever touches it. Because the agents are looked up at fold time, an
 * agent moved to another owner or organization moves its totals. The merged state is stored beside
 * the rollup, so its series is one read and its windows can roll without reading the agents again.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { AgentState } from "../metrics/agent-view";
import { canonicalJson } from "../contract/canonical-json";
import { contentOf, isAuthentic, nextRevision, seal } from "../metrics/metrics-view";
import { mergeAgentStates, rollupContent } from "./rollup";
import { nextRollAt } from "../metrics/time-buckets";
import type { ComputedView, ViewContext } from "../agent-views/agent-fold";
import type { AgentViewStore } from "../agent-views/agent-views";
import type { StoredView } from "../agent-views/stored-view";
import { firestoreAgentViewReader } from "../agent-views/agent-view-reader";
import { COLLECTIONS } from "../documents/collections";
import { encodeState } from "../agent-views/state-codec";
import { decodeView, encodeRollupView } from "../agent-views/view-codec";

export type RollupScope = "user" | "org";

/** How old a rollup may be when served before it is folded again. */
export const ROLLUP_MAX_LAG_MS = 10_000;

export interface RollupStore {
  read(scope: RollupScope, id: string): Promise<StoredView | null>;
  /** Sums the scope's agents now and stores the result; returns the sealed rollup and its state. */
  fold(scope: RollupScope, id: string, ctx: ViewContext): Promise<ComputedView>;
  /** Re-renders a stored rollup from its own state (its windows roll with time); null when there is none to roll. */
  roll(scope: RollupScope, id: string, ctx: ViewContext): Promise<ComputedView | null>;
}

export function firestoreRollupStore(db: Firestore, agentViews: Pick<AgentViewStore, "recompute" | "read">): RollupStore {
  const collection = (scope: RollupScope) => db.collection(scope === "user" ? COLLECTIONS.userViews : COLLECTIONS.orgViews);
  const readViews = firestoreAgentViewReader(db);

  async function agentStatesOf(scope: RollupScope, id: string, ctx: ViewContext): Promise<{ states: AgentState[]; agentCount: number }> {
    const agents = await db.collection(COLLECTIONS.agents).where(scope === "user" ? "ownerId" : "orgId", "==", id).select().get();
    if (agents.empty) return { states: [], agentCount: 0 };
    const states: AgentState[] = [];
    for (let [agentId, stored] of await readViews(agents.docs.map((agent) => agent.id))) {
      if (!stored) continue; // an agent without any source document yet adds nothing
      if (!stored.state || !isAuthentic(stored.sealed, ctx.keyring, "agent", agentId)) {
        await agentViews.recompute(agentId, ctx);
        stored = await agentViews.read(agentId);
      }
      if (stored?.state) states.push(stored.state);
    }
    return { states, agentCount: agents.size };
  }

  /** Writes `state` as the rollup's next revision unless it says what the stored one says. */
  function store(scope: RollupScope, id: string, state: AgentState, agentCount: number, ctx: ViewContext): Promise<ComputedView> {
    const ref = collection(scope).doc(id);
    return db.runTransaction(async (tx) => {
      const previous = decodeView((await tx.get(ref)).data());
      const now = ctx.now();
      const content = rollupContent(state, agentCount, now);
      const authentic = previous !== null && isAuthentic(previous.sealed, ctx.keyring, scope, id);
      const sameContent = authentic && canonicalJson(contentOf(previous.sealed.data)) === canonicalJson(content);
      const sameState = authentic && previous.state !== null && encodeState(previous.state).equals(encodeState(state));
      if (sameContent && sameState && previous.sealed.signature.keyId === ctx.keyring.activeKeyId) {
        tx.update(ref, { "_sync.foldedAt": now });
        return { sealed: previous.sealed, access: null, state };
      }
      const sealed = seal(nextRevision(scope, id, previous?.sealed.data ?? null, content, now), ctx.keyring, now);
      const changedAt = sameContent && sameState ? (previous.changedAt ?? now) : now;
      tx.set(ref, encodeRollupView(sealed, { state, foldedAt: now, changedAt, rollAt: nextRollAt(state.hours, now) }));
      return { sealed, access: null, state };
    });
  }

  return {
    async read(scope, id) {
      return decodeView((await collection(scope).doc(id).get()).data());
    },
    async fold(scope, id, ctx) {
      const { states, agentCount } = await agentStatesOf(scope, id, ctx);
      return store(scope, id, mergeAgentStates(states), agentCount, ctx);
    },
    async roll(scope, id, ctx) {
      const stored = await this.read(scope, id);
      if (!stored?.state || !isAuthentic(stored.sealed, ctx.keyring, scope, id)) return stored ? this.fold(scope, id, ctx) : null;
      return store(scope, id, stored.state, stored.sealed.data.agentCount ?? 0, ctx);
    },
  };
}
