/**
 * @module window-buckets
 * The `windows` block (last 1 h, 24 h and 7 d) of a metrics view, kept in hourly buckets.
 *
 * An interaction leaves a sliding window by the mere passing of time, with no event to remove it, so
 * windows cannot be running totals. Interactions are kept instead in buckets by the UTC hour of
 * `occurredAt`, each bucket an interactions state (exact add and remove, see interaction-metrics),
 * and a window is rendered by merging the buckets it covers.
 *
 * Edge rule, hour-granular as the contract allows: at `now`, window W covers the buckets whose hour
 * starts at or after the start of the hour containing now − W. Everything within W is counted, nothing
 * older than W + 1 h is, and in between it depends on the minute. Buckets ahead of `now` (client clock
 * skew) count in every window.
 *
 * Retention: a change first prunes buckets older than one hour before the 7 d window's first bucket,
 * and an interaction that old never enters. The spare hour keeps out-of-order deliveries consistent
 * across instances whose clocks differ by under an hour: an add and its remove are either both applied
 * or meet only in a bucket that no window renders.
 *
 * Size bound: at most 7 × 24 + 2 = 170 buckets, plus any hours ahead of `now` (validation should
 * refuse far-future times). Each bucket holds one entry per model used that hour (~100 B) and a
 * histogram of at most ~240 keys (~13 B each) for latencies within 0.1–120 s, so the worst case is
 * about 530 KB plus the model entries; ordinary traffic touches a small part of that. Every map key is
 * a Firestore index entry, so the stored state should be exempt from single-field indexing.
 */
import {
  applyInteractionChange,
  emptyInteractionsState,
  isEmptyInteractionsState,
  mergeInteractionsStates,
  renderInteractions,
  summarizeInteractions,
  type InteractionContribution,
  type InteractionsState,
} from "./interaction-metrics";
import type { Pricing } from "./pricing";

/** The windows the contract names. */
export type WindowName = "1h" | "24h" | "7d";

/** The interactions that occurred in one UTC hour. */
export interface WindowBucket {
  /** Start of the UTC hour, in ms since the epoch. */
  hourStartMs: number;
  interactions: InteractionsState;
}

/** The stored accumulator of the windows: buckets sorted by hour, none empty. */
export interface WindowsState {
  buckets: WindowBucket[];
}

/** One window of the contract's `windows` block. */
export interface WindowSummary {
  count: number;
  errorCount: number;
  costUsd: number;
  p95LatencyMs: number;
}

/** The `windows` block of the contract. */
export type WindowsBlock = Record<WindowName, WindowSummary>;

const HOUR_MS = 3_600_000;
const WINDOW_MS: Record<WindowName, number> = { "1h": HOUR_MS, "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS };

const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
const windowStart = (name: WindowName, now: Date): number => hourOf(now.getTime() - WINDOW_MS[name]);
const oldestKept = (now: Date): number => windowStart("7d", now) - HOUR_MS;

/** The windows of a scope with no interactions. */
export function emptyWindowsState(): WindowsState {
  return { buckets: [] };
}

/** The state without the buckets too old for any window at `now`. */
export function pruneWindows(state: WindowsState, now: Date): WindowsState {
  const cutoff = oldestKept(now);
  return { buckets: state.buckets.filter((b) => b.hourStartMs >= cutoff) };
}

function shiftBucket(buckets: WindowBucket[], i: InteractionContribution, sign: 1 | -1, cutoff: number): WindowBucket[] {
  const hour = hourOf(i.occurredAt.getTime());
  if (hour < cutoff) return buckets;
  const found = buckets.findIndex((b) => b.hourStartMs >= hour);
  const at = found < 0 ? buckets.length : found;
  const exists = found >= 0 && buckets[found].hourStartMs === hour;
  const next = applyInteractionChange(exists ? buckets[at].interactions : emptyInteractionsState(), sign < 0 ? i : null, sign > 0 ? i : null);
  const result = buckets.slice();
  if (!isEmptyInteractionsState(next)) result.splice(at, exists ? 1 : 0, { hourStartMs: hour, interactions: next });
  else if (exists) result.splice(at, 1);
  return result;
}

/**
 * Applies one interaction change (`removed` as counted before, `added` as it is now; null for none)
 * after pruning at `now`. Interactions older than the retention do not enter.
 */
export function applyWindowChange(state: WindowsState, removed: InteractionContribution | null, added: InteractionContribution | null, now: Date): WindowsState {
  const cutoff = oldestKept(now);
  let buckets = pruneWindows(state, now).buckets;
  if (removed) buckets = shiftBucket(buckets, removed, -1, cutoff);
  if (added) buckets = shiftBucket(buckets, added, 1, cutoff);
  return { buckets };
}

/** The windows state computed from scratch over every current interaction of a scope. */
export function summarizeWindows(list: readonly InteractionContribution[], now: Date): WindowsState {
  const cutoff = oldestKept(now);
  const byHour = new Map<number, InteractionContribution[]>();
  for (const i of list) {
    const hour = hourOf(i.occurredAt.getTime());
    if (hour < cutoff) continue;
    const group = byHour.get(hour);
    if (group) group.push(i);
    else byHour.set(hour, [i]);
  }
  const buckets = [...byHour].map(([hourStartMs, group]) => ({ hourStartMs, interactions: summarizeInteractions(group).state }));
  return { buckets: buckets.sort((a, b) => a.hourStartMs - b.hourStartMs) };
}

/** The windows of the union of two disjoint sets of interactions (for user and org rollups). */
export function mergeWindowsStates(a: WindowsState, b: WindowsState): WindowsState {
  const byHour = new Map<number, InteractionsState>();
  for (const bucket of [...a.buckets, ...b.buckets]) {
    const existing = byHour.get(bucket.hourStartMs);
    byHour.set(bucket.hourStartMs, existing ? mergeInteractionsStates(existing, bucket.interactions) : bucket.interactions);
  }
  const buckets = [...byHour].map(([hourStartMs, interactions]) => ({ hourStartMs, interactions }));
  return { buckets: buckets.filter((b) => !isEmptyInteractionsState(b.interactions)).sort((x, y) => x.hourStartMs - y.hourStartMs) };
}

function summarizeWindow(state: WindowsState, pricing: Pricing, name: WindowName, now: Date): WindowSummary {
  const start = windowStart(name, now);
  const merged = state.buckets.filter((b) => b.hourStartMs >= start).reduce((acc, b) => mergeInteractionsStates(acc, b.interactions), emptyInteractionsState());
  const block = renderInteractions(merged, pricing, { lastAt: null, maxLatencyMs: 0 });
  return { count: block.count, errorCount: block.errorCount, costUsd: block.costUsd, p95LatencyMs: block.latencyMs.p95 };
}

/** The contract's `windows` block at `now`, token sums priced with `pricing`. */
export function renderWindows(state: WindowsState, pricing: Pricing, now: Date): WindowsBlock {
  return {
    "1h": summarizeWindow(state, pricing, "1h", now),
    "24h": summarizeWindow(state, pricing, "24h", now),
    "7d": summarizeWindow(state, pricing, "7d", now),
  };
}
