/**
 * @module agent-view
 * Everything an agent view is rendered from, and the rendering. The stored state holds the exact
 * accumulators (source totals, interaction sums and histograms, hourly buckets); the maxima that
 * cannot be un-applied (`lastAddedAt`, `lastAt`, the largest latency) are refreshed from source by
 * the caller. Costs and windows depend on the pricing and the clock, so they are rendered, never
 * stored: a view re-rendered later (the hourly reconcile) rolls its windows forward.
 */
import { emptyInteractionsState, renderInteractions, summarizeInteractions, type InteractionContribution, type InteractionExtremes, type InteractionsState } from "./interaction-metrics";
import type { ViewContent } from "./metrics-view";
import type { Pricing } from "./pricing";
import type { ContextSource } from "../schemas/source-documents";
import { emptySourcesBlock, summarizeSources, type SourcesBlock } from "./source-metrics";
import { emptyWindowsState, renderWindows, summarizeWindows, type WindowsState } from "./window-buckets";

export interface AgentState {
  sources: SourcesBlock;
  interactions: InteractionsState;
  windows: WindowsState;
  extremes: InteractionExtremes;
}

/** The state of an agent with nothing in it. */
export function emptyAgentState(): AgentState {
  return { sources: emptySourcesBlock(), interactions: emptyInteractionsState(), windows: emptyWindowsState(), extremes: { lastAt: null, maxLatencyMs: 0 } };
}

/** The state of an agent computed from all its sources and interactions (a full recompute). */
export function summarizeAgent(sources: readonly ContextSource[], interactions: readonly InteractionContribution[], now: Date): AgentState {
  const summary = summarizeInteractions(interactions);
  return { sources: summarizeSources(sources), interactions: summary.state, windows: summarizeWindows(interactions, now), extremes: summary.extremes };
}

/** The served blocks of an agent view. */
export function renderAgent(state: AgentState, pricing: Pricing, now: Date): ViewContent {
  return {
    sources: state.sources,
    interactions: renderInteractions(state.interactions, pricing, state.extremes),
    windows: renderWindows(state.windows, pricing, now),
  };
}
