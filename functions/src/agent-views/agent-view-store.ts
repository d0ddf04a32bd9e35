/**
 * @module agent-view-store
 * `agent_metrics_cache/{agentId}` on Firestore: the ports of `agent-views/view-transaction` implemented on
 * the Firestore client, so the decisions of `agent-views/agent-fold` run unchanged here and in the in-memory
 * model test. Writers only create documents (deltas in the view's `deltas` subcollection, ingested
 * interactions), which never contend; the fold is the view's only writer, and commits optimistically
 * (`optimisticFold`). Reads a fold needs at once go in one round trip.
 */
import { FieldPath, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type WriteBatch } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import { emptySide } from "../metrics/agent-delta";
import { pricingConfigSchema, pricingFromConfig, type Pricing } from "../pricing/pricing";
import { ownershipOf } from "../documents/source-documents";
import { agentViewsOver, type AgentViewStore } from "./agent-views";
import { Abandoned, MAX_INGEST_CHUNK, type AgentRecord, type FoldTransaction, type IdOwner, type IngestItem, type ViewDatabase } from "./view-transaction";
import { COLLECTIONS } from "../documents/collections";
import { decodeDelta, encodeDelta } from "./delta-codec";
import { LatestFinder } from "./latest-finder";
import { SETTLE_MS, snapshotTimeOf } from "./snapshot-time";
import { decodeView, encodeAgentView } from "./view-codec";
import * as logs from "../config/logs";

/** An agent document as the fold sees it (one that does not parse exists, with no known owner). */
function agentRecordOf(snap: DocumentSnapshot): AgentRecord {
  return snap.exists ? { exists: true, ownership: ownershipOf(snap.data()) } : { exists: false, ownership: null };
}

/** The prices a `metrics_config/pricing` snapshot holds: the shipped defaults when it is missing or malformed (logged). */
export function pricingOf(snap: DocumentSnapshot, log: Logger): Pricing {
  if (!snap.exists) return pricingFromConfig(null);
  const parsed = pricingConfigSchema.safeParse(snap.data());
  if (!parsed.success) logs.pricingInvalid(log, parsed.error.issues.length);
  return pricingFromConfig(parsed.success ? parsed.data : null);
}

/** Firestore's gRPC code for a create that found its document: how a redelivered event shows. */
const ALREADY_EXISTS = 6;

/** Firestore's gRPC codes for a commit another fold got to first: the view changed, or a delta it settles is gone. */
const FAILED_PRECONDITION = 9;
const NOT_FOUND = 5;
/** Runs of one ingest chunk that may each lose a race for one of its ids to another request. */
const INGEST_ATTEMPTS = 4;
/** Attempts of one fold before its error goes to the caller (a fold task is retried by its queue). */
const FOLD_ATTEMPTS = 8;

/**
 * One optimistic fold: reads outside any transaction (so no lock is held while the fold computes, and
 * no read waits for another fold), writes buffered and committed in one batch whose view write is
 * conditional on the view being as this fold read it. Two folds of one agent (two instances, two
 * slots' tasks) can then both run, and the one that commits second fails and folds again from what
 * the first wrote. The view is read before the deltas: a fold that committed before that read has
 * marked its deltas applied by the time they are queried, and one that commits after it changes the
 * view's update time, which fails this fold's commit, so no delta is applied twice.
 */
function optimisticFold(db: Firestore, latest: LatestFinder, log: Logger) {
  const views = db.collection(COLLECTIONS.agentViews);
  const deltasOf = (agentId: string) => views.doc(agentId).collection(COLLECTIONS.deltas);
  const agents = db.collection(COLLECTIONS.agents);
  const pricingRef = db.collection(COLLECTIONS.config).doc("pricing");
  // When the view was last written as this fold read it (null: it did not exist).
  let viewTime: Timestamp | null = null;
  const writes: Array<(batch: WriteBatch) => void> = [];
  const tx: FoldTransaction = {
    async readFoldInputs(agentId, limit) {
      const [agent, view, pricing] = await db.getAll(agents.doc(agentId), views.doc(agentId), pricingRef);
      viewTime = view.exists ? (view.updateTime ?? null) : null;
      const pending = await deltasOf(agentId).where("applied", "==", false).orderBy("recordedAt").limit(limit + 1).get();
      const deltas = pending.docs.slice(0, limit).map((snap) => decodeDelta(snap));
      return { agent: agentRecordOf(agent), view: decodeView(view.data()), deltas, more: pending.size > limit, pricing: pricingOf(pricing, log) };
    },
    async readView(agentId) {
      const view = await views.doc(agentId).get();
      viewTime = view.exists ? (view.updateTime ?? null) : null;
      return decodeView(view.data());
    },
    async readAgentDocuments(agentId) {
      // A read as of a fixed time holds exactly the writes up to it (the emulator answers a query of a
      // read-write transaction with documents as they are while it scans). The fold has read the
      // deltas already: every write they stand for committed before now.
      const { readTime, watermark } = await snapshotTime(agents.doc(agentId));
      const [sources, interactions] = await db.runTransaction((snapshot) => Promise.all([latest.allSources(snapshot, agentId), latest.allInteractions(snapshot, agentId)]), { readOnly: true, readTime });
      return { sources, interactions, watermark };
    },
    lastAddedAt: (agentId, known) => latest.lastAddedAt(agentId, known),
    interactionExtremes: (agentId, known) => latest.interactionExtremes(agentId, known),
    writeView(agentId, sealed, bookkeeping) {
      const ref = views.doc(agentId);
      const data = encodeAgentView(sealed, bookkeeping);
      const readAt = viewTime;
      // `update` replaces each top-level field it names (the layout writes all of them).
      writes.push((batch) => (readAt ? batch.update(ref, data, { lastUpdateTime: readAt }) : batch.create(ref, data)));
    },
    deleteView(agentId) {
      const readAt = viewTime;
      if (readAt) writes.push((batch) => batch.delete(views.doc(agentId), { lastUpdateTime: readAt }));
    },
    settleDeltas(agentId, deltas) {
      for (const delta of deltas) {
        const ref = deltasOf(agentId).doc(delta.id);
        writes.push((batch) => (delta.kind === "ingest" ? batch.delete(ref, { exists: true }) : batch.update(ref, { applied: true })));
      }
    },
  };
  return {
    tx,
    async commit() {
      if (writes.length === 0) return;
      const batch = db.batch();
      for (const write of writes) write(batch);
      await batch.commit();
    },
  };
}

