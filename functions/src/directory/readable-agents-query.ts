/**
 * @module readable-agents-query
 * The agents among a list of ids that a caller may read, found with queries that can only match
 * those: documents whose id is among (up to 30 of) the ids and whose owner is the caller, and the same
 * with the organization the caller's (asked first, for every id; the owner query then only for the ids
 * it did not match, so a document is read once). An id that matches neither (someone else's agent, or
 * none at all) is never read: a query returning nothing costs its minimum of one read, so 100 ids the
 * caller may not read cost at most 8 reads instead of 100. Firestore's automatic single-field indexes
 * serve both (an equality on one field, ordered by document id).
 *
 * Two collections are asked this way: `agents` (`ownerId`, `orgId`), the source of rights; and
 * `agent_metrics_cache` (`_access.ownerId`, `_access.orgId`, the owner every fold keeps beside a view),
 * so one query both decides and reads a view a caller may read: a store hit costs one read, not an
 * access read and then the view's. A view found this way has its owner checked again by the caller.
 */
import { FieldPath, type CollectionReference, type DocumentData, type Firestore } from "firebase-admin/firestore";
import { ownershipOf, type AgentOwnership } from "../documents/source-documents";
import type { Reader, ReadableAgents } from "./agent-access-cache";
import type { StoredView } from "../agent-views/stored-view";
import { COLLECTIONS } from "../documents/collections";
import { decodeView } from "../agent-views/view-codec";

/** Most values Firestore accepts in one `in` filter. */
const IN_LIMIT = 30;

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The documents of `collection` among `agentIds` that `reader` may read, decoded (a document `decode` refuses is left out). */
function readableDocuments<T>(
  collection: CollectionReference,
  fields: { ownerId: string; orgId: string; select?: readonly string[] },
  decode: (data: DocumentData) => T | null,
): (reader: Reader, agentIds: readonly string[]) => Promise<Map<string, T>> {
  const matching = async (ids: string[], field: string, value: string, into: Map<string, T>) => {
    const query = (chunk: string[]) => {
      const filtered = collection.where(FieldPath.documentId(), "in", chunk).where(field, "==", value);
      return fields.select ? filtered.select(...fields.select) : filtered;
    };
    const snaps = await Promise.all(chunks(ids, IN_LIMIT).map((chunk) => query(chunk).get()));
    for (const doc of snaps.flatMap((snap) => snap.docs)) {
      const decoded = decode(doc.data());
      if (decoded !== null) into.set(doc.id, decoded);
    }
  };
  return async (reader, agentIds) => {
    const found = new Map<string, T>();
    const ids = [...new Set(agentIds)];
    if (ids.length === 0) return found;
    // The organization first: a caller's own agents are usually in it, so each is read once.
    if (reader.orgId !== null) await matching(ids, fields.orgId, reader.orgId, found);
    const rest = ids.filter((id) => !found.has(id));
    if (rest.length > 0) await matching(rest, fields.ownerId, reader.uid, found);
    return found;
  };
}

/** Agents the caller may read, with their owner and organization (documents that do not parse as agents are left out). */
export function firestoreReadableAgents(db: Firestore): ReadableAgents {
  return readableDocuments<AgentOwnership>(db.collection(COLLECTIONS.agents), { ownerId: "ownerId", orgId: "orgId" }, ownershipOf);
}

/** Stored views of agents the caller may read, as their stored owner says; `fields` as for `firestoreAgentViewReader`. */
export type ReadableViews = (reader: Reader, agentIds: readonly string[]) => Promise<Map<string, StoredView>>;

export function firestoreReadableViews(db: Firestore, { fields }: { fields: readonly string[] }): ReadableViews {
  return readableDocuments(db.collection(COLLECTIONS.agentViews), { ownerId: "_access.ownerId", orgId: "_access.orgId", select: fields }, decodeView);
}
