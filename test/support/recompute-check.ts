/**
 * @module recompute-check
 * The check every convergence and load suite ends with: an agent's stored view, rendered and as
 * accumulators, equals what a full recompute from its documents gives now (the model registry aside:
 * it remembers the order names arrived in, and only that may differ).
 */
import { renderAgent, type AgentState } from "../../functions/src/metrics/agent-view";
import { canonicalJson } from "../../functions/src/contract/canonical-json";
import { encodeState } from "../../functions/src/agent-views/state-codec";
import type { ViewContext } from "../../functions/src/agent-views/agent-fold";
import type { AgentViewStore } from "../../functions/src/agent-views/agent-views";

const accumulators = (state: AgentState) => encodeState({ ...state, models: { named: [], seen: [], seenOverflow: false } });

/** How the stored view of `agentId` differs from a full recompute, or null when it does not. */
export async function differenceFromRecompute(views: AgentViewStore, agentId: string, ctx: ViewContext): Promise<string | null> {
  const stored = await views.read(agentId);
  const recomputed = await views.recompute(agentId, ctx);
  if (!stored?.state || !recomputed) return stored || recomputed ? `view ${stored ? "present" : "absent"}, recompute ${recomputed ? "present" : "absent"}` : null;
  const now = ctx.now();
  const [was, is] = [canonicalJson(renderAgent(stored.state, now)), canonicalJson(renderAgent(recomputed.state, now))];
  if (was !== is) return `rendered ${was.slice(0, 300)} vs recomputed ${is.slice(0, 300)}`;
  return accumulators(stored.state).equals(accumulators(recomputed.state)) ? null : "the accumulators differ";
}
