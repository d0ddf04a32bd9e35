/**
 * @module agent-view-updates
 * Every write of an agent view, decided inside one transaction of a `ViewTransaction`: applying a
 * source or interaction change, ingesting a batch, recomputing from source, reconciling.
 *
 * Exactness under at-least-once, unordered delivery rests on two guards, both checked inside the
 * transaction that writes the view:
 *  - an event marker written in the same transaction, so a redelivered event finds its marker and
 *    changes nothing, and a failed attempt leaves neither marker nor delta;
 *  - per kind, a watermark set by a full recompute to the read time of its snapshot, so an event for
 *    a write the snapshot already saw is not counted a second time.
 * A stored view whose signature does not verify is never used as a base: it is recomputed instead.
 * A view exists only for an agent that exists: an event that finds no view reads the agent, and for a
 * deleted agent it records the event and writes nothing, so a late event cannot bring back the view
 * that the agent's deletion removed.
 * The maxima a delta cannot un-apply (`lastAddedAt`, `lastAt`, the largest latency) are re-read from
 * source by every change of their kind.
 * Every write keeps the agent's owner and organization beside the view (`StoredView.access`): taken
 * from the agent document when the transaction reads it anyway, else carried over from the stored
 * view, which the agent trigger (`followAgentIn`) updates in a transaction whenever the agent moves.
 */
import type { AgentOwnership } from "../domain/access-policy";
import { deltaFor, seenBy, touchedAgents, type AgentChange, type ChangeKind } from "../domain/agent-change";
import { renderAgent, summarizeAgent, type AgentState } from "../domain/agent-view";
import { applyInteractionChange, type InteractionContribution } from "../domain/interaction-metrics";
import { contentOf, isAuthentic, nextRevision, seal, type SealedView } from "../domain/metrics-view";
import type { Pricing } from "../domain/pricing";
import { verdictFor, type Verdict } from "../domain/reconcile-verdict";
import type { Keyring } from "../domain/signing";
import { applySourceChange, type SourceContribution } from "../domain/source-metrics";
import { applyWindowChange } from "../domain/window-buckets";
import { agentStateOf, sameOwnership, type StoredView, type Watermarks } from "./stored-view";
import type { AgentDocuments, AgentSnapshot, IngestItem, ViewTransaction } from "./view-transaction";

/** What every view write needs: the signing keys, the prices to render costs with, and the clock. */
export interface ViewContext {
  keyring: Keyring;
  pricing: Pricing;
  now: () => Date;
}

export type ApplyOutcome = "applied" | "duplicate";
export type ChangeValue<K extends ChangeKind> = K extends "source" ? SourceContribution : InteractionContribution;

interface Base {
  state: AgentState;
  watermarks: Watermarks;
  /** True when the base was just recomputed from source (so it already holds every committed write). */
  recomputed: boolean;
}

/** A view as just written, with the owner and organization stored beside it. */
export interface ComputedView {
  sealed: SealedView;
  access: AgentOwnership | null;
}

/** Writes a state as the next revision of the agent's view; returns the sealed view. */
function writeView(tx: ViewTransaction, agentId: string, previous: StoredView | null, next: { state: AgentState; watermarks: Watermarks; access: AgentOwnership | null }, ctx: ViewContext): SealedView {
  const now = ctx.now();
  const sealed = seal(nextRevision("agent", agentId, previous?.sealed.data ?? null, renderAgent(next.state, ctx.pricing, now), now), ctx.keyring, now);
  tx.writeView(agentId, sealed, next);
  return sealed;
}

/** The agent's state computed from every source and interaction, with the read times as watermarks. */
function stateOf({ sources, interactions, watermarks }: AgentDocuments, ctx: ViewContext): { state: AgentState; watermarks: Watermarks } {
  return { state: summarizeAgent(sources, interactions, ctx.now()), watermarks };
}

/** The agent's state recomputed from every document read in `tx`. */
async function stateFromSource(tx: ViewTransaction, agentId: string, ctx: ViewContext): Promise<{ state: AgentState; watermarks: Watermarks }> {
  return stateOf(await tx.readAgentDocuments(agentId), ctx);
}

