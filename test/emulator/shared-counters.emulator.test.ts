/**
 * The per-key counters every instance writes once a second (rate-limit windows and daily usage
 * rollups) are kept per instance so that many instances serving one key do not make one hot document:
 * against the Firestore emulator, each instance writes its own document, and every total read back is
 * the sum over all of them, whichever way the usage report adds them up.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { firestoreRateCounterStore } from "../../functions/src/rate-limits/rate-counter-store";
import { firestoreUsageStore } from "../../functions/src/usage/usage-store";
import type { UsageTally } from "../../functions/src/usage/usage";
import { adminDb, unique } from "../support/emulators";

test("instances serving one key each write their own rate-limit counter, and each reads the window's total", async () => {
  const db = adminDb();
  const keyId = unique("key");
  const windowStartMs = 1_700_000_000_000;
  const instances = Array.from({ length: 8 }, (_, i) => firestoreRateCounterStore(db, `instance-${i}`));
  const totals = [];
  for (const [i, store] of instances.entries()) totals.push(await store.add(keyId, windowStartMs, i + 1));
  // Each add sees at least everything added before it: the running sum 1, 1+2, 1+2+3, ...
  assert.deepEqual(totals, instances.map((_, i) => ((i + 1) * (i + 2)) / 2));
  const docs = await db.collection(COLLECTIONS.rateLimits).where("keyId", "==", keyId).get();
  assert.equal(docs.size, instances.length, "one document per instance, none written by two instances");
  assert.equal(await instances[0].add(keyId, windowStartMs + 60_000, 5), 5, "another window starts from zero");
});

const tallyOf = (keyId: string, day: string) => (count: number, outcome: UsageTally["outcome"]): UsageTally => ({
  keyId, ownerId: "owner", route: "/v1/agents/:id/metrics", status: 200, outcome, day, ipHash: null, count, firstAt: new Date(), lastAt: new Date(), latencyMsTotal: count, latencyMsMax: 1,
});

test("daily usage written by two instances is reported as one day's sum", async () => {
  const db = adminDb();
  const keyId = unique("key");
  const tally = tallyOf(keyId, new Date().toISOString().slice(0, 10));
  await firestoreUsageStore(db, "instance-a").append([tally(3, "success")]);
  await firestoreUsageStore(db, "instance-b").append([tally(4, "success"), tally(2, "denied")]);
  await firestoreUsageStore(db, "instance-a").append([tally(1, "success")]);
  const report = await firestoreUsageStore(db, "instance-c").report(keyId, 7, new Date());
  assert.equal(report.days.length, 1);
  assert.equal(report.days[0].total, 10);
  assert.equal(report.days[0].byOutcome.success, 8);
  assert.equal(report.days[0].byOutcome.denied, 2);
  const docs = await db.collection(COLLECTIONS.apiKeyUsageDaily).where("keyId", "==", keyId).get();
  assert.equal(docs.size, 2);
});

test("a key served by more instances than the report can read one by one is summed by aggregation, to the same figures", async () => {
  const db = adminDb();
  const keyId = unique("key");
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  // A two-day report reads documents one by one up to 4 of them; 6 instances today and one yesterday make 7.
  for (let i = 0; i < 6; i++) await firestoreUsageStore(db, `instance-${i}`).append([tallyOf(keyId, today)(i + 1, "success"), tallyOf(keyId, today)(1, "rate_limited")]);
  await firestoreUsageStore(db, "instance-0").append([tallyOf(keyId, yesterday)(5, "client_error")]);
  const docs = await db.collection(COLLECTIONS.apiKeyUsageDaily).where("keyId", "==", keyId).get();
  assert.equal(docs.size, 7);
  const report = await firestoreUsageStore(db, "reader").report(keyId, 2, now);
  assert.deepEqual(
    report.days.map((d) => [d.day, d.total, d.byOutcome.success, d.byOutcome.rate_limited, d.byOutcome.client_error]),
    [
      [today, 27, 21, 6, 0],
      [yesterday, 5, 0, 0, 5],
    ],
  );
  const newest = Math.max(...docs.docs.map((d) => d.get("lastUsedAt").toMillis()));
  assert.equal(report.lastUsedAt?.getTime(), newest, "the latest use of any instance");
  // The one-by-one path gives the same figures for the same documents.
  const sevenDays = await firestoreUsageStore(db, "reader").report(keyId, 7, now);
  assert.deepEqual(sevenDays, report);
});
