/**
 * @module store-view-source
 * The view cache's source built from the stores: batched reads of agent views, recomputes from source,
 * rollup reads and folds, each computation with the keyring and clock.
 */
import type { AgentViewReader } from "../agent-views/agent-view-reader";
import type { ReadableViews } from "../directory/readable-agents-query";
import type { RollupStore } from "../rollups/rollup-store";
import type { ViewContext } from "../agent-views/agent-fold";
import type { AgentViewStore } from "../agent-views/agent-views";
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
