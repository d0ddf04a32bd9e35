/**
 * @module agent-delta
 * A delta: what one write (a trigger event, or one chunk of an ingest) takes away from and adds to one
 * agent's totals, recorded beside the agent's view and folded into it later by the view's only writer.
 *
 * Writers never read the view, so any number of them can record deltas for one agent at once without
 * contending on anything; the fold applies whatever has accumulated, in one transaction, at most about
 * once a second (see agent-views/agent-fold). Applying is pure and exact in any order: every total is a sum
 * that a remove cancels, the registry decides each model name once (model-registry), and each
 * interaction is priced at the rate in effect when it occurred.
 *
 * A delta carries its write's commit time, so the fold can skip a delta whose write a full recompute
 * already read (`seenBy` against the view's watermark); a write known only to the second (a delete on
 * the emulator) may be "unsure", and the fold then recomputes from the documents instead of guessing.
 */
import { seenBy } from "./agent-change";
import { countInteraction, type AgentState } from "./agent-view";
import { applyInteractionChange, type CountedInteraction, type InteractionContribution } from "./interaction-metrics";
import type { Pricing } from "../pricing/pricing";
import { applySourceChange } from "./source-metrics";
import { applyBucketChange, withoutModel } from "./time-buckets";
import type { ContextSource } from "../documents/source-documents";

/** The documents one side of a delta counts (the removed side as they were counted, the added as they are). */
export interface DeltaSide {
  sources: ContextSource[];
  interactions: InteractionContribution[];
}

export interface AgentDelta {
  /** The event id (a trigger's delta, which is also its event marker) or a random id (an ingest's). */
  id: string;
  /**
   * A trigger's delta ("event") may arrive after the events of later writes of the same document, so
   * the maxima it touches are re-read from source; an ingest's only adds documents created with it,
   * so it raises the maxima itself. Once folded, an event's delta is kept as the event's marker.
   */
  kind: "event" | "ingest";
  /** When the write was committed. */
  committedAt: Date;
  /** Set when the commit time is known only coarsely: it was at or after `committedAt` and before this. */
  committedBefore?: Date;
  removed: DeltaSide;
  added: DeltaSide;
}

/** Which maxima a fold must re-read from source: a remove may have lowered them, or an event arrived out of order. */
export interface StaleExtremes {
  lastAddedAt: boolean;
  interactions: boolean;
}

export const emptySide = (): DeltaSide => ({ sources: [], interactions: [] });

/** How the deltas relate to a view whose last recompute read the documents at `watermark`. */
export function sortByWatermark<D extends AgentDelta>(deltas: readonly D[], watermark: Date | null): { apply: D[]; seen: D[]; unsure: D[] } {
  const sorted = { apply: [] as D[], seen: [] as D[], unsure: [] as D[] };
  for (const delta of deltas) {
    const verdict = seenBy(delta, watermark);
    (verdict === "after" ? sorted.apply : verdict === "read" ? sorted.seen : sorted.unsure).push(delta);
  }
  return sorted;
}

function applySources(state: AgentState, side: DeltaSide, sign: 1 | -1, stale: StaleExtremes, fromEvent: boolean): AgentState {
  let sources = state.sources;
  for (const source of side.sources) {
    if (fromEvent) stale.lastAddedAt = true;
    const current = sources.lastAddedAt ? new Date(sources.lastAddedAt) : null;
    let latest = current;
    if (sign > 0 && (!current || source.createdAt > current)) latest = source.createdAt;
    // A remove of the newest source may leave an older one newest: only the documents can say.
    if (sign < 0 && current && source.createdAt >= current) stale.lastAddedAt = true;
    sources = applySourceChange(sources, sign < 0 ? source : null, sign > 0 ? source : null, latest);
  }
  return { ...state, sources };
}

function applyCounted(state: AgentState, counted: CountedInteraction, sign: 1 | -1, now: Date, stale: StaleExtremes, fromEvent: boolean): AgentState {
  const [removed, added] = sign < 0 ? [counted, null] : [null, counted];
  if (fromEvent) stale.interactions = true;
  let extremes = state.extremes;
  if (sign > 0) {
    extremes = {
      lastAt: !extremes.lastAt || counted.occurredAt > extremes.lastAt ? counted.occurredAt : extremes.lastAt,
      maxLatencyMs: Math.max(extremes.maxLatencyMs, counted.latencyMs),
    };
  } else if ((extremes.lastAt && counted.occurredAt >= extremes.lastAt) || counted.latencyMs >= extremes.maxLatencyMs) {
    stale.interactions = true;
  }
  return {
    ...state,
    interactions: applyInteractionChange(state.interactions, removed, added),
    hours: applyBucketChange(state.hours, "hour", removed && withoutModel(removed), added && withoutModel(added), now),
    days: applyBucketChange(state.days, "day", removed, added, now),
    extremes,
  };
}

function applyInteractions(state: AgentState, side: DeltaSide, sign: 1 | -1, pricing: Pricing, now: Date, stale: StaleExtremes, fromEvent: boolean): AgentState {
  let next = state;
  for (const interaction of side.interactions) {
    const { registry, counted } = countInteraction(next.models, pricing, interaction);
    next = applyCounted({ ...next, models: registry }, counted, sign, now, stale, fromEvent);
  }
  return next;
}

/**
 * The state with every delta applied, in commit order (removes before adds within each), and which
 * maxima must be re-read from source. The input state is not changed.
 */
export function applyDeltas(state: AgentState, deltas: readonly AgentDelta[], pricing: Pricing, now: Date): { state: AgentState; stale: StaleExtremes } {
  const stale: StaleExtremes = { lastAddedAt: false, interactions: false };
  const ordered = [...deltas].sort((a, b) => a.committedAt.getTime() - b.committedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let next = state;
  for (const delta of ordered) {
    const fromEvent = delta.kind === "event";
    next = applySources(next, delta.removed, -1, stale, fromEvent);
    next = applySources(next, delta.added, 1, stale, fromEvent);
    next = applyInteractions(next, delta.removed, -1, pricing, now, stale, fromEvent);
    next = applyInteractions(next, delta.added, 1, pricing, now, stale, fromEvent);
  }
  return { state: next, stale };
}
