/**
 * @module rollup
 * A user's or organization's metrics are the sum of its agents' states. Summing finished agent views
 * (rather than applying every source event to the rollup too) keeps the organization document out of
 * the write path: a busy organization's agents never contend on it. States, not rendered blocks, are
 * merged, so percentiles come from the merged histograms rather than from averaging percentiles.
 */
import { emptyAgentState, renderAgent, type AgentState } from "./agent-view";
import { mergeInteractionsStates } from "./interaction-metrics";
import type { ViewContent } from "./metrics-view";
import type { Pricing } from "./pricing";
import type { SourcesBlock } from "./source-metrics";
import { mergeWindowsStates } from "./window-buckets";

function addSources(total: SourcesBlock, block: SourcesBlock): SourcesBlock {
  const byType = { ...total.byType };
  for (const [type, n] of Object.entries(block.byType) as Array<[keyof SourcesBlock["byType"], number]>) byType[type] += n;
  const byStatus = { ...total.byStatus };
  for (const [status, n] of Object.entries(block.byStatus) as Array<[keyof SourcesBlock["byStatus"], number]>) byStatus[status] += n;
  const lastAddedAt = [total.lastAddedAt, block.lastAddedAt].filter((t): t is string => t !== null).sort().pop() ?? null;
  return { count: total.count + block.count, totalBytes: total.totalBytes + block.totalBytes, totalTokens: total.totalTokens + block.totalTokens, byType, byStatus, lastAddedAt };
}

function addStates(total: AgentState, agent: AgentState): AgentState {
  const lastAt = total.extremes.lastAt && (!agent.extremes.lastAt || total.extremes.lastAt > agent.extremes.lastAt) ? total.extremes.lastAt : agent.extremes.lastAt;
  return {
    sources: addSources(total.sources, agent.sources),
    interactions: mergeInteractionsStates(total.interactions, agent.interactions),
    windows: mergeWindowsStates(total.windows, agent.windows),
    extremes: { lastAt, maxLatencyMs: Math.max(total.extremes.maxLatencyMs, agent.extremes.maxLatencyMs) },
  };
}

/** The content of a rollup over `agentCount` agents, of which `agents` have views. */
export function rollUpAgents(agents: readonly AgentState[], agentCount: number, pricing: Pricing, now: Date): ViewContent {
  return { ...renderAgent(agents.reduce(addStates, emptyAgentState()), pricing, now), agentCount };
}
