/**
 * @module agent-view-store
 * `agent_metrics_cache/{agentId}`: applying source changes incrementally and recomputing from source.
 *
 * Exactness under at-least-once, unordered delivery rests on two guards, both checked inside the
 * transaction that writes the view:
 *  - an event marker (`trigger_events/{eventId}`) written in the same transaction, so a redelivered
 *    event finds its marker and changes nothing, and a failed attempt leaves neither marker nor delta;
 *  - the view's `sourcesAsOf` watermark, set by a full recompute to the read time of its snapshot, so
 *    an event for a write the snapshot already saw is not counted a second time.
 * A stored view whose signature does not verify is never used as a base: it is recomputed instead.
 */
import { Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import { isAuthentic, nextRevision, seal, emptyContent, type SealedView } from "../domain/metrics-view";
import type { Keyring } from "../domain/signing";
import { applySourceChange, summarizeSources } from "../domain/source-metrics";
import { deltaFor, touchedAgents, type SourceChange } from "../domain/source-change";
import { contextSourceSchema, type ContextSource } from "../schemas/source-documents";
import { COLLECTIONS } from "./collections";
import { decodeView, encodeView, type StoredView } from "./view-codec";

/** How long event markers are kept; a redelivery later than this is not expected. */
export const EVENT_MARKER_TTL_DAYS = 30;
const DAY_MS = 86_400_000;
/** Newest-first candidates read to find the latest valid source; invalid documents are skipped. */
const LATEST_CANDIDATES = 5;
const FAR_FUTURE = Timestamp.fromMillis(253402300799000); // 9999-12-31, keeps the range to timestamps

export interface ViewContext {
  keyring: Keyring;
  now: () => Date;
}

export type ApplyOutcome = "applied" | "duplicate";

export interface AgentViewStore {
  read(agentId: string): Promise<StoredView | null>;
  applySourceChange(change: SourceChange, ctx: ViewContext): Promise<ApplyOutcome>;
  recompute(agentId: string, ctx: ViewContext): Promise<SealedView>;
}

export function firestoreAgentViewStore(db: Firestore): AgentViewStore {
  const views = db.collection(COLLECTIONS.agentViews);
  const sources = db.collection(COLLECTIONS.contextSources);
  const markers = db.collection(COLLECTIONS.triggerEvents);

  const parseSources = (docs: FirebaseFirestore.QueryDocumentSnapshot[]): ContextSource[] =>
    docs.flatMap((doc) => {
      const parsed = contextSourceSchema.safeParse(doc.data());
      return parsed.success ? [parsed.data] : [];
    });

  async function latestCreatedAt(tx: Transaction, agentId: string): Promise<Date | null> {
    const snap = await tx.get(
      sources.where("agentId", "==", agentId).where("createdAt", "<=", FAR_FUTURE).orderBy("createdAt", "desc").limit(LATEST_CANDIDATES),
    );
    return parseSources(snap.docs)[0]?.createdAt ?? null;
  }

  /**
   * Reads every source of the agent inside `tx` and returns the write of the recomputed view; the
   * write is deferred because a Firestore transaction must finish all reads before any write.
   */
  async function planRecompute(tx: Transaction, agentId: string, previous: StoredView | null, ctx: ViewContext): Promise<() => SealedView> {
    const snap = await tx.get(sources.where("agentId", "==", agentId));
    const content = { ...emptyContent(), sources: summarizeSources(parseSources(snap.docs)) };
    return () => {
      const now = ctx.now();
      const sealed = seal(nextRevision("agent", agentId, previous?.sealed.data ?? null, content, now), ctx.keyring, now);
      tx.set(views.doc(agentId), encodeView(sealed, snap.readTime.toDate()));
      return sealed;
    };
  }

  return {
    async read(agentId) {
      return decodeView((await views.doc(agentId).get()).data());
    },

    applySourceChange(change, ctx) {
      return db.runTransaction(async (tx) => {
        const agentIds = touchedAgents(change);
        const [marker, ...viewSnaps] = await tx.getAll(markers.doc(change.eventId), ...agentIds.map((id) => views.doc(id)));
        if (marker.exists) return "duplicate";

        // All reads precede all writes in a Firestore transaction, so plan every agent first.
        const writes: Array<() => unknown> = [];
        for (const [i, agentId] of agentIds.entries()) {
          const stored = decodeView(viewSnaps[i].data());
          if (!stored || !isAuthentic(stored.sealed, ctx.keyring)) {
            // No trustworthy base to add a delta to: rebuild from source, which already holds this write.
            writes.push(await planRecompute(tx, agentId, stored, ctx));
            continue;
          }
          if (stored.sourcesAsOf && change.committedAt <= stored.sourcesAsOf) continue;
          const { removed, added } = deltaFor(change, agentId);
          const base = stored.sealed.data;
          const sourcesBlock = applySourceChange(base.sources, removed, added, await latestCreatedAt(tx, agentId));
          writes.push(() => {
            const now = ctx.now();
            const sealed = seal(nextRevision("agent", agentId, base, { ...emptyContent(), sources: sourcesBlock }, now), ctx.keyring, now);
            tx.set(views.doc(agentId), encodeView(sealed, stored.sourcesAsOf));
          });
        }
        writes.forEach((write) => write());
        const now = ctx.now();
        tx.set(markers.doc(change.eventId), {
          processedAt: Timestamp.fromDate(now),
          expireAt: Timestamp.fromMillis(now.getTime() + EVENT_MARKER_TTL_DAYS * DAY_MS),
        });
        return "applied";
      });
    },

    recompute(agentId, ctx) {
      return db.runTransaction(async (tx) => {
        const stored = decodeView((await tx.get(views.doc(agentId))).data());
        return (await planRecompute(tx, agentId, stored, ctx))();
      });
    },
  };
}