/** The stored state when its signature verifies, else the state recomputed from source. */
async function trustedState(tx: ViewTransaction, agentId: string, stored: StoredView | null, ctx: ViewContext): Promise<Base> {
  if (stored && isAuthentic(stored.sealed, ctx.keyring)) return { state: agentStateOf(stored), watermarks: stored.watermarks, recomputed: false };
  return { ...(await stateFromSource(tx, agentId, ctx)), recomputed: true };
}

async function applyDelta<K extends ChangeKind>(tx: ViewTransaction, kind: K, agentId: string, state: AgentState, removed: ChangeValue<K> | null, added: ChangeValue<K> | null, ctx: ViewContext): Promise<AgentState> {
  if (kind === "source") {
    const lastAddedAt = await tx.lastAddedAt(agentId);
    return { ...state, sources: applySourceChange(state.sources, removed as SourceContribution | null, added as SourceContribution | null, lastAddedAt) };
  }
  const [r, a] = [removed as InteractionContribution | null, added as InteractionContribution | null];
  return {
    ...state,
    interactions: applyInteractionChange(state.interactions, r, a),
    windows: applyWindowChange(state.windows, r, a, ctx.now()),
    extremes: await tx.interactionExtremes(agentId),
  };
}

/** Applies one change to the views of every agent it touches, once per event id. */
export async function applyChangeIn<K extends ChangeKind>(tx: ViewTransaction, kind: K, change: AgentChange<ChangeValue<K>>, ctx: ViewContext): Promise<ApplyOutcome> {
  const agentIds = touchedAgents(change);
  const { applied, views } = await tx.readMarkerAndViews(change.eventId, agentIds);
  if (applied) return "duplicate";
  // Writes wait until every agent's reads are done: a transaction reads before it writes.
  const writes: Array<() => unknown> = [];
  for (const [i, agentId] of agentIds.entries()) {
    const stored = views[i];
    let access = stored?.access ?? null;
    if (!access) {
      // A first view, or one stored before its owner was kept beside it: the agent says.
      const agent = await tx.readAgent(agentId);
      if (!stored && !agent.exists) continue;
      access = agent.ownership;
    }
    let base = await trustedState(tx, agentId, stored, ctx);
    // A write whose time is too coarse to judge against the watermark: the documents say.
    const seen = base.recomputed ? "read" : seenBy(change, base.watermarks[kind]);
    if (seen === "unsure") base = { ...(await stateFromSource(tx, agentId, ctx)), recomputed: true };
    // A recomputed base already holds this write; so does one whose watermark is past it.
    if (base.recomputed || seen === "read") {
      if (base.recomputed) writes.push(() => writeView(tx, agentId, stored, { state: base.state, watermarks: base.watermarks, access }, ctx));
      continue;
    }
    const { removed, added } = deltaFor(change, agentId);
    const state = await applyDelta(tx, kind, agentId, base.state, removed, added, ctx);
    writes.push(() => writeView(tx, agentId, stored, { state, watermarks: base.watermarks, access }, ctx));
  }
  writes.forEach((write) => write());
  tx.writeMarker(change.eventId, ctx.now());
  return "applied";
}

/** Stores the interactions of `items` not stored yet and counts them; returns the ids already stored. */
export async function ingestIn(tx: ViewTransaction, agentId: string, items: readonly IngestItem[], ctx: ViewContext): Promise<{ duplicates: Set<string> }> {
  const { agent, view: stored, existing: duplicates } = await tx.readViewAndInteractions(agentId, items.map((item) => item.docId));
  const fresh = items.filter((item) => !duplicates.has(item.docId));
  if (fresh.length === 0) return { duplicates };

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
  for (const item of fresh) tx.createIngestedInteraction(agentId, item);
  writeView(tx, agentId, stored, { state, watermarks: base.watermarks, access: agent.ownership }, ctx);
  return { duplicates };
}

