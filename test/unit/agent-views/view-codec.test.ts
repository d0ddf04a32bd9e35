/**
 * The cache document layout: what a view is stored as, read back as, and which fields a serving read
 * must ask for (a field left out of the mask would make every served view fail its signature).
 */
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { test } from "node:test";
import { sealAccess, verifiedAccess } from "../../../functions/src/metrics/access-seal";
import { emptyAgentState, renderAgent, summarizeAgent } from "../../../functions/src/metrics/agent-view";
import { isAuthentic, nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { mergeAgentStates, rollupContent } from "../../../functions/src/rollups/rollup";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { decodeState, encodeState } from "../../../functions/src/agent-views/state-codec";
import { ANY_MODEL, decodeView, encodeAgentView, encodeRollupView, SERIES_VIEW_FIELDS, SERVED_VIEW_FIELDS } from "../../../functions/src/agent-views/view-codec";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
const now = new Date("2026-11-23T10:00:00Z");
const pricing = pricingFromConfig(null);
const state = summarizeAgent(
  [{ agentId: "a1", type: "pdf", sizeBytes: 10, tokenCount: 2, status: "ready", createdAt: now, updatedAt: now }],
  [{ model: "gpt-4o", inputTokens: 10, outputTokens: 5, cacheReadTokens: 1, latencyMs: 321.5, status: "success", occurredAt: new Date(now.getTime() - 3_600_000) }],
  pricing,
  now,
);
const agentView = seal(nextRevision("agent", "a1", null, renderAgent(state, now), now), keyring, now);
const rollupView = seal(nextRevision("org", "o1", null, rollupContent(mergeAgentStates([state]), 1, now), now), keyring, now);
const access = sealAccess(agentView.data, { ownerId: "alice", orgId: "acme" }, keyring, now);
const bookkeeping = { watermark: now, state, access, pricedWith: "digest", changedAt: now, rollAt: null };

/** The document as a read masked to `fields` would return it. */
const masked = (doc: Record<string, unknown>, fields: readonly string[]) => Object.fromEntries(Object.entries(doc).filter(([key]) => fields.includes(key)));

test("a read of the served fields only still verifies, and keeps the agent's owner", () => {
  const agentDoc = encodeAgentView(agentView, bookkeeping);
  const rollupDoc = encodeRollupView(rollupView, { state, foldedAt: now, changedAt: now, rollAt: null });
  for (const [doc, scope, id] of [[agentDoc, "agent", "a1"], [rollupDoc, "org", "o1"]] as const) {
    const served = decodeView(masked(doc, SERVED_VIEW_FIELDS));
    assert.ok(served && isAuthentic(served.sealed, keyring, scope, id), `${scope} view verifies from its served fields`);
  }
  const served = decodeView(masked(agentDoc, SERVED_VIEW_FIELDS));
  assert.deepEqual(served?.access, access);
  assert.deepEqual(served && verifiedAccess(served.sealed.data, served.access, keyring), { ownerId: "alice", orgId: "acme" }, "the owner's signature verifies from the served fields");
  assert.equal(decodeView(masked(agentDoc, SERVED_VIEW_FIELDS))?.state, null, "the state is left out");
  assert.deepEqual(decodeView(masked(agentDoc, SERIES_VIEW_FIELDS))?.state, state, "a series read gets the state");
});

test("every stored field but the bookkeeping is served", () => {
  const doc = encodeRollupView(rollupView, { state, foldedAt: now, changedAt: now, rollAt: null });
  const agentDoc = encodeAgentView(agentView, bookkeeping);
  const stored = new Set([...Object.keys(doc), ...Object.keys(agentDoc)]);
  assert.deepEqual([...stored].filter((key) => !SERVED_VIEW_FIELDS.includes(key)).sort(), ["_models", "_state", "_sync"]);
});

test("a view's bookkeeping is read back as written", () => {
  const read = decodeView(encodeAgentView(agentView, bookkeeping));
  assert.deepEqual({ watermark: read?.watermark, changedAt: read?.changedAt, pricedWith: read?.pricedWith, access: read?.access }, { watermark: now, changedAt: now, pricedWith: "digest", access });
  assert.equal(decodeView(encodeAgentView(agentView, { ...bookkeeping, access: null }))?.access, null);
  assert.deepEqual(encodeAgentView(agentView, bookkeeping)._models, ["gpt-4o"]);
  const overflowing = { ...state, models: { ...state.models, seenOverflow: true } };
  assert.deepEqual(encodeAgentView(agentView, { ...bookkeeping, state: overflowing })._models, ["gpt-4o", ANY_MODEL]);
});

test("the state survives its codec exactly, and a foreign or damaged one reads as none", () => {
  assert.deepEqual(decodeState(encodeState(state)), state);
  assert.deepEqual(decodeState(encodeState(emptyAgentState())), emptyAgentState());
  assert.equal(decodeState(Buffer.from("not deflated")), null);
  assert.equal(decodeState({ interactions: {} }), null, "a map (the layout before the state was one value)");
  assert.equal(decodeState(undefined), null);
});

test("a state stored before cache writes, reasoning and time to first token decodes with them as zeros, and re-encodes as it was", () => {
  // Laid out as a fold wrote it before #27: six-field model entries and no first-token histogram.
  const bucket = { m: [["*", 2, 300, 20, 5, "1500000000"]], e: 1, l: "240000", h: [0, 150, 1, 0, 1] };
  const stored = { v: 3, sources: emptyAgentState().sources, interactions: { ...bucket, m: [["gpt-4o", 2, 300, 20, 5, "1500000000"]] }, hours: [[1_767_225_600_000, bucket]], days: [], lastAt: 1_767_225_700_000, maxLatencyMs: 130, models: { named: ["gpt-4o"], seen: ["gpt-4o"], seenOverflow: false } };
  const bytes = deflateRawSync(Buffer.from(JSON.stringify(stored)));
  const state = decodeState(bytes);
  assert.ok(state, "an older layout is read, not discarded (which would cost a recompute from source)");
  assert.deepEqual(state.interactions.models, [{ model: "gpt-4o", count: 2, inputTokens: 300, outputTokens: 20, cacheReadTokens: 5, cacheWriteTokens: 0, reasoningTokens: 0, costFemto: 1_500_000_000n }]);
  assert.deepEqual(state.interactions.firstToken, {});
  const block = renderAgent(state, new Date(1_767_225_800_000)).interactions;
  assert.deepEqual([block.cacheWriteTokens, block.reasoningTokens, block.timeToFirstTokenMs], [0, 0, { count: 0, p50: 0, p95: 0 }]);
  assert.deepEqual(JSON.parse(inflateRawSync(encodeState(state)).toString("utf8")), stored, "nothing new is written for interactions that carry none of the new fields");
});
