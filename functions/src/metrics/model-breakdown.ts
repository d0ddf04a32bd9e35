/**
 * @module model-breakdown
 * Per-model totals of a metrics view, and the `byModel` map rendered from them.
 *
 * Totals are kept per canonical model name (see model-registry: at most 50 named models, the rest as
 * "other"), each with its exact cost, so a stored state stays small whatever names clients send and
 * rendering needs no prices. Totals are an array sorted by name, with the name as a value and never
 * as an object key, so any model name (`__proto__`, `a.b`) is inert in memory and in Firestore. When
 * rendering, the 50 most used names are kept (count, then name) and the rest summed into "other";
 * `Object.fromEntries` builds the map, so even a key such as `constructor` is an ordinary property.
 */
import { femtoToUsd } from "../pricing/pricing";
import type { ModelUsage } from "../contract/schemas/metrics";

export type { ModelUsage };

/** What a set of interactions of one model adds up to. */
export interface ModelTotals {
  model: string;
  count: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Part of `outputTokens`. */
  reasoningTokens: number;
  /** Their exact cost in femto-USD, each interaction priced at the rate in effect when it occurred. */
  costFemto: bigint;
}

/** The most model names a `byModel` map (and a stored state) holds; the rest fold into `OTHER_MODEL`. */
export const BY_MODEL_LIMIT = 50;
export const OTHER_MODEL = "other";

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function combine(base: ModelTotals, delta: ModelTotals, sign: 1 | -1): ModelTotals {
  return {
    model: base.model,
    count: base.count + sign * delta.count,
    inputTokens: base.inputTokens + sign * delta.inputTokens,
    outputTokens: base.outputTokens + sign * delta.outputTokens,
    cacheReadTokens: base.cacheReadTokens + sign * delta.cacheReadTokens,
    cacheWriteTokens: base.cacheWriteTokens + sign * delta.cacheWriteTokens,
    reasoningTokens: base.reasoningTokens + sign * delta.reasoningTokens,
    costFemto: base.costFemto + BigInt(sign) * delta.costFemto,
  };
}

function zero(model: string): ModelTotals {
  return { model, count: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costFemto: 0n };
}

function isZero(t: ModelTotals): boolean {
  return t.count === 0 && t.inputTokens === 0 && t.outputTokens === 0 && t.cacheReadTokens === 0 && t.cacheWriteTokens === 0 && t.reasoningTokens === 0 && t.costFemto === 0n;
}

/** Position of `model` in the sorted list, or where it would be inserted. */
function locate(models: readonly ModelTotals[], model: string): number {
  let low = 0;
  let high = models.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareNames(models[mid].model, model) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The list with `delta` added (`sign` 1) or taken away (−1); entries that reach all zeroes are dropped,
 * so the list stays canonical: sorted by name, no empty entry. The input is not changed.
 */
export function shiftModels(models: readonly ModelTotals[], delta: ModelTotals, sign: 1 | -1): ModelTotals[] {
  const index = locate(models, delta.model);
  const found = index < models.length && models[index].model === delta.model;
  const next = combine(found ? models[index] : zero(delta.model), delta, sign);
  const result = models.slice();
  if (!isZero(next)) result.splice(index, found ? 1 : 0, next);
  else if (found) result.splice(index, 1);
  return result;
}

/** The canonical list of the sums of any number of totals, in one pass (for recomputes and merges). */
export function sumModels(totals: Iterable<ModelTotals>): ModelTotals[] {
  const byName = new Map<string, ModelTotals>();
  for (const t of totals) byName.set(t.model, combine(byName.get(t.model) ?? zero(t.model), t, 1));
  return [...byName.values()].filter((t) => !isZero(t)).sort((a, b) => compareNames(a.model, b.model));
}

/** Whether a model name can be a key of the served `byModel` map (a Firestore field name) and is not "other" itself. */
export function isNameable(model: string): boolean {
  return model.length > 0 && model.length <= 500 && !/^__[\s\S]*__$/.test(model) && model !== OTHER_MODEL;
}

/** One `byModel` entry: the sums of the totals of one or more models. */
function usageOf(totals: readonly ModelTotals[]): ModelUsage {
  const sum = (pick: (t: ModelTotals) => number) => totals.reduce((total, t) => total + pick(t), 0);
  const femto = totals.reduce((total, t) => total + t.costFemto, 0n);
  return { count: sum((t) => t.count), inputTokens: sum((t) => t.inputTokens), outputTokens: sum((t) => t.outputTokens), costUsd: femtoToUsd(femto) };
}

/**
 * The contract's `byModel`: the 50 most used models by count (ties by name), each with its calls,
 * tokens and cost, and every other model summed into "other" (absent when nothing is folded).
 */
export function renderByModel(models: readonly ModelTotals[]): Record<string, ModelUsage> {
  const kept = models
    .filter((t) => isNameable(t.model))
    .sort((a, b) => b.count - a.count || compareNames(a.model, b.model))
    .slice(0, BY_MODEL_LIMIT);
  const keptNames = new Set(kept.map((t) => t.model));
  const entries: Array<[string, ModelUsage]> = kept.map((t) => [t.model, usageOf([t])]);
  const folded = models.filter((t) => !keptNames.has(t.model));
  if (folded.length > 0) entries.push([OTHER_MODEL, usageOf(folded)]);
  return Object.fromEntries(entries);
}