/**
 * Recomputes the agent's view from source and stores it, whatever was stored before. An agent that
 * does not exist gets no view: null, and nothing is written.
 */
export async function recomputeIn(tx: ViewTransaction, agentId: string, ctx: ViewContext): Promise<ComputedView | null> {
  const { agent, view: stored } = await tx.readAgentAndView(agentId);
  if (!agent.exists) return null;
  const next = { ...(await stateFromSource(tx, agentId, ctx)), access: agent.ownership };
  return { sealed: writeView(tx, agentId, stored, next, ctx), access: next.access };
}

/** What following an agent's document did to its view. */
export type AgentFollowUp = "removed" | "moved" | "unchanged";

/**
 * Brings the view in line with its agent document as it is now (not as an event says it was, so
 * events handled in any order end the same): a deleted agent's view is deleted, and a moved agent's
 * view gets its new owner and organization. Safe to run any number of times.
 */
export async function followAgentIn(tx: ViewTransaction, agentId: string): Promise<AgentFollowUp> {
  const { agent, view: stored } = await tx.readAgentAndView(agentId);
  if (!stored) return "unchanged";
  if (!agent.exists) {
    tx.deleteView(agentId);
    return "removed";
  }
  if (sameOwnership(stored.access, agent.ownership)) return "unchanged";
  tx.writeAccess(agentId, agent.ownership);
  return "moved";
}

/** What the reconcile concludes about a stored view, compared with a recompute from the documents read with it. */
export function verdictOf(seen: AgentSnapshot, ctx: ViewContext): Verdict {
  return judgeAgainst(seen.view, stateOf(seen.documents, ctx), ctx).verdict;
}

/** What a repair did: a verdict, or nothing because the agent no longer exists. */
export type RepairOutcome = Verdict | "gone";

/**
 * The reconcile's repair of a view judged wrong from `seen` (an earlier consistent read of the view
 * and the agent's documents), without reading those documents again: when the view is still the one
 * `seen` holds, no event has touched it since that read, so `seen`'s documents with their read times
 * as watermarks are exact (events for later writes still apply on top, and one that commits first
 * makes this transaction retry). A view that changed since is judged again from a full read. An agent
 * deleted since gets no view: its view is the agent trigger's to remove, and must not come back.
 */
export async function repairIn(tx: ViewTransaction, agentId: string, seen: AgentSnapshot, ctx: ViewContext): Promise<RepairOutcome> {
  const { agent, view: stored } = await tx.readAgentAndView(agentId);
  if (!agent.exists) return "gone";
  const truth = sameRevision(stored, seen.view) ? stateOf(seen.documents, ctx) : await stateFromSource(tx, agentId, ctx);
  const { verdict, state, watermarks } = judgeAgainst(stored, truth, ctx);
  if (verdict !== "unchanged") writeView(tx, agentId, stored, { state, watermarks, access: agent.ownership }, ctx);
  else if (stored && !sameOwnership(stored.access, agent.ownership)) tx.writeAccess(agentId, agent.ownership);
  return verdict;
}

/** Whether two reads found the same stored revision (or both found none). */
function sameRevision(a: StoredView | null, b: StoredView | null): boolean {
  if (!a || !b) return a === b;
  return a.sealed.data.version === b.sealed.data.version && a.sealed.signature?.value === b.sealed.signature?.value;
}

function judgeAgainst(stored: StoredView | null, { state, watermarks }: { state: AgentState; watermarks: Watermarks }, ctx: ViewContext) {
  const now = ctx.now();
  const authentic = stored !== null && isAuthentic(stored.sealed, ctx.keyring);
  const verdict = verdictFor({
    authentic,
    storedNow: authentic && stored ? renderAgent(agentStateOf(stored), ctx.pricing, now) : null,
    storedAsWritten: authentic && stored ? contentOf(stored.sealed.data) : null,
    truth: renderAgent(state, ctx.pricing, now),
    signedWithActiveKey: stored?.sealed.signature?.keyId === ctx.keyring.activeKeyId,
  });
  return { verdict, state, watermarks };
}
