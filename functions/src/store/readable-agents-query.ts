/**
 * @module readable-agents-query
 * The agents among a list of ids that a caller may read, found with queries that can only match
 * those: `agents` where the document id is among (up to 30 of) the ids and `ownerId` is the caller,
 * and the same with `orgId` the caller's organization (asked first, for every id; the owner query
 * then only for the ids it did not match, so an agent is read once). An id that matches neither
 * (someone else's agent, or none at all) is never read: a query returning nothing costs its minimum
 * of one read, so 100 ids the caller may not read cost at most 8 reads instead of 100. Both queries are served by
 * Firestore's automatic single-field indexes (an equality on one field, ordered by document id).
 * Documents that do not parse as agents are left out, as everywhere else.
 */
import { FieldPath, type Firestore } from "firebase-admin/firestore";
import type { AgentOwnership } from "../domain/access-policy";
import { ownershipOf } from "../schemas/source-documents";
import type { ReadableAgents } from "../cache/agent-access-cache";
import { COLLECTIONS } from "./collections";

/** Most values Firestore accepts in one `in` filter. */
const IN_LIMIT = 30;

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function firestoreReadableAgents(db: Firestore): ReadableAgents {
  const agents = db.collection(COLLECTIONS.agents);
  const matching = async (ids: string[], field: "ownerId" | "orgId", value: string, into: Map<string, AgentOwnership>) => {
    const snaps = await Promise.all(chunks(ids, IN_LIMIT).map((chunk) => agents.where(FieldPath.documentId(), "in", chunk).where(field, "==", value).get()));
    for (const doc of snaps.flatMap((snap) => snap.docs)) {
      const owner = ownershipOf(doc.data());
      if (owner) into.set(doc.id, owner);
    }
  };
  return async (reader, agentIds) => {
    const readable = new Map<string, AgentOwnership>();
    const ids = [...new Set(agentIds)];
    // The organization first: a caller's own agents are usually in it, so each is read once.
    if (reader.orgId !== null) await matching(ids, "orgId", reader.orgId, readable);
    const rest = ids.filter((id) => !readable.has(id));
    if (rest.length > 0) await matching(rest, "ownerId", reader.uid, readable);
    return readable;
  };
}
