/**
 * @module agent-fold
 * The one writer of an agent view: a fold reads the view, its pending deltas, the prices and the
 * agent in one transaction, and writes the next revision. Triggers and the ingestion route only record
 * deltas (see view-transaction), so however many writers an agent has, its view document is written
 * by folds alone, at most about once a second (agent-views/fold-scheduler).
 *
 * Exactness under at-least-once, unordered delivery rests on three guards:
 *  - an event's delta is also its marker: a redelivery finds it and records nothing (`DeltaLog`);
 *  - a fold applies and settles each delta in the same transaction that writes the view, so a
 *    failed fold leaves both as they were and the next one applies the delta once;
 *  - a full recompute stores the time it read the documents at (the watermark). Every delta the fold
 *    read before that time was recorded after its write committed, so the recompute already holds it
 *    and it is settled without being applied; a delta read by a later fold is applied only if its
 *    write committed after the watermark (`sortByWatermark`).
 * The fold recomputes from source instead of applying deltas when it is asked to, when there is no
 * trusted view (none yet, or one whose signature, scope or id does not verify), when the prices its
 * state was computed with have changed for any of its models (`pricingFingerprint`), and when a
 * delta's time is too coarse to judge against the watermark.
 * A view exists only for an agent that exists: a fold that finds no agent settles the deltas and
 * removes the view, so a late delta cannot bring back a deleted agent's view. Every write keeps the
 * agent's owner and organization, read from the agent document, beside the view, signed for the
 * revision written (`metrics/access-seal`).
 */
import type { AgentOwnership } from "../documents/source-documents";
import { sealAccess, verifiedAccess } from "../metrics/access-seal";
import { applyDeltas, sortByWatermark } from "../metrics/agent-delta";
import { renderAgent, sameAccumulators, summarizeAgent, type AgentState } from "../metrics/agent-view";
import { canonicalJson } from "../contract/canonical-json";
import { contentOf, isAuthentic, nextRevision, seal, type MetricsView, type SealedView } from "../metrics/metrics-view";
import { pricingFingerprint, type Pricing } from "../pricing/pricing";
import type { Keyring } from "../signing/signing";
import { nextRollAt } from "../metrics/time-buckets";
import { sameOwnership, type StoredView } from "./stored-view";
import type { FoldTransaction } from "./view-transaction";

/** What every view write needs: the signing keys and the clock. Prices are read by the fold itself. */
export interface ViewContext {
  keyring: Keyring;
  now: () => Date;
}

/** The view context of anything that holds the keyring and a clock (the API's dependencies, say): those two alone. */
export function viewContext(from: ViewContext): ViewContext {
  return { keyring: from.keyring, now: from.now };
}

/** A view as just written, with the owner and organization stored beside it and the state it was rendered from. */
export interface ComputedView {
  sealed: SealedView;
  access: AgentOwnership | null;
  state: AgentState;
}

/** Why a fold recomputed from source rather than applying deltas. */
export type RecomputeReason = "requested" | "first" | "untrusted" | "repriced" | "unsure";

export interface FoldResult {
  /** What the fold wrote: a revision from deltas, from source, a re-render (windows, key, owner), nothing, or the view's removal. */
  outcome: "folded" | "recomputed" | "rendered" | "unchanged" | "removed" | "absent";
  /** The view as it stands after the fold (null when the agent has none). */
  view: ComputedView | null;
  reason: RecomputeReason | null;
  applied: number;
  settled: number;
  /** True when more pending deltas remain than one fold takes. */
  more: boolean;
  /** True when the view's owner or organization changed with this fold. */
  moved: boolean;
  /** True when a search for an extreme gave up at its bound and kept the extreme the view had (`latest-finder.ts`). */
  extremesBounded: boolean;
}

/** The most deltas one fold takes; a fold that leaves more behind is followed by another at once. */
const FOLD_BATCH = 200;

const priced = (pricing: Pricing, state: AgentState) => pricingFingerprint(pricing, state.models.seen, state.models.seenOverflow);

/** The stored view when it can be built on: its state is present and its signature, scope and id verify. */
function trustedView(stored: StoredView | null, agentId: string, keyring: Keyring): (StoredView & { state: AgentState }) | null {
  if (!stored?.state) return null;
  if (!isAuthentic(stored.sealed, keyring, "agent", agentId)) return null;
  return stored as StoredView & { state: AgentState };
}

