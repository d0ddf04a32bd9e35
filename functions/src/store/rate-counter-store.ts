/**
 * @module rate-counter-store
 * The shared rate-limit counters of each key and window, incremented atomically with
 * `FieldValue.increment` (no transaction, so instances never contend) and removed by a TTL policy.
 *
 * Every instance serving a key adds to its counter once a second; with one document per key and
 * window, a key served by many instances would make it a hot document. So each instance adds to one of
 * `COUNTER_SHARDS` documents of the window (`rate_limits/{keyId}_{windowStart}_{shard}`, the shard
 * picked at random when it starts) and reads the total back with one `sum()` aggregation over the
 * window's shards: still one read per sync, and about instances / 8 writes a second per document.
 */
import { randomInt } from "node:crypto";
import { AggregateField, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { RateCounterStore } from "../http/rate-limiter";
import { COLLECTIONS } from "./collections";

const KEEP_MS = 10 * 60_000;
export const COUNTER_SHARDS = 8;

export function firestoreRateCounterStore(db: Firestore, shard = randomInt(COUNTER_SHARDS)): RateCounterStore {
  const counters = db.collection(COLLECTIONS.rateLimits);
  return {
    async add(keyId, windowStartMs, delta) {
      const ref = counters.doc(`${keyId}_${windowStartMs}_${shard}`);
      await ref.set({ keyId, windowStartMs, count: FieldValue.increment(delta), expireAt: Timestamp.fromMillis(windowStartMs + KEEP_MS) }, { merge: true });
      const total = await counters.where("keyId", "==", keyId).where("windowStartMs", "==", windowStartMs).aggregate({ count: AggregateField.sum("count") }).get();
      return Number(total.data().count ?? delta);
    },
  };
}
