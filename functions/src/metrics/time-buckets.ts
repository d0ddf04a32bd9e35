/**
 * @module time-buckets
 * Interactions kept by the UTC hour and the UTC day of `occurredAt`, for the `windows` block (last
 * 1 h, 24 h and 7 d) and for the time series.
 *
 * An interaction leaves a sliding window by the mere passing of time, with no event to remove it, so
 * windows cannot be running totals. Each bucket is an interactions state (exact add and remove, see
 * interaction-metrics), and a window or a series point is rendered from the buckets it covers.
 *
 * Retention: hourly buckets reach back to the hour containing now − 7 d (the 7 d window and the
 * hourly series' reach), daily ones to the day containing now − 30 d (the daily series' reach), each
 * with one spare bucket. An interaction older than that enters no bucket of that grain, and a change
 * first prunes the buckets past it. The spare bucket keeps out-of-order deliveries consistent across
 * folds whose clocks differ by under one bucket: an add and its remove are either both applied or
 * meet only in a bucket nothing renders.
 *
 * Window edge rule, hour-granular as the contract allows: at `now`, window W covers the hourly buckets
 * whose hour starts at or after the start of the hour containing now − W. Buckets ahead of `now`
 * (client clock skew, bounded by the schemas) count in every window.
 *
 * Hourly buckets keep no per-model split (every interaction is counted under `ALL_MODELS`): the
 * windows need none, and it keeps the 170 of them small. Daily buckets keep the registry's names.
 *
 * Size bound: at most 7 × 24 + 2 hourly and 32 daily buckets (plus the few ahead of `now` the skew
 * allows), each with a histogram of at most ~850 keys, and the daily ones at most 51 model entries.
 */
import {
  applyInteractionChange,
  emptyInteractionsState,
  isEmptyInteractionsState,
  mergeInteractionsStates,
  renderInteractions,
  summarizeInteractions,
  type CountedInteraction,
  type InteractionsState,
} from "./interaction-metrics";
import type { WINDOW_NAMES, WindowSummary } from "../contract/schemas/metrics";

export type Grain = "hour" | "day";

/** The interactions that occurred in one UTC hour or day. */
export interface TimeBucket {
  /** Start of the hour or day, in ms since the epoch. */
  startMs: number;
  interactions: InteractionsState;
}

/** Buckets of one grain, sorted by start, none empty. */
export interface TimeBuckets {
  buckets: TimeBucket[];
}

/** The windows the contract names. */
export type WindowName = (typeof WINDOW_NAMES)[number];

/** The `windows` block of the contract. */
export type WindowsBlock = Record<WindowName, WindowSummary>;

/** The one model name hourly buckets count every interaction under. */
export const ALL_MODELS = "*";

