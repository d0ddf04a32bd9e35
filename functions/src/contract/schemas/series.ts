/**
 * @module series
 * The signed time series of an agent, a user or an organization.
 */
import { z } from "zod";
import { modelUsage, SCOPES, servedMeta } from "./metrics";
import { viewSignature } from "./signatures";

const count = z.number().int().nonnegative();
const millis = z.number().nonnegative();

export const SERIES_GRANULARITIES = ["hour", "day"] as const;
export type SeriesGranularity = (typeof SERIES_GRANULARITIES)[number];

export const seriesPoint = z
  .strictObject({
    start: z.iso.datetime(),
    count,
    errorCount: count,
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    cacheWriteTokens: count,
    reasoningTokens: count,
    costUsd: z.number().nonnegative(),
    p50LatencyMs: millis,
    p95LatencyMs: millis,
    p50TimeToFirstTokenMs: millis.meta({ description: "Over the bucket's interactions that report one; 0 when none does." }),
    byModel: z.record(z.string(), modelUsage).optional().meta({ description: 'Daily points only: calls and cost per model (at most 50 names, the rest in "other").' }),
  })
  .meta({ id: "SeriesPoint" });
export type SeriesPoint = z.infer<typeof seriesPoint>;

/** The columns of a series as CSV: the point's fields in order, but `byModel` (a map, no column). */
export const SERIES_CSV_COLUMNS = [
  "start",
  "count",
  "errorCount",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costUsd",
  "p50LatencyMs",
  "p95LatencyMs",
  "p50TimeToFirstTokenMs",
] as const satisfies ReadonlyArray<Exclude<keyof SeriesPoint, "byModel">>;

export const seriesData = z
  .strictObject({
    scope: z.enum(SCOPES),
    id: z.string().min(1),
    granularity: z.enum(SERIES_GRANULARITIES),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    points: z.array(seriesPoint).meta({ description: "Ascending, one per bucket of [from, to); empty buckets as zeros." }),
  })
  .meta({ id: "SeriesData" });
export type SeriesData = z.infer<typeof seriesData>;

export const seriesResponse = z.strictObject({ data: seriesData, signature: viewSignature, meta: servedMeta }).meta({ id: "SeriesResponse" });
export type SeriesResponse = z.infer<typeof seriesResponse>;
