/**
 * @module model-registry
 * Which model names a stored state keeps apart, so that no client can grow a view past its bounds.
 *
 * A state keeps totals for at most 50 named models; every other model is counted under "other". The
 * choice must survive removes in any order: a remove has to take its interaction back from wherever
 * its add put it. So the decision for a name is made once and kept: a name met while there is room is
 * named from then on; a name met once the registry is full is "other" from then on. The registry only
 * grows until a full recompute rebuilds it from the documents (the 50 most used names), so every add
 * and every remove of one name land in the same place, whatever their order.
 *
 * Separately, the registry remembers up to 100 names it has priced (named or not), so a change of
 * prices can be matched to the views it affects; past 100 it says "any model" (`seenOverflow`).
 */
import { BY_MODEL_LIMIT, isNameable, OTHER_MODEL } from "./model-breakdown";

export const SEEN_MODEL_LIMIT = 100;

export interface ModelRegistry {
  /** Names kept apart, in the order they were admitted; at most `BY_MODEL_LIMIT`. */
  named: string[];
  /** Names priced so far, sorted; at most `SEEN_MODEL_LIMIT`. */
  seen: string[];
  /** True once more names were priced than `seen` holds. */
  seenOverflow: boolean;
}

export function emptyRegistry(): ModelRegistry {
  return { named: [], seen: [], seenOverflow: false };
}

function noteSeen(registry: ModelRegistry, model: string): ModelRegistry {
  if (registry.seen.includes(model)) return registry;
  if (registry.seen.length >= SEEN_MODEL_LIMIT) return registry.seenOverflow ? registry : { ...registry, seenOverflow: true };
  return { ...registry, seen: [...registry.seen, model].sort() };
}

/**
 * The name `model` is counted under, and the registry after meeting it (the input is not changed).
 * @example canonicalModel(emptyRegistry(), "gpt-4o").name // "gpt-4o"
 */
export function canonicalModel(registry: ModelRegistry, model: string): { registry: ModelRegistry; name: string } {
  const seen = noteSeen(registry, model);
  if (seen.named.includes(model)) return { registry: seen, name: model };
  if (!isNameable(model) || seen.named.length >= BY_MODEL_LIMIT) return { registry: seen, name: OTHER_MODEL };
  return { registry: { ...seen, named: [...seen.named, model] }, name: model };
}

/**
 * The registry a full recompute starts from: the 50 most used nameable models (count, then name), and
 * the first 100 names in name order as seen.
 */
export function registryFor(counts: ReadonlyMap<string, number>): ModelRegistry {
  const names = [...counts.keys()].sort();
  const named = names
    .filter(isNameable)
    .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, BY_MODEL_LIMIT);
  return { named, seen: names.slice(0, SEEN_MODEL_LIMIT), seenOverflow: names.length > SEEN_MODEL_LIMIT };
}
