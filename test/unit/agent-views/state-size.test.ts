/**
 * Bounded state: whatever clients send, an agent view's stored state stays below Firestore's 1 MiB
 * document limit with room for the rest of the document (the served view with 51 model entries and
 * `_models` with 100 names of 128 characters: under 40 KB). The first test builds the largest state the schemas and retention allow in
 * shape (every bucket kept, every histogram key used, 50 long model names and "other" everywhere they
 * can be) with counts far beyond any real volume; the second sends 3,000 new model names through the
 * real fold arithmetic.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyDeltas, type AgentDelta } from "../../../functions/src/metrics/agent-delta";
import { emptyAgentState, renderAgent } from "../../../functions/src/metrics/agent-view";
import type { InteractionsState } from "../../../functions/src/metrics/interaction-metrics";
import { BY_MODEL_LIMIT, OTHER_MODEL } from "../../../functions/src/metrics/model-breakdown";
import { SEEN_MODEL_LIMIT } from "../../../functions/src/metrics/model-registry";
import { pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { ALL_MODELS, DAY_MS, HOUR_MS } from "../../../functions/src/metrics/time-buckets";
import { decodeState, encodeState } from "../../../functions/src/agent-views/state-codec";
import { mulberry32 } from "../../support/seeded-random";

// Half the limit until the time-to-first-token histograms (#27) doubled the histograms a bucket holds;
// reaching this shape takes about a billion interactions spread over every latency and every hour.
const LIMIT_BYTES = 900 * 1024;

test("the largest state clients can shape encodes to under 900 KiB, leaving room in Firestore's 1 MiB for the rest of the document", () => {
  const rand = mulberry32(7);
  const big = () => Math.floor(rand() * 1e12);
  const names = Array.from({ length: BY_MODEL_LIMIT }, (_, i) => `model-${i}-`.padEnd(128, "x"));
  // Every key a histogram can have: the zero bucket and indices from 1 µs up to one day.
  const histogram = () => {
    const h: Record<string, number> = { z: 1 + Math.floor(rand() * 10_000) };
    for (let i = -234; i <= 618; i++) h[i >= 0 ? `p${i}` : `n${-i}`] = 1 + Math.floor(rand() * 10_000);
    return h;
  };
  const interactions = (models: string[]): InteractionsState => ({
    models: models.map((model) => ({ model, count: 1 + Math.floor(rand() * 1e6), inputTokens: big(), outputTokens: big(), cacheReadTokens: big(), cacheWriteTokens: big(), reasoningTokens: big(), costFemto: BigInt(big()) * 1_000_000n })),
    errorCount: Math.floor(rand() * 1e6),
    latencySumMicros: BigInt(big()) * 1000n,
    latency: histogram(),
    firstToken: histogram(),
  });
  const state = {
    ...emptyAgentState(),
    interactions: interactions([...names, OTHER_MODEL]),
    hours: { buckets: Array.from({ length: 7 * 24 + 3 }, (_, i) => ({ startMs: i * HOUR_MS, interactions: interactions([ALL_MODELS]) })) },
    days: { buckets: Array.from({ length: 33 }, (_, i) => ({ startMs: i * DAY_MS, interactions: interactions([...names, OTHER_MODEL]) })) },
    models: { named: names, seen: [...names, ...names.map((n) => `${n}y`)].sort(), seenOverflow: true },
  };
  const bytes = encodeState(state).length;
  console.log(`largest state: ${Math.round(bytes / 1024)} KB encoded`);
  assert.ok(bytes < LIMIT_BYTES, `${bytes} bytes`);
  assert.deepEqual(decodeState(encodeState(state)), state);
});

test("3,000 new model names leave at most 50 named models and \"other\", in the totals and every bucket", () => {
  const pricing = pricingFromConfig(null);
  const now = new Date("2026-11-23T10:00:00Z");
  let state = emptyAgentState();
  for (let request = 0; request < 3; request++) {
    const delta: AgentDelta = {
      id: `ingest-${request}`,
      kind: "ingest",
      committedAt: now,
      removed: { sources: [], interactions: [] },
      added: {
        sources: [],
        interactions: Array.from({ length: 1000 }, (_, i) => ({ model: `m-${request}-${i}`, inputTokens: 10, outputTokens: 1, latencyMs: 100 + i, status: "success" as const, occurredAt: new Date(now.getTime() - (i % 48) * HOUR_MS) })),
      },
    };
    state = applyDeltas(state, [delta], pricing, now).state;
  }
  assert.equal(state.models.named.length, BY_MODEL_LIMIT);
  assert.equal(state.models.seen.length, SEEN_MODEL_LIMIT);
  assert.equal(state.models.seenOverflow, true);
  assert.ok(state.interactions.models.length <= BY_MODEL_LIMIT + 1);
  for (const bucket of state.days.buckets) assert.ok(bucket.interactions.models.length <= BY_MODEL_LIMIT + 1);
  const byModel = renderAgent(state, now).interactions.byModel;
  assert.equal(Object.keys(byModel).length, BY_MODEL_LIMIT + 1);
  assert.equal(byModel[OTHER_MODEL].count, 3000 - BY_MODEL_LIMIT);
  assert.equal(Object.values(byModel).reduce((sum, m) => sum + m.count, 0), 3000, "every interaction is counted somewhere");
  assert.ok(encodeState(state).length < 64 * 1024);
});
