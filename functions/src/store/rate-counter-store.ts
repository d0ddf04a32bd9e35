/**
 * @module rate-counter-store
 * The shared rate-limit counters: `rate_limits/{keyId}_{windowStart}`, incremented atomically with
 * `FieldValue.increment` (no transaction, so instances never contend) and removed by a TTL policy.
 */
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { RateCounterStore } from "../http/rate-limiter";
import { COLLECTIONS } from "./collections";

const KEEP_MS = 10 * 60_000;

export function firestoreRateCounterStore(db: Firestore): RateCounterStore {
  const counters = db.collection(COLLECTIONS.rateLimits);
  return {
    async add(keyId, windowStartMs, delta) {
      const ref = counters.doc(`${keyId}_${windowStartMs}`);
      await ref.set({ count: FieldValue.increment(delta), expireAt: Timestamp.fromMillis(windowStartMs + KEEP_MS) }, { merge: true });
      return Number((await ref.get()).get("count") ?? delta);
    },
  };
}
