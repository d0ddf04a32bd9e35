/**
 * @module agent-view
 * Everything an agent view is rendered from, and the rendering. The stored state holds the exact
 * accumulators (source totals, interaction sums, costs and histograms, hourly and daily buckets) and
 * the model registry that keeps them bounded; the maxima that cannot be un-applied (`lastAddedAt`,
 * `lastAt`, the largest latency) are refreshed from source by the caller when a remove may have
 * lowered them. Windows depend on the clock, so they are rendered, never stored: a view re-rendered
 * later (the hourly reconcile) rolls its windows forward.
 */
import { summarizeInteractions, emptyInteractionsState, renderInteractions, type CountedInteraction, type InteractionContribution, type InteractionExtremes, type InteractionsState } from "./interaction-metrics";
import type { ViewContent } from "./metrics-view";
import { canonicalModel, emptyRegistry, registryFor, type ModelRegistry } from "./model-registry";
import { costFemtoUsd, type Pricing } from "../pricing/pricing";
import type { ContextSource } from "../documents/source-documents";
import { emptySourcesBlock, summarizeSources, type SourcesBlock } from "./source-metrics";
import { emptyBuckets, renderWindows, summarizeBuckets, withoutModel, type TimeBuckets } from "./time-buckets";

export interface AgentState {
  sources: SourcesBlock;
  interactions: InteractionsState;
  hours: TimeBuckets;
  days: TimeBuckets;
  extremes: InteractionExtremes;
  models: ModelRegistry;
}

/** The state of an agent with nothing in it. */
export function emptyAgentState(): AgentState {
  return {
    sources: emptySourcesBlock(),
    interactions: emptyInteractionsState(),
    hours: emptyBuckets(),
    days: emptyBuckets(),
    extremes: { lastAt: null, maxLatencyMs: 0 },
    models: emptyRegistry(),
  };
}

/**
 * `interaction` as `registry` counts it: under its canonical name, priced at its model's rate at its
 * `occurredAt`; and the registry after meeting its model.
 */
export function countInteraction(registry: ModelRegistry, pricing: Pricing, interaction: InteractionContribution): { registry: ModelRegistry; counted: CountedInteraction } {
  const { registry: next, name } = canonicalModel(registry, interaction.model);
  const tokens = { inputTokens: interaction.inputTokens, outputTokens: interaction.outputTokens, cacheReadTokens: interaction.cacheReadTokens ?? 0, cacheWriteTokens: interaction.cacheWriteTokens ?? 0 };
  return { registry: next, counted: { ...interaction, model: name, costFemto: costFemtoUsd(pricing, interaction.model, tokens, interaction.occurredAt) } };
}

/** The state of an agent computed from all its sources and interactions (a full recompute). */
export function summarizeAgent(sources: readonly ContextSource[], interactions: readonly InteractionContribution[], pricing: Pricing, now: Date): AgentState {
  const uses = new Map<string, number>();
  for (const i of interactions) uses.set(i.model, (uses.get(i.model) ?? 0) + 1);
  const models = registryFor(uses);
  const counted = interactions.map((i) => countInteraction(models, pricing, i).counted);
  const summary = summarizeInteractions(counted);
  return {
    sources: summarizeSources(sources),
    interactions: summary.state,
    hours: summarizeBuckets(counted.map(withoutModel), "hour", now),
    days: summarizeBuckets(counted, "day", now),
    extremes: summary.extremes,
    models,
  };
}

/** The served blocks of an agent view at `now`. */
export function renderAgent(state: AgentState, now: Date): ViewContent {
  return { sources: state.sources, interactions: renderInteractions(state.interactions, state.extremes), windows: renderWindows(state.hours, now) };
}

/** A value with BigInts and Dates as text and object keys in order, for comparing states. */
function comparable(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((key) => [key, comparable((value as Record<string, unknown>)[key])]));
  return value;
}

/**
 * Whether two states hold the same accumulators (their model registries aside: they remember the
 * order names arrived in, which a recompute cannot know, and either one names the same totals).
 */
export function sameAccumulators(a: AgentState, b: AgentState): boolean {
  return JSON.stringify(comparable({ ...a, models: null })) === JSON.stringify(comparable({ ...b, models: null }));
}
