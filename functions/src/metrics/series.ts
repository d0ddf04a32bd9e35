/**
 * @module series
 * The time series of a metrics view: one point per hour or day, ascending, empty buckets as zeros,
 * rendered from the stored buckets (time-buckets), never from the raw documents.
 *
 * A range is `[from, to)` cut to whole buckets: `from` rounds down to its bucket, `to` up, so a point
 * covers the whole bucket it starts. `hour` reaches back at most 7 days (default: the last 24 hours,
 * the current one included), `day` at most 30 days (default: the last 30 days). Anything outside those
 * bounds, or a range ending more than one bucket ahead of now, is refused with a reason.
 */
import { renderInteractions } from "./interaction-metrics";
import { bucketStart, GRAIN_MS, oldestReachable, stateBetween, type Grain, type TimeBuckets } from "./time-buckets";
import type { SeriesPoint } from "../contract/schemas/series";

export type { SeriesPoint };

export interface SeriesRange {
  granularity: Grain;
  fromMs: number;
  toMs: number;
}

const DEFAULT_POINTS: Record<Grain, number> = { hour: 24, day: 30 };

/**
 * The range a request asks for, with the defaults filled in, or why it cannot be served.
 * @example seriesRange("hour", undefined, undefined, new Date("2026-01-02T10:30:00Z")) // 24 hours ending 11:00
 */
export function seriesRange(granularity: Grain, from: Date | undefined, to: Date | undefined, now: Date): { range: SeriesRange } | { error: string } {
  const step = GRAIN_MS[granularity];
  const latestEnd = bucketStart(granularity, now.getTime()) + step;
  const toMs = to ? Math.ceil(to.getTime() / step) * step : latestEnd;
  const fromMs = from ? bucketStart(granularity, from.getTime()) : toMs - DEFAULT_POINTS[granularity] * step;
  const reach = granularity === "hour" ? "7 days" : "30 days";
  if (fromMs < oldestReachable(granularity, now)) return { error: `from: granularity=${granularity} reaches back at most ${reach}` };
  if (toMs > latestEnd) return { error: `to: must not lie beyond the current ${granularity}` };
  if (fromMs >= toMs) return { error: "from: must be before to" };
  return { range: { granularity, fromMs, toMs } };
}

/** One point per bucket of `range`, ascending, zeros where nothing happened. */
export function renderSeries(buckets: TimeBuckets, range: SeriesRange): SeriesPoint[] {
  const step = GRAIN_MS[range.granularity];
  const points: SeriesPoint[] = [];
  for (let start = range.fromMs; start < range.toMs; start += step) {
    const block = renderInteractions(stateBetween(buckets, start, start + step), { lastAt: null, maxLatencyMs: 0 });
    points.push({
      start: new Date(start).toISOString(),
      count: block.count,
      errorCount: block.errorCount,
      inputTokens: block.inputTokens,
      outputTokens: block.outputTokens,
      cacheReadTokens: block.cacheReadTokens,
      cacheWriteTokens: block.cacheWriteTokens,
      reasoningTokens: block.reasoningTokens,
      costUsd: block.costUsd,
      p50LatencyMs: block.latencyMs.p50,
      p95LatencyMs: block.latencyMs.p95,
      p50TimeToFirstTokenMs: block.timeToFirstTokenMs.p50,
      // Daily points only (hourly buckets keep no model split): the same cap as the metrics' `byModel`.
      ...(range.granularity === "day" && { byModel: block.byModel }),
    });
  }
  return points;
}
