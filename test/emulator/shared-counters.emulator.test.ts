/**
 * The per-key counters every instance writes once a second (rate-limit windows and daily usage
 * rollups) are sharded so that many instances serving one key do not make one hot document: against
 * the Firestore emulator, instances on different shards each write their own document, and every
 * total read back is the sum over all of them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { COLLECTIONS } from "../../functions/src/store/collections";
import { COUNTER_SHARDS, firestoreRateCounterStore } from "../../functions/src/store/rate-counter-store";
import { DAILY_SHARDS, firestoreUsageStore } from "../../functions/src/store/usage-store";
import type { UsageTally } from "../../functions/src/domain/usage";
import { adminDb, unique } from "../support/emulators";

test("instances on different rate-limit shards each write their own counter, and each reads the window's total", async () => {
  const db = adminDb();
  const keyId = unique("key");
  const windowStartMs = 1_700_000_000_000;
  const instances = Array.from({ length: COUNTER_SHARDS }, (_, shard) => firestoreRateCounterStore(db, shard));
  const totals = [];
  for (const [i, store] of instances.entries()) totals.push(await store.add(keyId, windowStartMs, i + 1));
  // Each add sees at least everything added before it: the running sum 1, 1+2, 1+2+3, ...
  assert.deepEqual(totals, instances.map((_, i) => ((i + 1) * (i + 2)) / 2));
  const docs = await db.collection(COLLECTIONS.rateLimits).where("keyId", "==", keyId).get();
  assert.equal(docs.size, COUNTER_SHARDS, "one document per shard, none written by two instances");
  assert.equal(await instances[0].add(keyId, windowStartMs + 60_000, 5), 5, "another window starts from zero");
});

test("daily usage written by instances on different shards is reported as one day's sum", async () => {
  const db = adminDb();
  const keyId = unique("key");
  const day = new Date().toISOString().slice(0, 10);
  const tally = (count: number, outcome: UsageTally["outcome"]): UsageTally => ({
    keyId, ownerId: "owner", route: "/v1/agents/:id/metrics", status: 200, outcome, day, ipHash: null, count, firstAt: new Date(), lastAt: new Date(), latencyMsTotal: count, latencyMsMax: 1,
  });
  await firestoreUsageStore(db, 0).append([tally(3, "success")]);
  await firestoreUsageStore(db, DAILY_SHARDS - 1).append([tally(4, "success"), tally(2, "denied")]);
  await firestoreUsageStore(db, 0).append([tally(1, "success")]);
  const report = await firestoreUsageStore(db, 3).report(keyId, 7, new Date());
  assert.equal(report.days.length, 1);
  assert.equal(report.days[0].total, 10);
  assert.equal(report.days[0].byOutcome.success, 8);
  assert.equal(report.days[0].byOutcome.denied, 2);
  const docs = await db.collection(COLLECTIONS.apiKeyUsageDaily).where("keyId", "==", keyId).get();
  assert.equal(docs.size, 2);
});
