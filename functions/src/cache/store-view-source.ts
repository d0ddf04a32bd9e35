/**
 * @module store-view-source
 * The view cache's source built from the stores: batched reads of agent views, recomputes from source,
 * rollup reads and folds, each computation with the keyring and clock.
 */
import type { AgentViewReader } from "../store/agent-view-reader";
import type { ReadableViews } from "../store/readable-agents-query";
import type { RollupStore } from "../store/rollup-store";
import type { ViewContext } from "../views/agent-fold";
import type { AgentViewStore } from "../views/agent-views";
import type { ViewSource } from "./view-cache";

export function storeViewSource(deps: { agentViews: AgentViewStore; rollups: RollupStore; readAgents: AgentViewReader; readReadableAgents: ReadableViews; context: () => ViewContext }): ViewSource {
  return {
    readAgents: deps.readAgents,
    readReadableAgents: deps.readReadableAgents,
    recomputeAgent: (id) => deps.agentViews.recompute(id, deps.context()),
    readRollup: (scope, id) => deps.rollups.read(scope, id),
    foldRollup: (scope, id) => deps.rollups.fold(scope, id, deps.context()),
  };
}
