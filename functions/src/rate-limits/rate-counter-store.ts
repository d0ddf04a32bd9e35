/**
 * @module rate-counter-store
 * The shared rate-limit counters of each key and window, incremented atomically with
 * `FieldValue.increment` (no transaction, so instances never contend) and removed by a TTL policy.
 *
 * Every instance serving a key adds to its counter once a second; with one document per key and
 * window, a key served by many instances would make it a hot document. So each instance adds to its
 * own document of the window (`rate_limits/{keyId}_{windowStartMs}_{instanceId}`) and reads the total
 * back with one `sum()` aggregation over the window's documents: one write a second per document
 * however many instances serve the key, and one read per sync (an aggregation bills one read per
 * 1,000 documents it counts).
 */
import { AggregateField, FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { RateCounterStore } from "./rate-limiter";
import { INSTANCE_ID } from "../config/params";
import { COLLECTIONS } from "../documents/collections";

const KEEP_MS = 10 * 60_000;

export function firestoreRateCounterStore(db: Firestore, instanceId = INSTANCE_ID): RateCounterStore {
  const counters = db.collection(COLLECTIONS.rateLimits);
  return {
    async add(keyId, windowStartMs, delta) {
      const ref = counters.doc(`${keyId}_${windowStartMs}_${instanceId}`);
      await ref.set({ keyId, windowStartMs, count: FieldValue.increment(delta), expireAt: Timestamp.fromMillis(windowStartMs + KEEP_MS) }, { merge: true });
      const total = await counters.where("keyId", "==", keyId).where("windowStartMs", "==", windowStartMs).aggregate({ count: AggregateField.sum("count") }).get();
      return Number(total.data().count ?? delta);
    },
  };
}