/** True for a commit that lost to another fold's: fold again from what that one wrote. */
function lostToAnotherFold(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === FAILED_PRECONDITION || code === NOT_FOUND || code === ALREADY_EXISTS;
}

/** The server's time now, learnt from one plain read of `probe`, as a snapshot time; resolves once it has passed. */
async function snapshotTime(probe: DocumentReference) {
  const time = snapshotTimeOf((await probe.get()).readTime);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return time;
}

/** The Firestore database of agent views (`firestoreAgentViewStore` runs the view logic over it). */
export function firestoreViewDatabase(db: Firestore, log: Logger, now: () => Date = () => new Date()): ViewDatabase {
  const latest = new LatestFinder(db);
  const views = db.collection(COLLECTIONS.agentViews);
  const deltasOf = (agentId: string) => views.doc(agentId).collection(COLLECTIONS.deltas);
  const database: ViewDatabase = {
    // Checked at every attempt: an error that is not a lost race (Abandoned among them) ends the retries.
    async transact(work, options) {
      for (let attempt = 1; ; attempt++) {
        if (options?.abandoned?.()) throw new Abandoned();
        const fold = optimisticFold(db, latest, log);
        const result = await work(fold.tx);
        try {
          await fold.commit();
          return result;
        } catch (error) {
          if (attempt >= FOLD_ATTEMPTS || !lostToAnotherFold(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
        }
      }
    },
    readView: async (agentId) => decodeView((await views.doc(agentId).get()).data()),
    deltas: {
      async recordEvent(eventId, deltas) {
        const batch = db.batch();
        for (const [agentId, delta] of deltas) batch.create(deltasOf(agentId).doc(eventId), encodeDelta(delta, now()));
        try {
          await batch.commit();
          return "recorded";
        } catch (error) {
          if ((error as { code?: unknown }).code === ALREADY_EXISTS) return "duplicate";
          throw error;
        }
      },
      async ingestChunk(agentId, items, options) {
        if (items.length > MAX_INGEST_CHUNK) throw new RangeError(`an ingest chunk holds at most ${MAX_INGEST_CHUNK} items`);
        // First as if every id were free: one batch of creates, no read and no lock, so writers of one
        // agent never wait on each other. A batch is atomic, and a create that finds its document fails
        // it as a whole: only then are the ids read and the free ones written. A client's retry racing
        // its own first attempt (or requests sharing ids) may take an id between that read and the
        // commit; each such lost race means another request stored ids of this chunk, so it ends.
        let taken = new Map<string, IdOwner>();
        for (let attempt = 1; ; attempt++) {
          if (options?.abandoned?.()) throw new Abandoned();
          const fresh = items.filter((item) => !taken.has(item.docId));
          if (fresh.length === 0) return taken;
          try {
            await ingestBatch(db, agentId, fresh, now()).commit();
            return taken;
          } catch (error) {
            if (attempt >= INGEST_ATTEMPTS || (error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
          }
          taken = await owners(db, agentId, items);
        }
      },
    },
  };
  return database;
}

/** Which of `items`' ids are taken already, and by whom (one read per id, only its `agentId`). */
async function owners(db: Firestore, agentId: string, items: readonly IngestItem[]): Promise<Map<string, IdOwner>> {
  const interactions = db.collection(COLLECTIONS.interactions);
  const snaps = await db.getAll(...items.map((item) => interactions.doc(item.docId)), { fieldMask: [new FieldPath("agentId")] });
  const taken = new Map<string, IdOwner>();
  for (const snap of snaps) if (snap.exists) taken.set(snap.id, snap.get("agentId") === agentId ? "this-agent" : "another-agent");
  return taken;
}

/** One ingest commit: creates the interactions of `fresh` and, atomically with them, their delta. */
function ingestBatch(db: Firestore, agentId: string, fresh: readonly IngestItem[], now: Date): WriteBatch {
  const interactions = db.collection(COLLECTIONS.interactions);
  const batch = db.batch();
  for (const { docId, userId, interaction } of fresh) {
    const { occurredAt, ...rest } = interaction;
    batch.create(interactions.doc(docId), { ...rest, agentId, userId, occurredAt: Timestamp.fromDate(occurredAt), ingested: true });
  }
  // Its commit time is this batch's: the delta's own createTime.
  const delta = { id: "", kind: "ingest" as const, committedAt: new Date(0), removed: emptySide(), added: { sources: [], interactions: fresh.map((item) => item.interaction) } };
  batch.create(db.collection(COLLECTIONS.agentViews).doc(agentId).collection(COLLECTIONS.deltas).doc(), encodeDelta(delta, now));
  return batch;
}

/** The agent view operations on Firestore. */
export function firestoreAgentViewStore(db: Firestore, log: Logger): AgentViewStore {
  return agentViewsOver(firestoreViewDatabase(db, log));
}
