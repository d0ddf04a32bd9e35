import { test } from "node:test";
import assert from "node:assert/strict";
import { interactionDocId, sortBatch } from "../../../functions/src/metrics/interaction-batch";

const now = new Date("2026-11-23T10:00:00Z");
const item = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  model: "claude-sonnet-4",
  inputTokens: 10,
  outputTokens: 5,
  latencyMs: 120,
  status: "success",
  occurredAt: "2026-11-23T09:59:00Z",
  ...extra,
});

test("valid items are accepted, each bad one rejected with its index and reason", () => {
  const batch = sortBatch("a", [item("1"), item("2", { inputTokens: -1 }), { nope: true }, item("3", { status: "exploded" }), item("4", { occurredAt: "2027-01-01T00:00:00Z" })], "alice", now);
  assert.deepEqual(batch.accepted.map((a) => a.docId), [interactionDocId("a", "1")]);
  assert.deepEqual(batch.rejected.map((r) => r.index), [1, 2, 3, 4]);
  assert.match(batch.rejected[0].reason, /^inputTokens: /);
  assert.match(batch.rejected[3].reason, /future/);
});

test("an id repeated in one request counts once; userId defaults to the session's user", () => {
  const batch = sortBatch("a", [item("1"), item("1"), item("2", { userId: "bob" })], "alice", now);
  assert.equal(batch.accepted.length, 2);
  assert.equal(batch.repeated, 1);
  assert.deepEqual(batch.accepted.map((a) => a.userId), ["alice", "bob"]);
  assert.equal(batch.accepted[0].interaction.occurredAt.toISOString(), "2026-11-23T09:59:00.000Z");
});

test("document ids are stable per agent and client id, and differ across agents", () => {
  assert.equal(interactionDocId("a", "x"), interactionDocId("a", "x"));
  assert.notEqual(interactionDocId("a", "x"), interactionDocId("b", "x"));
  assert.notEqual(interactionDocId("a:b", "c"), interactionDocId("a", "b:c"));
  assert.match(interactionDocId("a", "x"), /^i_[A-Za-z0-9_-]{32}$/);
});

test("hostile items are rejected, never thrown on", () => {
  const hostile = [null, 42, "x", [], item("__proto__", { model: "x".repeat(500) }), item("a/b"), JSON.parse('{"__proto__": {"polluted": true}}')];
  const batch = sortBatch("a", hostile, "alice", now);
  assert.equal(batch.accepted.length, 0);
  assert.equal(batch.rejected.length, hostile.length);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("an item that would take a token total past the largest exact integer is refused, with its index", async () => {
  const { sortBatch, TOTALS_RESERVE } = await import("../../../functions/src/metrics/interaction-batch");
  const item = (id: string, inputTokens: number) => ({ id, model: "gpt-4o", inputTokens, outputTokens: 1, latencyMs: 5, status: "success", occurredAt: "2026-11-23T09:59:00Z" });
  const limit = Number.MAX_SAFE_INTEGER - TOTALS_RESERVE;
  const totals = { inputTokens: limit - 150, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const batch = sortBatch("agent-1", [item("a", 100), item("b", 100), item("c", 50)], "alice", new Date("2026-11-23T10:00:00Z"), totals);
  assert.deepEqual(batch.accepted.map((a) => a.index), [0, 2], "the first fits, the second would pass the limit, the third fits after it");
  assert.deepEqual(batch.rejected, [{ index: 1, reason: "inputTokens: the agent's total would pass the largest exact integer" }]);
  assert.equal(sortBatch("agent-1", [item("d", 1_000_000_001)], "alice", new Date("2026-11-23T10:00:00Z")).rejected.length, 1, "a billion tokens is the most one call may claim");
});

test("an item whose reasoning is above its output, or whose first token comes after its last, is rejected with its reason; the new fields pass through", async () => {
  const { sortBatch } = await import("../../../functions/src/metrics/interaction-batch");
  const item = (id: string, fields: object) => ({ id, model: "claude-sonnet-4-5", inputTokens: 10, outputTokens: 100, latencyMs: 900, status: "success", occurredAt: "2026-11-23T09:59:00Z", ...fields });
  const batch = sortBatch(
    "agent-1",
    [
      item("ok", { cacheWriteTokens: 2000, reasoningTokens: 100, timeToFirstTokenMs: 900 }),
      item("reasoning", { reasoningTokens: 101 }),
      item("first-token", { timeToFirstTokenMs: 900.5 }),
      item("negative", { cacheWriteTokens: -1 }),
    ],
    "alice",
    new Date("2026-11-23T10:00:00Z"),
  );
  assert.deepEqual(batch.rejected, [
    { index: 1, reason: "reasoningTokens: must not be above outputTokens (reasoning is part of the output)" },
    { index: 2, reason: "timeToFirstTokenMs: must not be above latencyMs" },
    { index: 3, reason: "cacheWriteTokens: Too small: expected number to be >=0" },
  ]);
  assert.deepEqual(batch.accepted.map((a) => a.interaction), [
    { model: "claude-sonnet-4-5", inputTokens: 10, outputTokens: 100, cacheWriteTokens: 2000, reasoningTokens: 100, latencyMs: 900, timeToFirstTokenMs: 900, status: "success", occurredAt: new Date("2026-11-23T09:59:00Z") },
  ]);
});
