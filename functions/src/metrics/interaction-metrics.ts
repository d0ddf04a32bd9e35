/**
 * @module interaction-metrics
 * The `interactions` block of a metrics view, kept incrementally through a stored accumulator.
 *
 * A view is updated on every create, update (remove old + add new) and delete of an interaction, in
 * whatever order the events arrive, so everything stored is a sum of integers that a remove cancels
 * exactly: per-model counts, token sums and costs, the error count, the latency sum in whole
 * microseconds (rounded per interaction, so the average is exact to 1 µs; BigInt, like the costs), a
 * latency histogram and a time-to-first-token histogram (over the interactions that report one).
 * The state is canonical, so however it was reached it deep-equals the state recomputed from the
 * same interactions.
 *
 * An interaction is counted as a `CountedInteraction`: under its canonical model name (model-registry)
 * and with its cost priced at the rate in effect when it occurred. Costs are stored, not re-priced
 * when rendering, because prices are dated; a change of prices re-prices a view from source
 * (pricing.ts, `pricingFingerprint`), so a remove always takes back what its add put in.
 *
 * `lastAt` and the exact `max` latency are maxima, which cannot be un-applied; as with `lastAddedAt`
 * in source-metrics, callers pass them in, read from source.
 */
import { emptyHistogram, histogramOf, histogramQuantile, isEmptyHistogram, mergeHistograms, shiftHistogram, type LatencyHistogram } from "./latency-histogram";
import { renderByModel, shiftModels, sumModels, type ModelTotals } from "./model-breakdown";
import { femtoToUsd } from "../pricing/pricing";
import type { InteractionsBlock } from "../contract/schemas/metrics";

export type { InteractionsBlock };

/** An interaction's outcome; every status but `success` counts as an error. */
export type InteractionStatus = "success" | "error" | "timeout" | "cancelled";

/** The part of an `agent_interactions` document that the metrics depend on. */
export interface InteractionContribution {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  status: InteractionStatus;
  occurredAt: Date;
}

/** An interaction as a state counts it: under its canonical model name, with its exact cost. */
export interface CountedInteraction extends InteractionContribution {
  costFemto: bigint;
}

/** The stored accumulator: JSON-able, safe as a Firestore map, canonical for a given set of interactions. */
export interface InteractionsState {
  /** Sorted by model name; models whose totals are all zero are absent. */
  models: ModelTotals[];
  errorCount: number;
  /** BigInt, so no number of latencies can overflow it. */
  latencySumMicros: bigint;
  latency: LatencyHistogram;
  /** Times to first token, of the interactions that carry one (same buckets and accuracy as `latency`). */
  firstToken: LatencyHistogram;
}

/** The maxima a caller reads from source: the newest `occurredAt` and the largest latency (0 when none). */
export interface InteractionExtremes {
  lastAt: Date | null;
  maxLatencyMs: number;
}

function totalsOf(i: CountedInteraction): ModelTotals {
  return {
    model: i.model,
    count: 1,
    inputTokens: i.inputTokens,
    outputTokens: i.outputTokens,
    cacheReadTokens: i.cacheReadTokens ?? 0,
    cacheWriteTokens: i.cacheWriteTokens ?? 0,
    reasoningTokens: i.reasoningTokens ?? 0,
    costFemto: i.costFemto,
  };
}

/** The histogram with `i`'s time to first token shifted in, when it has one. */
const shiftFirstToken = (histogram: LatencyHistogram, i: InteractionContribution, sign: 1 | -1): LatencyHistogram =>
  i.timeToFirstTokenMs === undefined ? histogram : shiftHistogram(histogram, i.timeToFirstTokenMs, sign);

const isError = (i: InteractionContribution): boolean => i.status !== "success";
const micros = (latencyMs: number): bigint => BigInt(Math.round(latencyMs * 1000));

/** The state of a scope with no interactions. */
export function emptyInteractionsState(): InteractionsState {
  return { models: [], errorCount: 0, latencySumMicros: 0n, latency: emptyHistogram(), firstToken: emptyHistogram() };
}

/** True when the state holds nothing at all (not even a pending remove). */
export function isEmptyInteractionsState(state: InteractionsState): boolean {
  return state.models.length === 0 && state.errorCount === 0 && state.latencySumMicros === 0n && isEmptyHistogram(state.latency) && isEmptyHistogram(state.firstToken);
}

