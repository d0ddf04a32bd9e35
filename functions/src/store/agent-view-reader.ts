/**
 * @module agent-view-reader
 * Reads many agent views in one Firestore `getAll` (one round trip for up to 100 ids), for the edge
 * cache's batched misses. Authenticity is checked by the caller, once per load.
 */
import type { Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";
import type { StoredView } from "../views/stored-view";
import { decodeView } from "./view-codec";

export type AgentViewReader = (agentIds: string[]) => Promise<Map<string, StoredView | null>>;

export function firestoreAgentViewReader(db: Firestore): AgentViewReader {
  const views = db.collection(COLLECTIONS.agentViews);
  return async (agentIds) => {
    if (agentIds.length === 0) return new Map();
    const snaps = await db.getAll(...agentIds.map((id) => views.doc(id)));
    return new Map(snaps.map((snap) => [snap.id, decodeView(snap.data())]));
  };
}
