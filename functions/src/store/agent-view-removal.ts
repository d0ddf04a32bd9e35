/**
 * @module agent-view-removal
 * Removing the view of an agent that was deleted. The agent document is read in the same transaction,
 * so a late delete event for an agent id that has since been created again removes nothing.
 */
import type { Firestore } from "firebase-admin/firestore";
import { COLLECTIONS } from "./collections";

/** Deletes `agent_metrics_cache/{agentId}` when `agents/{agentId}` does not exist; says whether a view was removed. */
export function removeViewOfDeletedAgent(db: Firestore, agentId: string): Promise<boolean> {
  const agent = db.collection(COLLECTIONS.agents).doc(agentId);
  const view = db.collection(COLLECTIONS.agentViews).doc(agentId);
  return db.runTransaction(async (tx) => {
    const [agentSnap, viewSnap] = await tx.getAll(agent, view);
    if (agentSnap.exists || !viewSnap.exists) return false;
    tx.delete(view);
    return true;
  });
}
