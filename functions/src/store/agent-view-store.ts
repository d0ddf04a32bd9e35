/**
 * @module agent-view-store
 * `agent_metrics_cache/{agentId}` on Firestore: the `ViewTransaction` port implemented on a Firestore
 * `Transaction`, so the decisions of `views/agent-view-updates` (event markers, watermarks, deltas,
 * recomputes) run unchanged here and in the in-memory model test. Event markers live in
 * `trigger_events/{eventId}`, written in the same transaction as the view, with an expiry past which
 * no redelivery is expected. Reads that several decisions need at once go in one `getAll`.
 */
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type Transaction } from "firebase-admin/firestore";
import { ownershipOf } from "../schemas/source-documents";
import { agentViewsOver, type AgentViewStore } from "../views/agent-views";
import { Abandoned, type AgentRecord, type AgentSnapshot, type ViewDatabase, type ViewTransaction } from "../views/view-transaction";
import { COLLECTIONS } from "./collections";
import { LatestFinder } from "./latest-finder";
import { SETTLE_MS, snapshotTimeOf, type SnapshotTime } from "./snapshot-time";
import { decodeView, encodeAccess, encodeView } from "./view-codec";

// The HTTP layer names the store's types from here.
export type { AgentViewStore } from "../views/agent-views";
export type { ViewContext } from "../views/agent-view-updates";

/** An agent document as view writes see it (one that does not parse exists, with no known owner). */
function agentRecordOf(snap: DocumentSnapshot): AgentRecord {
  return snap.exists ? { exists: true, ownership: ownershipOf(snap.data()) } : { exists: false, ownership: null };
}

/** How long event markers are kept; a redelivery later than this is not expected. */
export const EVENT_MARKER_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

function firestoreViewTransaction(db: Firestore, tx: Transaction, latest: LatestFinder): ViewTransaction {
  const views = db.collection(COLLECTIONS.agentViews);
  const interactions = db.collection(COLLECTIONS.interactions);
  const markers = db.collection(COLLECTIONS.triggerEvents);
  const agents = db.collection(COLLECTIONS.agents);
  return {
    async readMarkerAndViews(eventId, agentIds) {
      const [marker, ...snaps] = await tx.getAll(markers.doc(eventId), ...agentIds.map((id) => views.doc(id)));
      return { applied: marker.exists, views: snaps.map((snap) => decodeView(snap.data())) };
    },
    async readViewAndInteractions(agentId, docIds) {
      const [agent, viewSnap, ...existing] = await tx.getAll(agents.doc(agentId), views.doc(agentId), ...docIds.map((id) => interactions.doc(id)));
      return { agent: agentRecordOf(agent), view: decodeView(viewSnap.data()), existing: new Set(existing.filter((snap) => snap.exists).map((snap) => snap.id)) };
    },
    async readAgent(agentId) {
      return agentRecordOf(await tx.get(agents.doc(agentId)));
    },
    async readAgentAndView(agentId) {
      const [agent, view] = await tx.getAll(agents.doc(agentId), views.doc(agentId));
      return { agent: agentRecordOf(agent), view: decodeView(view.data()) };
    },
    async readAgentDocuments(agentId) {
      // Not this transaction's own queries: the emulator answers a query in a read-write transaction
      // with documents as they are while it scans, including writes committed after the read time it
      // reports (a document moved in meanwhile), whose events the watermark would then let count a
      // second time. A read as of a fixed time holds exactly the writes up to it. The transaction has
      // read, and so locked, the view already: every change folded into the view committed before now.
      const { readTime, watermark } = await snapshotTime(agents.doc(agentId));
      const [sources, interactions] = await db.runTransaction((snapshot) => Promise.all([latest.allSources(snapshot, agentId), latest.allInteractions(snapshot, agentId)]), { readOnly: true, readTime });
      return { sources, interactions, watermarks: { source: watermark, interaction: watermark } };
    },
    lastAddedAt: (agentId) => latest.lastAddedAt(tx, agentId),
    interactionExtremes: (agentId) => latest.interactionExtremes(tx, agentId),
    writeView(agentId, sealed, bookkeeping) {
      tx.set(views.doc(agentId), encodeView(sealed, bookkeeping));
    },
    writeAccess(agentId, access) {
      tx.update(views.doc(agentId), { _access: encodeAccess(access) });
    },
    deleteView(agentId) {
      tx.delete(views.doc(agentId));
    },
    writeMarker(eventId, at) {
      tx.set(markers.doc(eventId), { processedAt: Timestamp.fromDate(at), expireAt: Timestamp.fromMillis(at.getTime() + EVENT_MARKER_TTL_DAYS * DAY_MS) });
    },
    createIngestedInteraction(agentId, item) {
      const { occurredAt, ...rest } = item.interaction;
      tx.create(interactions.doc(item.docId), { ...rest, agentId, userId: item.userId, occurredAt: Timestamp.fromDate(occurredAt), ingested: true });
    },
  };
}

/**
 * A time to read a snapshot at (see `snapshot-time`): of `asOf` when given, else the server's time
 * now, learnt from one plain read of `probe`; resolves once that time has passed.
 */
async function snapshotTime(probe: DocumentReference, asOf?: Date): Promise<SnapshotTime> {
  const time = snapshotTimeOf(asOf ? Timestamp.fromDate(asOf) : (await probe.get()).readTime);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return time;
}

/** The Firestore database of agent views (`firestoreAgentViewStore` runs the view logic over it). */
export function firestoreViewDatabase(db: Firestore): ViewDatabase {
  const latest = new LatestFinder(db);
  return {
    // Checked at every attempt: runTransaction retries contention for up to five attempts, and an
    // error that is not Firestore's (Abandoned) ends the retries.
    transact: (work, options) =>
      db.runTransaction((tx) => {
        if (options?.abandoned?.()) throw new Abandoned();
        return work(firestoreViewTransaction(db, tx, latest));
      }),
    readView: async (agentId) => decodeView((await db.collection(COLLECTIONS.agentViews).doc(agentId).get()).data()),
    async readAgentSnapshots(agentIds, asOf) {
      const snapshots = new Map<string, AgentSnapshot>();
      if (agentIds.length === 0) return snapshots;
      const sorted = [...agentIds].sort();
      const views = db.collection(COLLECTIONS.agentViews);
      // The whole page is read at one server time: the caller's (the reconcile's query of the agents
      // page), or that of one plain read. A read at a fixed time needs no transaction id: a read-only
      // transaction without one starts its transaction with its first read, and when that read fails
      // (@google-cloud/firestore 7.11) the promise of the id rejects with nobody awaiting it, an
      // unhandled rejection that takes the process down.
      const { readTime, watermark } = await snapshotTime(views.doc(sorted[0]), asOf);
      return db.runTransaction(
        async (tx) => {
          const [viewSnaps, page] = await Promise.all([tx.getAll(...sorted.map((id) => views.doc(id))), latest.documentsInRange(tx, sorted[0], sorted[sorted.length - 1])]);
          sorted.forEach((agentId, i) => {
            const documents = { sources: page.sources.get(agentId) ?? [], interactions: page.interactions.get(agentId) ?? [], watermarks: { source: watermark, interaction: watermark } };
            snapshots.set(agentId, { view: decodeView(viewSnaps[i].data()), documents });
          });
          return snapshots;
        },
        { readOnly: true, readTime },
      );
    },
  };
}

/** The agent view operations on Firestore. */
export function firestoreAgentViewStore(db: Firestore): AgentViewStore {
  return agentViewsOver(firestoreViewDatabase(db));
}
