/**
 * @module store-probe
 * The health check's probe of Firestore: a get of one document that is never written. A missing
 * document is still an answer, costs one read and no payload, and proves the path to the store
 * works; a listing (`listCollections`) or a query would cost more and say no more.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { StoreProbe } from "./health-check";
import { COLLECTIONS } from "../documents/collections";

/** Reads `metrics_config/health` (absent by design). */
export function firestoreProbe(db: Firestore): StoreProbe {
  const ref = db.collection(COLLECTIONS.config).doc("health");
  return () => ref.get();
}
