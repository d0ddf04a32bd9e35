/**
 * @module reconcile-feed
 * The queries the hourly reconcile is made of, each reading only what it names, so a pass costs what
 * changed, what is due, and its audit slice, never the whole history:
 *  - views whose content changed since the last pass (`_sync.changedAt`), whose windows are due to
 *    roll (`_sync.rollAt`), or that are signed by a retired key;
 *  - deltas recorded minutes ago and still not folded (a fold request that was lost);
 *  - a slice of agents from a cursor, with their views, and per agent the `count()`/`sum()`
 *    aggregations of its documents;
 *  - records past their retention.
 * Each list is bounded by `limit`; what does not fit waits for the next pass.
 */
import { AggregateField, FieldPath, Timestamp, type Firestore, type Query } from "firebase-admin/firestore";
import { expiresAfterRetention } from "../retention/retention";
import type { DocumentTotals, UncountedRecord } from "./drift-audit";
import { ownershipOf, type AgentOwnership } from "../documents/source-documents";
import { COLLECTIONS } from "../documents/collections";
import { decodeView, SERVED_VIEW_FIELDS } from "../agent-views/view-codec";
import type { StoredView } from "../agent-views/stored-view";


/** An agent as the audit looks at it: its owner and organization, and its view's served fields. */
export interface AuditTarget {
  agentId: string;
  ownership: AgentOwnership | null;
  view: StoredView | null;
}

const idsOf = async (query: Query): Promise<string[]> => (await query.select().get()).docs.map((doc) => doc.id);

export function reconcileFeed(db: Firestore) {
  const views = db.collection(COLLECTIONS.agentViews);
  const uncounted = db.collection(COLLECTIONS.reconcileState).doc("agents").collection("uncounted");
  return {
    /** Agent views whose content changed at or after `since`. */
    changedSince: (since: Date, limit: number) => idsOf(views.where("_sync.changedAt", ">=", Timestamp.fromDate(since)).limit(limit)),
    /** Agent views whose windows roll by `now`. */
    rollDue: (now: Date, limit: number) => idsOf(views.where("_sync.rollAt", "<=", Timestamp.fromDate(now)).limit(limit)),
    /** Rollups whose windows roll by `now`. */
    rollupsRollDue: (scope: "user" | "org", now: Date, limit: number) =>
      idsOf(db.collection(scope === "user" ? COLLECTIONS.userViews : COLLECTIONS.orgViews).where("_sync.rollAt", "<=", Timestamp.fromDate(now)).limit(limit)),
    /** Agent views signed by a key other than `activeKeyId`. */
    signedByOtherKeys: (activeKeyId: string, limit: number) => idsOf(views.where("signature.keyId", "!=", activeKeyId).limit(limit)),
    /** Agents with a delta recorded before `before` that no fold has applied yet. */
    async unfoldedBefore(before: Date, limit: number): Promise<string[]> {
      const expiringBy = Timestamp.fromDate(expiresAfterRetention(before.getTime()));
      const snap = await db.collectionGroup(COLLECTIONS.deltas).where("applied", "==", false).where("expireAt", "<", expiringBy).select().limit(limit).get();
      return [...new Set(snap.docs.map((doc) => doc.ref.parent.parent?.id).filter((id): id is string => Boolean(id)))];
    },
    /** How many agents there are (one read per 1,000). */
    async agentCount(): Promise<number> {
      return (await db.collection(COLLECTIONS.agents).count().get()).data().count;
    },
    /** The ids of up to `size` agents after `cursor` (from the first when null), in id order. */
    async agentIdsAfter(cursor: string | null, size: number): Promise<string[]> {
      if (size <= 0) return [];
      let query = db.collection(COLLECTIONS.agents).orderBy(FieldPath.documentId()).limit(size);
      if (cursor) query = query.startAfter(cursor);
      return idsOf(query);
    },
    /** The existing agents of `agentIds`, with their owners and their views' served fields: two `getAll`s. */
    async agentsWithViews(agentIds: readonly string[]): Promise<AuditTarget[]> {
      if (agentIds.length === 0) return [];
      const [agents, viewSnaps] = await Promise.all([
        db.getAll(...agentIds.map((id) => db.collection(COLLECTIONS.agents).doc(id))),
        db.getAll(...agentIds.map((id) => views.doc(id)), { fieldMask: [...SERVED_VIEW_FIELDS, "_sync"] }),
      ]);
      return agents.flatMap((agent, i) => (agent.exists ? [{ agentId: agent.id, ownership: ownershipOf(agent.data()), view: decodeView(viewSnaps[i].data()) }] : []));
    },
    /** The aggregations of an agent's documents: two queries, one billed read per 1,000 documents each. */
    async documentTotals(agentId: string): Promise<DocumentTotals> {
      const [sources, interactions] = await Promise.all([
        db.collection(COLLECTIONS.contextSources).where("agentId", "==", agentId).aggregate({ count: AggregateField.count(), sizeBytes: AggregateField.sum("sizeBytes"), tokenCount: AggregateField.sum("tokenCount") }).get(),
        db
          .collection(COLLECTIONS.interactions)
          .where("agentId", "==", agentId)
          // Only fields every valid document has: the emulator leaves out of the whole aggregation (its
          // count too) every document that lacks a summed field, such as the optional cacheReadTokens.
          .aggregate({ count: AggregateField.count(), inputTokens: AggregateField.sum("inputTokens"), outputTokens: AggregateField.sum("outputTokens") })
          .get(),
      ]);
      // A sum over documents none of which has the field is null, not 0.
      const n = (value: number | null) => Number(value ?? 0);
      const s = sources.data();
      const i = interactions.data();
      return {
        sources: { count: s.count, sizeBytes: n(s.sizeBytes), tokenCount: n(s.tokenCount) },
        interactions: { count: i.count, inputTokens: n(i.inputTokens), outputTokens: n(i.outputTokens) },
      };
    },
    /** The difference the audit last found a recompute could not explain for `agentId`, if any (one read). */
    async uncounted(agentId: string): Promise<UncountedRecord | null> {
      const data = (await uncounted.doc(agentId).get()).data();
      return data ? { stored: data.stored as DocumentTotals, counted: data.counted as DocumentTotals } : null;
    },
    /** Records that difference; it expires with the retention period, after which one recompute records it again. */
    async recordUncounted(agentId: string, record: UncountedRecord, now: Date): Promise<void> {
      await uncounted.doc(agentId).set({ ...record, at: Timestamp.fromDate(now), expireAt: Timestamp.fromDate(expiresAfterRetention(now.getTime())) });
    },
    /** Deletes up to `limit` documents of `query` in one batch; returns how many. */
    async deleteSome(query: Query, limit: number): Promise<number> {
      const old = await query.select().limit(limit).get();
      if (old.empty) return 0;
      const batch = db.batch();
      old.docs.forEach((doc) => batch.delete(doc.ref));
      await batch.commit();
      return old.size;
    },
  };
}

export type ReconcileFeed = ReturnType<typeof reconcileFeed>;
