/**
 * @module rollup
 * A user's or organization's metrics are the sum of its agents' states. Summing finished agent states
 * (rather than applying every source event to the rollup too) keeps the organization document out of
 * the write path: a busy organization's agents never contend on it. States, not rendered blocks, are
 * merged, so percentiles come from the merged histograms rather than from averaging percentiles.
 *
 * Agents name their models independently, so a rollup keeps its own 50 names: the most used across
 * its agents (count, then name), everything else under "other", in the totals and the daily buckets
 * alike, which keeps a rollup as bounded as an agent view whatever the number of agents.
 */
import { emptyAgentState, renderAgent, type AgentState } from "../metrics/agent-view";
import { mergeInteractionsStates, type InteractionsState } from "../metrics/interaction-metrics";
import type { ViewContent } from "../metrics/metrics-view";
import { OTHER_MODEL, sumModels } from "../metrics/model-breakdown";
import { registryFor } from "../metrics/model-registry";
import type { SourcesBlock } from "../metrics/source-metrics";
import { mergeBuckets, type TimeBuckets } from "../metrics/time-buckets";

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
    hours: mergeBuckets(total.hours, agent.hours),
    days: mergeBuckets(total.days, agent.days),
    extremes: { lastAt, maxLatencyMs: Math.max(total.extremes.maxLatencyMs, agent.extremes.maxLatencyMs) },
    models: total.models,
  };
}

function renamed(state: InteractionsState, keep: ReadonlySet<string>): InteractionsState {
  if (state.models.every((t) => keep.has(t.model))) return state;
  return { ...state, models: sumModels(state.models.map((t) => (keep.has(t.model) ? t : { ...t, model: OTHER_MODEL }))) };
}

const renamedBuckets = (buckets: TimeBuckets, keep: ReadonlySet<string>): TimeBuckets => ({ buckets: buckets.buckets.map((b) => ({ ...b, interactions: renamed(b.interactions, keep) })) });

/** The state of the union of `agents` (disjoint sets of documents), with the rollup's own 50 model names. */
export function mergeAgentStates(agents: readonly AgentState[]): AgentState {
  const merged = agents.reduce(addStates, emptyAgentState());
  const models = registryFor(new Map(merged.interactions.models.map((t) => [t.model, t.count])));
  const keep = new Set(models.named);
  // Hourly buckets keep no model names (time-buckets), so only the totals and the days are renamed.
  return { ...merged, interactions: renamed(merged.interactions, keep), days: renamedBuckets(merged.days, keep), models };
}

/** The content of a rollup over `agentCount` agents whose merged state is `state`. */
export function rollupContent(state: AgentState, agentCount: number, now: Date): ViewContent {
  return { ...renderAgent(state, now), agentCount };
}
