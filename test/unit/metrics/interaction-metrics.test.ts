import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyInteractionChange,
  emptyInteractionsState,
  mergeInteractionsStates,
  renderInteractions,
  summarizeInteractions,
  type CountedInteraction,
  type InteractionContribution,
  type InteractionStatus,
} from "../../../functions/src/metrics/interaction-metrics";
import { costFemtoUsd, pricingConfigSchema, pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { decodeState, encodeState } from "../../../functions/src/agent-views/state-codec";
import { emptyAgentState } from "../../../functions/src/metrics/agent-view";
import { mulberry32 } from "../../support/seeded-random";


const ODD_NAMES = ["__proto__", "constructor", "toString", "a.b", "x/y", "other", "", "__name__"];
const MODELS = [...ODD_NAMES, "gpt-4o", "gpt-4o-mini", ...Array.from({ length: 60 }, (_, i) => `model-${i}`)];
const STATUSES: InteractionStatus[] = ["success", "success", "success", "error", "timeout", "cancelled"];
const pricing = pricingFromConfig(
  pricingConfigSchema.parse({ models: { "a.b": { inputPerMTok: 0.25, outputPerMTok: 1.25 }, "model-3": { inputPerMTok: 0.05, outputPerMTok: 0.2, cacheReadPerMTok: 0.01, cacheWritePerMTok: 0.0625 } } }),
);
/** The USD per million tokens (input, output, cache read, cache write) that `pricing` applies, written out independently as an oracle. */
function rateOf(model: string): [number, number, number, number] {
  if (model === "a.b") return [0.25, 1.25, 0.25, 0.25];
  if (model === "model-3") return [0.05, 0.2, 0.01, 0.0625];
  if (model === "gpt-4o") return [2.5, 10, 1.25, 2.5];
  if (model === "gpt-4o-mini") return [0.15, 0.6, 0.075, 0.15];
  return [3, 15, 0.3, 3];
}

/** An interaction as a state counts it, under its own name, priced with `pricing`. */
function counted(i: InteractionContribution): CountedInteraction {
  const tokens = { inputTokens: i.inputTokens, outputTokens: i.outputTokens, cacheReadTokens: i.cacheReadTokens ?? 0, cacheWriteTokens: i.cacheWriteTokens ?? 0 };
  return { ...i, costFemto: costFemtoUsd(pricing, i.model, tokens, i.occurredAt) };
}

function interaction(model: string, overrides: Partial<InteractionContribution> = {}): CountedInteraction {
  return counted({ model, inputTokens: 100, outputTokens: 10, latencyMs: 500, status: "success", occurredAt: new Date("2026-01-01T00:00:00Z"), ...overrides });
}

function randomInteraction(rand: () => number): CountedInteraction {
  const latencyMs = rand() < 0.05 ? 0 : Math.exp(Math.log(5) + rand() * Math.log(20_000));
  const outputTokens = Math.floor(rand() * 20_000);
  return counted({
    model: MODELS[Math.floor(rand() ** 1.3 * MODELS.length)], // skewed, so counts differ
    inputTokens: Math.floor(rand() * 200_000),
    outputTokens,
    ...(rand() < 0.7 ? { cacheReadTokens: Math.floor(rand() * 50_000) } : {}),
    ...(rand() < 0.4 ? { cacheWriteTokens: Math.floor(rand() * 50_000) } : {}),
    ...(rand() < 0.5 ? { reasoningTokens: Math.floor(rand() * outputTokens) } : {}),
    ...(rand() < 0.6 ? { timeToFirstTokenMs: latencyMs * rand() } : {}),
    latencyMs,
    status: STATUSES[Math.floor(rand() * STATUSES.length)],
    occurredAt: new Date(1_767_000_000_000 + Math.floor(rand() * 1e9)),
  });
}

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

test("deltas applied once each in any order equal a full recompute (random histories, replayable seeds)", () => {
  let seedsWithOther = 0;
  for (let seed = 1; seed <= 120; seed++) {
    const rand = mulberry32(seed);
    // Odd seeds churn few ids hard; even seeds keep enough live interactions to pass the 50-name cap.
    const ids = seed % 2 ? 20 : 250;
    const live = new Map<number, CountedInteraction>();
    const deltas: Array<[CountedInteraction | null, CountedInteraction | null]> = [];
    for (let step = 0; step < (seed % 2 ? 80 : 700); step++) {
      const id = Math.floor(rand() * ids);
      const current = live.get(id) ?? null;
      const next = rand() < 0.2 ? null : randomInteraction(rand);
      if (!current && !next) continue;
      deltas.push([current, next]);
      if (next) live.set(id, next);
      else live.delete(id);
    }
    for (let i = deltas.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [deltas[i], deltas[j]] = [deltas[j], deltas[i]];
    }
    const list = [...live.values()];
    const truth = summarizeInteractions(list);
    const incremental = deltas.reduce((state, [removed, added]) => applyInteractionChange(state, removed, added), emptyInteractionsState());
    assert.deepEqual(incremental, truth.state, `seed ${seed}: state`);
    const block = renderInteractions(incremental, truth.extremes);
    assert.deepEqual(block, renderInteractions(truth.state, truth.extremes), `seed ${seed}: block`);

    // Independent oracle over the live interactions.
    assert.equal(block.count, list.length, `seed ${seed}`);
    assert.equal(block.errorCount, list.filter((i) => i.status !== "success").length, `seed ${seed}`);
    assert.equal(block.inputTokens, list.reduce((s, i) => s + i.inputTokens, 0), `seed ${seed}`);
    assert.equal(block.cacheReadTokens, list.reduce((s, i) => s + (i.cacheReadTokens ?? 0), 0), `seed ${seed}`);
    assert.equal(block.cacheWriteTokens, list.reduce((s, i) => s + (i.cacheWriteTokens ?? 0), 0), `seed ${seed}`);
    assert.equal(block.reasoningTokens, list.reduce((s, i) => s + (i.reasoningTokens ?? 0), 0), `seed ${seed}`);
    const cost = list.reduce((s, i) => {
      const [inRate, outRate, readRate, writeRate] = rateOf(i.model);
      return s + (i.inputTokens * inRate + i.outputTokens * outRate + (i.cacheReadTokens ?? 0) * readRate + (i.cacheWriteTokens ?? 0) * writeRate) / 1e6;
    }, 0);
    assert.ok(Math.abs(block.costUsd - cost) <= 5e-7 + 1e-12 * cost, `seed ${seed}: cost ${block.costUsd} vs ${cost}`);
    if (list.length > 0) {
      const latencies = list.map((i) => i.latencyMs);
      for (const [q, got] of [[0.5, block.latencyMs.p50], [0.95, block.latencyMs.p95], [0.99, block.latencyMs.p99]] as const) {
        const exact = nearestRank(latencies, q);
        assert.ok(exact === 0 ? got === 0 : Math.abs(got - exact) / exact <= 0.02, `seed ${seed}: p${q * 100} ${got} vs ${exact}`);
        assert.ok(got <= block.latencyMs.max, `seed ${seed}: p${q * 100} ${got} above the max ${block.latencyMs.max}`);
      }
      assert.ok(Math.abs(block.latencyMs.avg - latencies.reduce((a, b) => a + b, 0) / list.length) <= 0.001, `seed ${seed}: avg`);
    }
    const firstTokens = list.flatMap((i) => (i.timeToFirstTokenMs === undefined ? [] : [i.timeToFirstTokenMs]));
    assert.equal(block.timeToFirstTokenMs.count, firstTokens.length, `seed ${seed}: interactions with a time to first token`);
    for (const [q, got] of firstTokens.length > 0 ? ([[0.5, block.timeToFirstTokenMs.p50], [0.95, block.timeToFirstTokenMs.p95]] as const) : []) {
      const exact = nearestRank(firstTokens, q);
      assert.ok(exact === 0 ? got === 0 : Math.abs(got - exact) / exact <= 0.02, `seed ${seed}: TTFT p${q * 100} ${got} vs ${exact}`);
    }
    // byModel: the top 50 field-safe names by count (ties by name), the rest in "other".
    const counts = new Map<string, number>();
    for (const i of list) counts.set(i.model, (counts.get(i.model) ?? 0) + 1);
    const eligible = [...counts].filter(([m]) => m !== "" && m !== "other" && !/^__.*__$/.test(m));
    eligible.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const top = eligible.slice(0, 50).map(([m]) => m);
    const names = Object.keys(block.byModel).filter((k) => k !== "other");
    assert.deepEqual(names.sort(), [...top].sort(), `seed ${seed}: byModel names`);
    assert.equal(Object.values(block.byModel).reduce((s, u) => s + u.count, 0), list.length, `seed ${seed}: byModel total`);
    assert.equal(Object.values(block.byModel).reduce((s, u) => s + u.inputTokens, 0), block.inputTokens, `seed ${seed}: byModel input tokens`);
    assert.equal(Object.values(block.byModel).reduce((s, u) => s + u.outputTokens, 0), block.outputTokens, `seed ${seed}: byModel output tokens`);
    if (eligible.length > 50) seedsWithOther++;
  }
  assert.ok(seedsWithOther >= 40, `only ${seedsWithOther} seeds exercised the 50-name cap`);
});

test("errorRate counts every status but success as an error, and an empty scope renders zeroes", () => {
  const list = (["success", "error", "timeout", "cancelled"] as const).map((status) => interaction("gpt-4o", { status }));
  const { state, extremes } = summarizeInteractions(list);
  const block = renderInteractions(state, extremes);
  assert.equal(block.errorCount, 3);
  assert.equal(block.errorRate, 0.75);
  assert.equal(block.lastAt, "2026-01-01T00:00:00.000Z");
  const empty = renderInteractions(emptyInteractionsState(), { lastAt: null, maxLatencyMs: 0 });
  assert.deepEqual(empty, {
    count: 0, errorCount: 0, errorRate: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0,
    latencyMs: { avg: 0, p50: 0, p95: 0, p99: 0, max: 0 }, timeToFirstTokenMs: { count: 0, p50: 0, p95: 0 }, byModel: {}, lastAt: null,
  });
});

test("cost is rounded once over exact sums, not per interaction", () => {
  // One input token of gpt-4o-mini costs 1.5e-7 USD: four of them are 6e-7, which rounds to 1e-6.
  const one = interaction("gpt-4o-mini", { inputTokens: 1, outputTokens: 0 });
  const state = [one, one, one, one].reduce((s, i) => applyInteractionChange(s, null, i), emptyInteractionsState());
  const block = renderInteractions(state, { lastAt: null, maxLatencyMs: 500 });
  assert.equal(block.costUsd, 0.000001);
  assert.equal(block.byModel["gpt-4o-mini"].costUsd, 0.000001);
  const three = applyInteractionChange(state, one, null);
  assert.equal(renderInteractions(three, { lastAt: null, maxLatencyMs: 500 }).costUsd, 0);
  const big = summarizeInteractions([interaction("gpt-4o", { inputTokens: 1_234_567, outputTokens: 7_654, cacheReadTokens: 10 })]);
  assert.equal(renderInteractions(big.state, big.extremes).costUsd, 3.16297); // 3.0864175 + 0.07654 + 0.0000125
});

test("more than 50 models fold into \"other\" by count, ties broken by name", () => {
  const uses = (model: string, n: number) => Array.from({ length: n }, () => interaction(model));
  const fifty = Array.from({ length: 50 }, (_, m) => uses(`m${m + 10}`, m + 11)).flat(); // m10 has 11 uses … m59 has 60
  const atCap = summarizeInteractions(fifty);
  const exactly = renderInteractions(atCap.state, atCap.extremes).byModel;
  assert.equal(Object.keys(exactly).length, 50);
  assert.equal(exactly.other, undefined);

  // Two more models with m10's 11 uses: of the three tied last, the name first in order stays.
  const { state, extremes } = summarizeInteractions([...fifty, ...uses("zzz", 11), ...uses("aaa", 11)]);
  const byModel = renderInteractions(state, extremes).byModel;
  const names = Object.keys(byModel).filter((k) => k !== "other");
  assert.equal(names.length, 50);
  assert.ok(names.includes("aaa") && !names.includes("m10") && !names.includes("zzz"));
  assert.equal(byModel.other.count, 22);
  assert.equal(byModel.other.costUsd, 0.0099); // 22 × (100 × 3 + 10 × 15) per million, the default rate
});

test("odd model names are safe: dotted and slashed names are keys, reserved ones fold into \"other\"", () => {
  const list = ["a.b", "x/y", "constructor", "toString", "__proto__", "__name__", "other", ""].map((model) => interaction(model));
  const { state, extremes } = summarizeInteractions(list);
  const block = renderInteractions(state, extremes);
  assert.equal(Object.getPrototypeOf(block.byModel), Object.prototype);
  assert.deepEqual(Object.keys(block.byModel).sort(), ["a.b", "constructor", "other", "toString", "x/y"]);
  assert.equal(block.byModel.other.count, 4);
  assert.equal(block.byModel["a.b"].costUsd, 0.000038); // (100 × 0.25 + 10 × 1.25) per million = 37.5e-6, rounded half up
  assert.equal(({} as Record<string, unknown>).count, undefined);
  // The stored state survives its codec, odd names and BigInt costs included.
  assert.deepEqual(decodeState(encodeState({ ...emptyAgentState(), interactions: state }))?.interactions, state);
  assert.ok(state.models.some((t) => t.model === "__proto__"));
});

test("merging two scopes' states equals the state of all their interactions", () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rand = mulberry32(seed);
    const a = Array.from({ length: Math.floor(rand() * 40) }, () => randomInteraction(rand));
    const b = Array.from({ length: Math.floor(rand() * 40) }, () => randomInteraction(rand));
    const merged = mergeInteractionsStates(summarizeInteractions(a).state, summarizeInteractions(b).state);
    assert.deepEqual(merged, summarizeInteractions([...a, ...b]).state, `seed ${seed}`);
  }
});
