/**
 * @module rollup-store
 * `user_metrics_cache/{uid}` and `org_metrics_cache/{orgId}`: folds of the agents' views.
 *
 * A fold reads the scope's agents (one query) and their views (one `getAll`), sums them, and writes
 * the rollup in a transaction, bumping `version` only when the totals changed. Folds happen when a
 * rollup is read and is older than `ROLLUP_MAX_LAG_MS`, and in the hourly reconcile, so a rollup
 * lags its agents by at most that bound when read, and no agent write ever touches it. Because the
 * agents are looked up at fold time, an agent moved to another owner or organization moves its totals.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { AgentState } from "../domain/agent-view";
import { contentOf, isAuthentic, nextRevision, seal, type SealedView } from "../domain/metrics-view";
import { canonicalJson } from "../domain/canonical-json";
import { rollUpAgents } from "../domain/rollup";
import type { ViewContext } from "../views/agent-view-updates";
import type { AgentViewStore } from "../views/agent-views";
import { COLLECTIONS } from "./collections";
import { firestoreAgentViewReader } from "./agent-view-reader";
import { agentStateOf, type StoredView } from "../views/stored-view";
import { decodeView, encodeView } from "./view-codec";

export type RollupScope = "user" | "org";

/** How old a rollup may be when served before it is folded again. */
export const ROLLUP_MAX_LAG_MS = 10_000;

export interface RollupStore {
  read(scope: RollupScope, id: string): Promise<StoredView | null>;
  /** Sums the scope's agents now and stores the result; returns the sealed rollup. */
  fold(scope: RollupScope, id: string, ctx: ViewContext): Promise<SealedView>;
}

export function firestoreRollupStore(db: Firestore, agentViews: AgentViewStore): RollupStore {
  const collection = (scope: RollupScope) => db.collection(scope === "user" ? COLLECTIONS.userViews : COLLECTIONS.orgViews);
  const readViews = firestoreAgentViewReader(db);

  async function agentStatesOf(scope: RollupScope, id: string, ctx: ViewContext): Promise<{ states: AgentState[]; agentCount: number }> {
    const agents = await db.collection(COLLECTIONS.agents).where(scope === "user" ? "ownerId" : "orgId", "==", id).select().get();
    if (agents.empty) return { states: [], agentCount: 0 };
    const states: AgentState[] = [];
    for (let [agentId, stored] of await readViews(agents.docs.map((agent) => agent.id))) {
      if (!stored) continue; // an agent without any source document yet adds nothing
      if (!isAuthentic(stored.sealed, ctx.keyring)) {
        await agentViews.recompute(agentId, ctx);
        stored = await agentViews.read(agentId);
      }
      if (stored) states.push(agentStateOf(stored));
    }
    return { states, agentCount: agents.size };
  }

  return {
    async read(scope, id) {
      return decodeView((await collection(scope).doc(id).get()).data());
    },

    async fold(scope, id, ctx) {
      const { states, agentCount } = await agentStatesOf(scope, id, ctx);
      const content = rollUpAgents(states, agentCount, ctx.pricing, ctx.now());
      const ref = collection(scope).doc(id);
      return db.runTransaction(async (tx) => {
        const previous = decodeView((await tx.get(ref)).data());
        const now = ctx.now();
        const unchanged =
          previous && isAuthentic(previous.sealed, ctx.keyring) && canonicalJson(contentOf(previous.sealed.data)) === canonicalJson(content);
        if (unchanged) {
          tx.update(ref, { "_sync.foldedAt": now });
          return previous.sealed;
        }
        const sealed = seal(nextRevision(scope, id, previous?.sealed.data ?? null, content, now), ctx.keyring, now);
        tx.set(ref, encodeView(sealed, { foldedAt: now }));
        return sealed;
      });
    },
  };
}
