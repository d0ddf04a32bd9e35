/**
 * Usage tallies: requests alike in key, route, status, client and day become one audit record with
 * their count, times and latencies; the daily rollup counts requests, not tallies.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { outcomeOf, rollUp, UsageTallies, type UsageRecord } from "../../../functions/src/usage/usage";

function tallyUp(records: readonly UsageRecord[]) {
  const tallies = new UsageTallies();
  records.forEach((record) => tallies.add(record));
  return tallies.values();
}

const at = (iso: string) => new Date(iso);
function record(overrides: Partial<UsageRecord> = {}): UsageRecord {
  const status = overrides.status ?? 200;
  const when = overrides.at ?? at("2026-11-23T10:00:00.000Z");
  return { keyId: "k1", ownerId: "alice", route: "GET /v1/agents/:agentId/metrics", status, latencyMs: 3, outcome: outcomeOf(status), day: when.toISOString().slice(0, 10), ipHash: "ip-a", at: when, ...overrides };
}

test("requests alike fold into one tally with their count, first and last time and latencies", () => {
  const tallies = tallyUp([
    record({ at: at("2026-11-23T10:00:00.500Z"), latencyMs: 4 }),
    record({ at: at("2026-11-23T10:00:00.100Z"), latencyMs: 9 }),
    record({ at: at("2026-11-23T10:00:00.900Z"), latencyMs: 2 }),
  ]);
  assert.equal(tallies.length, 1);
  assert.deepEqual(
    { count: tallies[0].count, firstAt: tallies[0].firstAt.toISOString(), lastAt: tallies[0].lastAt.toISOString(), total: tallies[0].latencyMsTotal, max: tallies[0].latencyMsMax },
    { count: 3, firstAt: "2026-11-23T10:00:00.100Z", lastAt: "2026-11-23T10:00:00.900Z", total: 15, max: 9 },
  );
});

test("a different key, route, status, client or day starts its own tally", () => {
  const tallies = tallyUp([
    record(),
    record({ keyId: "k2" }),
    record({ route: "POST /v1/agents/metrics:batchGet" }),
    record({ status: 429 }),
    record({ ipHash: "ip-b" }),
    record({ ipHash: null }),
    record({ at: at("2026-11-24T00:00:01.000Z") }),
    record(),
  ]);
  assert.equal(tallies.length, 7);
  assert.equal(tallies.reduce((sum, t) => sum + t.count, 0), 8);
});

test("the daily rollup counts requests by outcome, and its last use is the newest request", () => {
  const days = rollUp(tallyUp([record(), record(), record({ status: 403 }), record({ status: 429, at: at("2026-11-23T18:00:00.000Z") }), record({ keyId: "k2" })]));
  const k1 = days.get("k1_2026-11-23");
  assert.equal(k1?.total, 4);
  assert.deepEqual(k1?.byOutcome, { success: 2, denied: 1, rate_limited: 1, client_error: 0, server_error: 0 });
  assert.equal(k1?.lastUsedAt.toISOString(), "2026-11-23T18:00:00.000Z");
  assert.equal(days.get("k2_2026-11-23")?.total, 1);
});