function shift(state: InteractionsState, i: CountedInteraction, sign: 1 | -1): InteractionsState {
  return {
    models: shiftModels(state.models, totalsOf(i), sign),
    errorCount: state.errorCount + (isError(i) ? sign : 0),
    latencySumMicros: state.latencySumMicros + BigInt(sign) * micros(i.latencyMs),
    latency: shiftHistogram(state.latency, i.latencyMs, sign),
    firstToken: shiftFirstToken(state.firstToken, i, sign),
  };
}

/**
 * Applies one interaction change: `removed` is the interaction as it was counted before (null on
 * create), `added` as it is now (null on delete). The input state is not changed.
 */
export function applyInteractionChange(state: InteractionsState, removed: CountedInteraction | null, added: CountedInteraction | null): InteractionsState {
  let next = state;
  if (removed) next = shift(next, removed, -1);
  if (added) next = shift(next, added, 1);
  return next;
}

/** The state of the union of two disjoint sets of interactions (an agent added to a user or an org). */
export function mergeInteractionsStates(a: InteractionsState, b: InteractionsState): InteractionsState {
  return {
    models: sumModels([...a.models, ...b.models]),
    errorCount: a.errorCount + b.errorCount,
    latencySumMicros: a.latencySumMicros + b.latencySumMicros,
    latency: mergeHistograms(a.latency, b.latency),
    firstToken: mergeHistograms(a.firstToken, b.firstToken),
  };
}

/** The state and the extremes computed from scratch over every current interaction of a scope. */
export function summarizeInteractions(list: readonly CountedInteraction[]): { state: InteractionsState; extremes: InteractionExtremes } {
  let lastAt: Date | null = null;
  let maxLatencyMs = 0;
  for (const i of list) {
    if (!lastAt || i.occurredAt > lastAt) lastAt = i.occurredAt;
    maxLatencyMs = Math.max(maxLatencyMs, i.latencyMs);
  }
  const state: InteractionsState = {
    models: sumModels(list.map(totalsOf)),
    errorCount: list.filter(isError).length,
    latencySumMicros: list.reduce((sum, i) => sum + micros(i.latencyMs), 0n),
    latency: histogramOf(list.map((i) => i.latencyMs)),
    firstToken: histogramOf(list.flatMap((i) => (i.timeToFirstTokenMs === undefined ? [] : [i.timeToFirstTokenMs]))),
  };
  return { state, extremes: { lastAt, maxLatencyMs } };
}

/** The contract's `interactions` block: sums and costs as stored, percentiles from the histogram. */
export function renderInteractions(state: InteractionsState, extremes: InteractionExtremes): InteractionsBlock {
  const sum = (pick: (t: ModelTotals) => number): number => state.models.reduce((total, t) => total + pick(t), 0);
  const count = sum((t) => t.count);
  const femto = state.models.reduce((total, t) => total + t.costFemto, 0n);
  // A bucket's representative value can lie above the largest latency seen; no percentile can. The
  // windows know no maximum (they pass 0, which a non-empty histogram never has as its true max).
  const ceiling = extremes.maxLatencyMs > 0 ? extremes.maxLatencyMs : Number.POSITIVE_INFINITY;
  const quantile = (q: number): number => Math.min(histogramQuantile(state.latency, q) ?? 0, ceiling);
  const firstTokenCount = Object.values(state.firstToken).reduce((total, n) => total + n, 0);
  // A time to first token is never above its latency, so the latency ceiling bounds these too.
  const firstToken = (q: number): number => Math.min(histogramQuantile(state.firstToken, q) ?? 0, ceiling);
  return {
    count,
    errorCount: state.errorCount,
    errorRate: count > 0 ? state.errorCount / count : 0,
    inputTokens: sum((t) => t.inputTokens),
    outputTokens: sum((t) => t.outputTokens),
    cacheReadTokens: sum((t) => t.cacheReadTokens),
    cacheWriteTokens: sum((t) => t.cacheWriteTokens),
    reasoningTokens: sum((t) => t.reasoningTokens),
    costUsd: femtoToUsd(femto),
    latencyMs: {
      avg: count > 0 ? Math.round(Number(state.latencySumMicros) / count) / 1000 : 0,
      p50: quantile(0.5),
      p95: quantile(0.95),
      p99: quantile(0.99),
      max: extremes.maxLatencyMs,
    },
    timeToFirstTokenMs: { count: firstTokenCount, p50: firstToken(0.5), p95: firstToken(0.95) },
    byModel: renderByModel(state.models),
    lastAt: extremes.lastAt ? extremes.lastAt.toISOString() : null,
  };
}
