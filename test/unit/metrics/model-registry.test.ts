import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalModel, emptyRegistry, registryFor, SEEN_MODEL_LIMIT, type ModelRegistry } from "../../../functions/src/metrics/model-registry";

const meet = (registry: ModelRegistry, names: string[]) => names.reduce((r, name) => canonicalModel(r, name).registry, registry);

test("a name met while there is room is named for good; one met when the registry is full is \"other\" for good", () => {
  const full = meet(emptyRegistry(), Array.from({ length: 50 }, (_, i) => `m${i}`));
  assert.equal(full.named.length, 50);
  assert.equal(canonicalModel(full, "m7").name, "m7");
  assert.equal(canonicalModel(full, "late").name, "other");
  // Whatever comes later, the decision for each name stands: adds and removes land in one place.
  const later = meet(full, ["late", "m7", "another"]);
  assert.equal(canonicalModel(later, "late").name, "other");
  assert.equal(canonicalModel(later, "m7").name, "m7");
});

test("names that cannot be map keys, and \"other\" itself, are never named", () => {
  for (const name of ["", "__proto__x__", "__x__", "other", "y".repeat(501)]) assert.equal(canonicalModel(emptyRegistry(), name).name, "other", JSON.stringify(name).slice(0, 20));
  assert.equal(canonicalModel(emptyRegistry(), "constructor").name, "constructor");
});

test("seen names are kept for re-pricing up to 100, then the registry says it saw more", () => {
  const registry = meet(emptyRegistry(), Array.from({ length: 150 }, (_, i) => `n${String(i).padStart(3, "0")}`));
  assert.equal(registry.seen.length, SEEN_MODEL_LIMIT);
  assert.equal(registry.seenOverflow, true);
  assert.deepEqual(registry.seen, [...registry.seen].sort());
});

test("a recompute names the 50 most used models, ties by name", () => {
  // 49 clear leaders, then two names tied for the last place, then ten with fewer uses.
  const counts = new Map([...Array.from({ length: 49 }, (_, i) => [`m${String(i).padStart(2, "0")}`, 100 - i] as [string, number]), ["other", 1000], ["tie-b", 41], ["tie-a", 41], ...Array.from({ length: 10 }, (_, i) => [`low${i}`, 5] as [string, number])]);
  const registry = registryFor(counts);
  assert.equal(registry.named.length, 50);
  assert.ok(!registry.named.includes("other"));
  assert.equal(registry.named[0], "m00");
  assert.ok(registry.named.includes("tie-a") && !registry.named.includes("tie-b"));
});