/** `interaction` as an hourly bucket counts it: without its model. */
export const withoutModel = (interaction: CountedInteraction): CountedInteraction => ({ ...interaction, model: ALL_MODELS });

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const GRAIN_MS: Record<Grain, number> = { hour: HOUR_MS, day: DAY_MS };
/** How far back each grain's buckets are kept (before the spare bucket): the series' reach. */
const REACH_MS: Record<Grain, number> = { hour: 7 * DAY_MS, day: 30 * DAY_MS };
const WINDOW_MS: Record<WindowName, number> = { "1h": HOUR_MS, "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS };

/** The start of the bucket of `grain` that holds `ms`. */
export const bucketStart = (grain: Grain, ms: number): number => Math.floor(ms / GRAIN_MS[grain]) * GRAIN_MS[grain];
/** The start of the oldest bucket of `grain` a read at `now` may ask for. */
export const oldestReachable = (grain: Grain, now: Date): number => bucketStart(grain, now.getTime() - REACH_MS[grain]);
const oldestKept = (grain: Grain, now: Date): number => oldestReachable(grain, now) - GRAIN_MS[grain];

export function emptyBuckets(): TimeBuckets {
  return { buckets: [] };
}

/** The buckets without those too old to be kept at `now`. */
export function pruneBuckets(state: TimeBuckets, grain: Grain, now: Date): TimeBuckets {
  const cutoff = oldestKept(grain, now);
  return { buckets: state.buckets.filter((b) => b.startMs >= cutoff) };
}

function shiftBucket(buckets: TimeBucket[], grain: Grain, i: CountedInteraction, sign: 1 | -1, cutoff: number): TimeBucket[] {
  const start = bucketStart(grain, i.occurredAt.getTime());
  if (start < cutoff) return buckets;
  const found = buckets.findIndex((b) => b.startMs >= start);
  const at = found < 0 ? buckets.length : found;
  const exists = found >= 0 && buckets[found].startMs === start;
  const next = applyInteractionChange(exists ? buckets[at].interactions : emptyInteractionsState(), sign < 0 ? i : null, sign > 0 ? i : null);
  const result = buckets.slice();
  if (!isEmptyInteractionsState(next)) result.splice(at, exists ? 1 : 0, { startMs: start, interactions: next });
  else if (exists) result.splice(at, 1);
  return result;
}

/**
 * Applies one interaction change (`removed` as counted before, `added` as it is now; null for none)
 * after pruning at `now`. Interactions older than the retention do not enter.
 */
export function applyBucketChange(state: TimeBuckets, grain: Grain, removed: CountedInteraction | null, added: CountedInteraction | null, now: Date): TimeBuckets {
  const cutoff = oldestKept(grain, now);
  let buckets = pruneBuckets(state, grain, now).buckets;
  if (removed) buckets = shiftBucket(buckets, grain, removed, -1, cutoff);
  if (added) buckets = shiftBucket(buckets, grain, added, 1, cutoff);
  return { buckets };
}

/** The buckets computed from scratch over every current interaction of a scope. */
export function summarizeBuckets(list: readonly CountedInteraction[], grain: Grain, now: Date): TimeBuckets {
  const cutoff = oldestKept(grain, now);
  const byStart = new Map<number, CountedInteraction[]>();
  for (const i of list) {
    const start = bucketStart(grain, i.occurredAt.getTime());
    if (start < cutoff) continue;
    const group = byStart.get(start);
    if (group) group.push(i);
    else byStart.set(start, [i]);
  }
  const buckets = [...byStart].map(([startMs, group]) => ({ startMs, interactions: summarizeInteractions(group).state }));
  return { buckets: buckets.sort((a, b) => a.startMs - b.startMs) };
}

/** The buckets of the union of two disjoint sets of interactions (for user and org rollups). */
export function mergeBuckets(a: TimeBuckets, b: TimeBuckets): TimeBuckets {
  const byStart = new Map<number, InteractionsState>();
  for (const bucket of [...a.buckets, ...b.buckets]) {
    const existing = byStart.get(bucket.startMs);
    byStart.set(bucket.startMs, existing ? mergeInteractionsStates(existing, bucket.interactions) : bucket.interactions);
  }
  const buckets = [...byStart].map(([startMs, interactions]) => ({ startMs, interactions }));
  return { buckets: buckets.filter((x) => !isEmptyInteractionsState(x.interactions)).sort((x, y) => x.startMs - y.startMs) };
}

/** The merged state of the buckets whose start lies in [`fromMs`, `toMs`). */
export function stateBetween(state: TimeBuckets, fromMs: number, toMs: number): InteractionsState {
  return state.buckets.filter((b) => b.startMs >= fromMs && b.startMs < toMs).reduce((acc, b) => mergeInteractionsStates(acc, b.interactions), emptyInteractionsState());
}

function summarizeWindow(hours: TimeBuckets, name: WindowName, now: Date): WindowSummary {
  const block = renderInteractions(stateBetween(hours, bucketStart("hour", now.getTime() - WINDOW_MS[name]), Number.POSITIVE_INFINITY), { lastAt: null, maxLatencyMs: 0 });
  return { count: block.count, errorCount: block.errorCount, costUsd: block.costUsd, p95LatencyMs: block.latencyMs.p95 };
}

/** The contract's `windows` block at `now`, from the hourly buckets. */
export function renderWindows(hours: TimeBuckets, now: Date): WindowsBlock {
  return { "1h": summarizeWindow(hours, "1h", now), "24h": summarizeWindow(hours, "24h", now), "7d": summarizeWindow(hours, "7d", now) };
}

/**
 * When the windows rendered at `now` next change by the mere passing of time: the next hour boundary
 * while any hourly bucket lies within the 7 d window's reach, else never (null).
 */
export function nextRollAt(hours: TimeBuckets, now: Date): Date | null {
  const inWindow = hours.buckets.some((b) => b.startMs >= bucketStart("hour", now.getTime() - WINDOW_MS["7d"]));
  return inWindow ? new Date(bucketStart("hour", now.getTime()) + HOUR_MS) : null;
}
