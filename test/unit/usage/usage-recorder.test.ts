/**
 * The usage recorder: a thousand alike requests are written as one tally, and a failed write loses
 * nothing (its tallies are written again with the next flush).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { outcomeOf, type UsageRecord, type UsageTally } from "../../../functions/src/usage/usage";
import { UsageRecorder } from "../../../functions/src/usage/usage-recorder";
import type { UsageStore } from "../../../functions/src/usage/usage-store";

const record = (status: number, ms: number): UsageRecord => ({
  keyId: "k1",
  ownerId: "alice",
  route: "GET /v1/agents/:agentId/metrics",
  status,
  latencyMs: 1,
  outcome: outcomeOf(status),
  day: "2026-11-23",
  ipHash: "ip",
  at: new Date(Date.parse("2026-11-23T10:00:00Z") + ms),
});

function store(failures: number) {
  const writes: UsageTally[][] = [];
  let left = failures;
  const usage: UsageStore = {
    append: async (tallies) => {
      if (left-- > 0) throw new Error("UNAVAILABLE");
      writes.push([...tallies]);
    },
    report: async () => ({ days: [], lastUsedAt: null }),
  };
  return { usage, writes };
}

test("a thousand alike requests are written as one tally", async () => {
  const { usage, writes } = store(0);
  const recorder = new UsageRecorder(usage);
  for (let i = 0; i < 1000; i++) recorder.record(record(200, i));
  recorder.record(record(429, 1000));
  await recorder.flush();
  assert.equal(writes.length, 1);
  assert.deepEqual(writes[0].map((t) => [t.status, t.count]), [[200, 1000], [429, 1]]);
});

test("a failed write keeps its tallies for the next flush, and reports none dropped", async () => {
  const { usage, writes } = store(1);
  const errors: number[] = [];
  const recorder = new UsageRecorder(usage, (_error, dropped) => errors.push(dropped));
  for (let i = 0; i < 5; i++) recorder.record(record(200, i));
  await recorder.flush();
  assert.deepEqual(errors, [0]);
  assert.equal(writes.length, 0);
  recorder.record(record(200, 10));
  await recorder.flush();
  const counts = writes.flat().map((t) => t.count);
  assert.equal(counts.reduce((a, b) => a + b, 0), 6, "the five of the failed write and the new one");
});
