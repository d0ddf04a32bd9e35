/**
 * @module store-view-source
 * The view cache's source built from the stores: batched reads of agent views, recomputes from source,
 * rollup reads and folds, each computation with the current prices and keyring.
 */
import type { AgentViewStore, ViewContext } from "../store/agent-view-store";
import type { AgentViewReader } from "../store/agent-view-reader";
import type { RollupStore } from "../store/rollup-store";
import type { ViewSource } from "./view-cache";

export function storeViewSource(deps: { agentViews: AgentViewStore; rollups: RollupStore; readAgents: AgentViewReader; context: () => Promise<ViewContext> }): ViewSource {
  return {
    readAgents: deps.readAgents,
    recomputeAgent: async (id) => deps.agentViews.recompute(id, await deps.context()),
    readRollup: (scope, id) => deps.rollups.read(scope, id),
    foldRollup: async (scope, id) => deps.rollups.fold(scope, id, await deps.context()),
  };
}