/** Folds the agent's pending deltas into its view (or recomputes it, with `recompute`), in `tx`. */
export async function foldIn(tx: FoldTransaction, agentId: string, ctx: ViewContext, mode: "deltas" | "recompute" = "deltas"): Promise<FoldResult> {
  const { agent, view: stored, deltas, more, pricing } = await tx.readFoldInputs(agentId, FOLD_BATCH);
  let extremesBounded = false;
  const result = (outcome: FoldResult["outcome"], view: ComputedView | null, extra: Partial<FoldResult> = {}): FoldResult => ({ outcome, view, reason: null, applied: 0, settled: deltas.length, more, moved: false, extremesBounded, ...extra });
  if (!agent.exists) {
    if (deltas.length > 0) tx.settleDeltas(agentId, deltas);
    if (stored) tx.deleteView(agentId);
    return result(stored ? "removed" : "absent", null);
  }
  if (!stored && deltas.length === 0 && mode === "deltas") return result("unchanged", null);

  const now = ctx.now();
  const trusted = trustedView(stored, agentId, ctx.keyring);
  let reason: RecomputeReason | null = mode === "recompute" ? "requested" : !stored ? "first" : !trusted ? "untrusted" : trusted.pricedWith !== priced(pricing, trusted.state) ? "repriced" : null;
  let state: AgentState | null = null;
  let watermark = trusted?.watermark ?? null;
  let applied = 0;
  if (!reason && trusted) {
    const sorted = sortByWatermark(deltas, trusted.watermark);
    if (sorted.unsure.length > 0) reason = "unsure";
    else {
      const next = applyDeltas(trusted.state, sorted.apply, pricing, now);
      state = next.state;
      applied = sorted.apply.length;
      if (next.stale.lastAddedAt) {
        const known = state.sources.lastAddedAt ? new Date(state.sources.lastAddedAt) : null;
        const { lastAddedAt, bounded } = await tx.lastAddedAt(agentId, known);
        extremesBounded ||= bounded;
        state = { ...state, sources: { ...state.sources, lastAddedAt: lastAddedAt ? lastAddedAt.toISOString() : null } };
      }
      if (next.stale.interactions) {
        const { extremes, bounded } = await tx.interactionExtremes(agentId, state.extremes);
        extremesBounded ||= bounded;
        state = { ...state, extremes };
      }
    }
  }
  if (reason || !state) {
    // Read after the deltas: each of them was recorded after its write committed, so the documents
    // read now hold every one of them, and they are settled without being applied.
    const documents = await tx.readAgentDocuments(agentId);
    state = summarizeAgent(documents.sources, documents.interactions, pricing, now);
    watermark = documents.watermark;
  }

  if (deltas.length > 0) tx.settleDeltas(agentId, deltas);
  const access = agent.ownership;
  const signedAccess = (view: MetricsView) => access && sealAccess(view, access, ctx.keyring, now);
  const moved = stored !== null && !sameOwnership(stored.access, access);
  const pricedWith = priced(pricing, state);
  // A recompute that finds what the view already holds keeps the view (and its registry) as it is.
  if (reason && trusted && trusted.pricedWith === pricedWith && sameAccumulators(trusted.state, state)) state = trusted.state;
  const content = renderAgent(state, now);
  const contentChanged = !trusted || canonicalJson(content) !== canonicalJson(contentOf(trusted.sealed.data));
  const stateChanged = applied > 0 || (reason !== null && state !== trusted?.state);
  const resign = trusted !== null && trusted.sealed.signature?.keyId !== ctx.keyring.activeKeyId;
  // Access stored without a signature that verifies (written before access was signed, or edited):
  // the same revision is written again with the agent's owner signed.
  const accessUnsigned = trusted !== null && access !== null && verifiedAccess(trusted.sealed.data, trusted.access, ctx.keyring) === null;
  if (trusted && !contentChanged && !stateChanged && !resign && !moved) {
    // Nothing to show that the view does not: a recompute still stores the time it read the documents at.
    if (reason || accessUnsigned) tx.writeView(agentId, trusted.sealed, { watermark, state, access: signedAccess(trusted.sealed.data), pricedWith, changedAt: trusted.changedAt ?? now, rollAt: nextRollAt(state.hours, now) });
    return result("unchanged", { sealed: trusted.sealed, access, state: trusted.state }, { applied, reason });
  }
  const sealed = seal(nextRevision("agent", agentId, stored?.sealed.data ?? null, content, now), ctx.keyring, now);
  const changedAt = contentChanged || stateChanged ? now : (trusted?.changedAt ?? now);
  tx.writeView(agentId, sealed, { watermark, state, access: signedAccess(sealed.data), pricedWith, changedAt, rollAt: nextRollAt(state.hours, now) });
  const outcome = reason ? "recomputed" : applied > 0 ? "folded" : "rendered";
  return result(outcome, { sealed, access, state }, { reason, applied, moved });
}

/**
 * Re-renders a trusted stored view at `now` from its own state, reading nothing else: its windows
 * roll with time, and a view signed by a retired key is signed again. "untrusted" when the view cannot
 * be built on (the caller folds it instead); "absent" when there is none.
 */
export async function rollIn(tx: FoldTransaction, agentId: string, ctx: ViewContext): Promise<"rolled" | "unchanged" | "untrusted" | "absent"> {
  const stored = await tx.readView(agentId);
  if (!stored) return "absent";
  const trusted = trustedView(stored, agentId, ctx.keyring);
  if (!trusted || trusted.pricedWith === null) return "untrusted";
  // Access that does not verify is not carried forward: a fold takes it from the agent again.
  const access = verifiedAccess(trusted.sealed.data, trusted.access, ctx.keyring);
  if (trusted.access && !access) return "untrusted";
  const now = ctx.now();
  const signedAccess = (view: MetricsView) => access && sealAccess(view, access, ctx.keyring, now);
  const content = renderAgent(trusted.state, now);
  const same = canonicalJson(content) === canonicalJson(contentOf(trusted.sealed.data));
  const rollAt = nextRollAt(trusted.state.hours, now);
  if (same && trusted.sealed.signature?.keyId === ctx.keyring.activeKeyId) {
    // Nothing to re-render: only the next roll time moves on.
    tx.writeView(agentId, trusted.sealed, { watermark: trusted.watermark, state: trusted.state, access: signedAccess(trusted.sealed.data), pricedWith: trusted.pricedWith, changedAt: trusted.changedAt ?? now, rollAt });
    return "unchanged";
  }
  const sealed = seal(nextRevision("agent", agentId, trusted.sealed.data, content, now), ctx.keyring, now);
  tx.writeView(agentId, sealed, { watermark: trusted.watermark, state: trusted.state, access: signedAccess(sealed.data), pricedWith: trusted.pricedWith, changedAt: same ? (trusted.changedAt ?? now) : now, rollAt });
  return "rolled";
}
