/**
 * @module model-breakdown
 * Per-model totals of a metrics view, and the `byModel` map rendered from them.
 *
 * Totals are kept exactly for every model, and the contract's cap of 50 names is applied only when
 * rendering. Capping what is stored would not survive removes: once a model is folded into "other",
 * a later remove cannot tell which part of "other" to take back, nor can a model whose count grows be
 * promoted out of it. Ranking exact totals at render time (count, then name) names the same 50
 * models whatever order the changes arrived in.
 *
 * Totals are stored as an array sorted by name, with the name as a value and never as an object key,
 * so any model name (`__proto__`, `a.b`, `x/y`) is inert in memory and in Firestore. When rendering,
 * names that cannot be Firestore field names (empty, `__…__`, over 500 characters) and a model that is
 * literally called "other" are folded into "other" as well; `Object.fromEntries` builds the map, so
 * even a key such as `constructor` is an ordinary own property.
 */
import { costFemtoUsd, femtoToUsd, type Pricing, type TokenCounts } from "./pricing";

/** What a set of interactions of one model adds up to. */
export interface ModelTotals extends TokenCounts {
  model: string;
  count: number;
}

/** One entry of the rendered `byModel` map. */
export interface ModelUsage {
  count: number;
  costUsd: number;
}

const BY_MODEL_LIMIT = 50;
const OTHER = "other";

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
  };
}

function zero(model: string): ModelTotals {
  return { model, count: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0 };
}

function isZero(t: ModelTotals): boolean {
  return t.count === 0 && t.inputTokens === 0 && t.outputTokens === 0 && t.cacheReadTokens === 0;
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

function isFieldSafe(model: string): boolean {
  return model.length > 0 && model.length <= 500 && !/^__[\s\S]*__$/.test(model) && model !== OTHER;
}

/**
 * The contract's `byModel`: the 50 most used models by count (ties by name), each with its cost,
 * and every other model summed into "other" (absent when nothing is folded).
 */
export function renderByModel(models: readonly ModelTotals[], pricing: Pricing): Record<string, ModelUsage> {
  const kept = models
    .filter((t) => isFieldSafe(t.model))
    .sort((a, b) => b.count - a.count || compareNames(a.model, b.model))
    .slice(0, BY_MODEL_LIMIT);
  const keptNames = new Set(kept.map((t) => t.model));
  const entries: Array<[string, ModelUsage]> = kept.map((t) => [t.model, { count: t.count, costUsd: femtoToUsd(costFemtoUsd(pricing, t.model, t)) }]);
  const folded = models.filter((t) => !keptNames.has(t.model));
  if (folded.length > 0) {
    const count = folded.reduce((sum, t) => sum + t.count, 0);
    const femto = folded.reduce((sum, t) => sum + costFemtoUsd(pricing, t.model, t), 0n);
    entries.push([OTHER, { count, costUsd: femtoToUsd(femto) }]);
  }
  return Object.fromEntries(entries);
}
