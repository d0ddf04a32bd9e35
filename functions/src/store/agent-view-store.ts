/**
 * @module agent-view-store
 * `agent_metrics_cache/{agentId}`: applying source and interaction changes incrementally, ingesting
 * batches, and recomputing from source.
 *
 * Exactness under at-least-once, unordered delivery rests on two guards, both checked inside the
 * transaction that writes the view:
 *  - an event marker (`trigger_events/{eventId}`) written in the same transaction, so a redelivered
 *    event finds its marker and changes nothing, and a failed attempt leaves neither marker nor delta;
 *  - per kind, a watermark set by a full recompute to the read time of its snapshot, so an event for
 *    a write the snapshot already saw is not counted a second time.
 * A stored view whose signature does not verify is never used as a base: it is recomputed instead.
 */
import { Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import { deltaFor, touchedAgents, type AgentChange, type ChangeKind } from "../domain/agent-change";
import { renderAgent, type AgentState } from "../domain/agent-view";
import { applyInteractionChange, summarizeInteractions, type InteractionContribution } from "../domain/interaction-metrics";
import { isAuthentic, nextRevision, seal, type SealedView } from "../domain/metrics-view";
import type { Pricing } from "../domain/pricing";
import type { Keyring } from "../domain/signing";
import { applySourceChange, summarizeSources, type SourceContribution } from "../domain/source-metrics";
import { applyWindowChange, summarizeWindows } from "../domain/window-buckets";
import { contentOf } from "../domain/metrics-view";
import { verdictFor, type Verdict } from "../domain/reconcile-verdict";
import { COLLECTIONS } from "./collections";
import { LatestFinder } from "./latest-finder";
import { agentStateOf, decodeView, encodeView, type StoredView, type Watermarks } from "./view-codec";

/** How long event markers are kept; a redelivery later than this is not expected. */
export const EVENT_MARKER_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ViewContext {
  keyring: Keyring;
  pricing: Pricing;
  now: () => Date;
}

export type ApplyOutcome = "applied" | "duplicate";
export type ChangeValue<K extends ChangeKind> = K extends "source" ? SourceContribution : InteractionContribution;

/** A batch item for `ingest`: its document id and the interaction (already validated). */
export interface IngestItem {
  docId: string;
  userId: string;
  interaction: InteractionContribution;
}

export interface AgentViewStore {
  read(agentId: string): Promise<StoredView | null>;
  applyChange<K extends ChangeKind>(kind: K, change: AgentChange<ChangeValue<K>>, ctx: ViewContext): Promise<ApplyOutcome>;
  /** Stores the new interactions of `items` and counts them, in one transaction; returns the ids already stored. */
  ingest(agentId: string, items: readonly IngestItem[], ctx: ViewContext): Promise<{ duplicates: Set<string> }>;
  recompute(agentId: string, ctx: ViewContext): Promise<SealedView>;
  /** Compares the stored view with source and rewrites it only when the verdict asks for it. */
  reconcile(agentId: string, ctx: ViewContext): Promise<Verdict>;
}

export function firestoreAgentViewStore(db: Firestore): AgentViewStore {
  const views = db.collection(COLLECTIONS.agentViews);
  const interactions = db.collection(COLLECTIONS.interactions);
  const markers = db.collection(COLLECTIONS.triggerEvents);
  const latest = new LatestFinder(db);

  /** Writes a state as the next revision of the agent's view (a deferred write, see below). */
  const writeView = (tx: Transaction, agentId: string, previous: StoredView | null, state: AgentState, watermarks: Watermarks, ctx: ViewContext) => {
    const now = ctx.now();
    const sealed = seal(nextRevision("agent", agentId, previous?.sealed.data ?? null, renderAgent(state, ctx.pricing, now), now), ctx.keyring, now);
    tx.set(views.doc(agentId), encodeView(sealed, { watermarks, state }));
    return sealed;
  };

  /** The agent's state computed from every source and interaction, read inside `tx`, with its watermarks. */
  async function stateFromSource(tx: Transaction, agentId: string, ctx: ViewContext): Promise<{ state: AgentState; watermarks: Watermarks }> {
    const [sourceSnap, interactionSnap] = await Promise.all([latest.allSources(tx, agentId), latest.allInteractions(tx, agentId)]);
    const summary = summarizeInteractions(interactionSnap.values);
    return {
      state: {
        sources: summarizeSources(sourceSnap.values),
        interactions: summary.state,
        windows: summarizeWindows(interactionSnap.values, ctx.now()),
        extremes: summary.extremes,
      },
      watermarks: { source: sourceSnap.readTime, interaction: interactionSnap.readTime },
    };
  }

  /** The stored state when its signature verifies, else the state recomputed from source. */
  async function trustedState(tx: Transaction, agentId: string, stored: StoredView | null, ctx: ViewContext) {
    if (stored && isAuthentic(stored.sealed, ctx.keyring)) return { state: agentStateOf(stored), watermarks: stored.watermarks, recomputed: false };
    return { ...(await stateFromSource(tx, agentId, ctx)), recomputed: true };
  }

  async function applyDelta<K extends ChangeKind>(tx: Transaction, kind: K, agentId: string, state: AgentState, removed: ChangeValue<K> | null, added: ChangeValue<K> | null, ctx: ViewContext): Promise<AgentState> {
    if (kind === "source") {
      const lastAddedAt = await latest.lastAddedAt(tx, agentId);
      return { ...state, sources: applySourceChange(state.sources, removed as SourceContribution | null, added as SourceContribution | null, lastAddedAt) };
    }
    const [r, a] = [removed as InteractionContribution | null, added as InteractionContribution | null];
    return {
      ...state,
      interactions: applyInteractionChange(state.interactions, r, a),
      windows: applyWindowChange(state.windows, r, a, ctx.now()),
      extremes: await latest.interactionExtremes(tx, agentId),
    };
  }

  return {
    async read(agentId) {
      return decodeView((await views.doc(agentId).get()).data());
    },

    applyChange(kind, change, ctx) {
      return db.runTransaction(async (tx) => {
        const agentIds = touchedAgents(change);
        const [marker, ...viewSnaps] = await tx.getAll(markers.doc(change.eventId), ...agentIds.map((id) => views.doc(id)));
        if (marker.exists) return "duplicate";
        const writes: Array<() => unknown> = [];
        for (const [i, agentId] of agentIds.entries()) {
          const stored = decodeView(viewSnaps[i].data());
          const base = await trustedState(tx, agentId, stored, ctx);
          // A recomputed base already holds this write; so does one whose watermark is past it.
          const watermark = base.watermarks[kind];
          if (base.recomputed || (watermark && change.committedAt <= watermark)) {
            if (base.recomputed) writes.push(() => writeView(tx, agentId, stored, base.state, base.watermarks, ctx));
            continue;
          }
          const { removed, added } = deltaFor(change, agentId);
          const state = await applyDelta(tx, kind, agentId, base.state, removed, added, ctx);
          writes.push(() => writeView(tx, agentId, stored, state, base.watermarks, ctx));
        }
        writes.forEach((write) => write());
        const now = ctx.now();
        tx.set(markers.doc(change.eventId), { processedAt: Timestamp.fromDate(now), expireAt: Timestamp.fromMillis(now.getTime() + EVENT_MARKER_TTL_DAYS * DAY_MS) });
        return "applied";
      });
    },

    ingest(agentId, items, ctx) {
      return db.runTransaction(async (tx) => {
        const refs = items.map((item) => interactions.doc(item.docId));
        const [viewSnap, ...existing] = await tx.getAll(views.doc(agentId), ...refs);
        const duplicates = new Set(existing.filter((snap) => snap.exists).map((snap) => snap.id));
        const fresh = items.filter((item) => !duplicates.has(item.docId));
        if (fresh.length === 0) return { duplicates };

        const stored = decodeView(viewSnap.data());
        // A recomputed base does not hold these documents yet: they are created below.
        const base = await trustedState(tx, agentId, stored, ctx);
        const now = ctx.now();
        let state = base.state;
        for (const { interaction } of fresh) {
          state = {
            ...state,
            interactions: applyInteractionChange(state.interactions, null, interaction),
            windows: applyWindowChange(state.windows, null, interaction, now),
            // Adding can only raise a maximum, so the new maxima need no read.
            extremes: {
              lastAt: !state.extremes.lastAt || interaction.occurredAt > state.extremes.lastAt ? interaction.occurredAt : state.extremes.lastAt,
              maxLatencyMs: Math.max(state.extremes.maxLatencyMs, interaction.latencyMs),
            },
          };
        }
        for (const item of fresh) {
          const { occurredAt, ...rest } = item.interaction;
          tx.create(interactions.doc(item.docId), { ...rest, agentId, userId: item.userId, occurredAt: Timestamp.fromDate(occurredAt), ingested: true });
        }
        writeView(tx, agentId, stored, state, base.watermarks, ctx);
        return { duplicates };
      });
    },

    reconcile(agentId, ctx) {
      return db.runTransaction(async (tx) => {
        const stored = decodeView((await tx.get(views.doc(agentId))).data());
        const { state, watermarks } = await stateFromSource(tx, agentId, ctx);
        const now = ctx.now();
        const authentic = stored !== null && isAuthentic(stored.sealed, ctx.keyring);
        const verdict = verdictFor({
          authentic,
          storedNow: authentic && stored ? renderAgent(agentStateOf(stored), ctx.pricing, now) : null,
          storedAsWritten: authentic && stored ? contentOf(stored.sealed.data) : null,
          truth: renderAgent(state, ctx.pricing, now),
          signedWithActiveKey: stored?.sealed.signature?.keyId === ctx.keyring.activeKeyId,
        });
        if (verdict !== "unchanged") writeView(tx, agentId, stored, state, watermarks, ctx);
        return verdict;
      });
    },

    recompute(agentId, ctx) {
      return db.runTransaction(async (tx) => {
        const stored = decodeView((await tx.get(views.doc(agentId))).data());
        const { state, watermarks } = await stateFromSource(tx, agentId, ctx);
        return writeView(tx, agentId, stored, state, watermarks, ctx);
      });
    },
  };
}

