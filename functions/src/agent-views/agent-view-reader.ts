/**
 * @module agent-view-reader
 * Reads many agent views in one Firestore `getAll` (one round trip for up to 100 ids), for the edge
 * cache's batched misses and the rollups' folds. Authenticity is checked by the caller, once per load.
 * A reader for serving asks only for the fields it serves (`SERVED_VIEW_FIELDS`, or `SERIES_VIEW_FIELDS`
 * for the series): what it returns lacks the rest, so it must never be the base of a write.
 */
import type { Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "../documents/collections";
import type { StoredView } from "./stored-view";
import { decodeView } from "./view-codec";

export type AgentViewReader = (agentIds: string[]) => Promise<Map<string, StoredView | null>>;

export function firestoreAgentViewReader(db: Firestore, { fields }: { fields?: readonly string[] } = {}): AgentViewReader {
  const views = db.collection(COLLECTIONS.agentViews);
  const options = fields ? [{ fieldMask: [...fields] }] : [];
  return async (agentIds) => {
    if (agentIds.length === 0) return new Map();
    const snaps = await db.getAll(...agentIds.map((id) => views.doc(id)), ...options);
    return new Map(snaps.map((snap) => [snap.id, decodeView(snap.data())]));
  };
}
