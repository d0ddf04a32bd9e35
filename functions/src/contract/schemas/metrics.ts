/**
 * @module metrics
 * The signed metrics document of an agent, a user or an organization, and the answers that carry it.
 */
import { z } from "zod";
import { SOURCE_STATUSES, SOURCE_TYPES } from "../source-kinds";
import { viewSignature } from "./signatures";

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
const millis = z.number().nonnegative();
const instant = z.iso.datetime();

export const SCOPES = ["agent", "user", "org"] as const;
export type Scope = (typeof SCOPES)[number];

export const sourcesBlock = z
  .strictObject({
    count,
    totalBytes: count,
    totalTokens: count,
    byType: z.record(z.enum(SOURCE_TYPES), count),
    byStatus: z.record(z.enum(SOURCE_STATUSES), count),
    lastAddedAt: instant.nullable(),
  })
  .meta({ id: "SourcesBlock" });

export const modelUsage = z.strictObject({ count, inputTokens: count, outputTokens: count, costUsd: usd }).meta({ id: "ModelUsage" });
export type ModelUsage = z.infer<typeof modelUsage>;

export const interactionsBlock = z
  .strictObject({
    count,
    errorCount: count,
    errorRate: z.number().min(0).max(1),
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    cacheWriteTokens: count,
    reasoningTokens: count.meta({ description: "The part of outputTokens spent reasoning." }),
    costUsd: usd,
    latencyMs: z.strictObject({ avg: millis, p50: millis, p95: millis, p99: millis, max: millis }),
    timeToFirstTokenMs: z.strictObject({ count, p50: millis, p95: millis }).meta({ description: "Over the interactions that report a time to first token (count of them); zeros when none do." }),
    byModel: z.record(z.string(), modelUsage).meta({ description: 'At most 50 model names; the rest are summed under "other".' }),
    lastAt: instant.nullable(),
  })
  .meta({ id: "InteractionsBlock" });

export const windowSummary = z.strictObject({ count, errorCount: count, costUsd: usd, p95LatencyMs: millis }).meta({ id: "WindowSummary" });
export const WINDOW_NAMES = ["1h", "24h", "7d"] as const;

export const metricsData = z
  .strictObject({
    scope: z.enum(SCOPES),
    id: z.string().min(1),
    sources: sourcesBlock,
    interactions: interactionsBlock,
    windows: z.strictObject({ "1h": windowSummary, "24h": windowSummary, "7d": windowSummary }),
    agentCount: count.optional().meta({ description: "How many agents a user or organization view sums (absent on agent views)." }),
    computedAt: instant,
    version: z.number().int().positive(),
  })
  .meta({ id: "MetricsData" });
export type MetricsData = z.infer<typeof metricsData>;
export type SourcesBlock = z.infer<typeof sourcesBlock>;
export type InteractionsBlock = z.infer<typeof interactionsBlock>;
export type WindowSummary = z.infer<typeof windowSummary>;

export const servedMeta = z
  .strictObject({
    cache: z.enum(["edge", "store", "computed"]),
    ageMs: millis,
    stale: z.boolean(),
  })
  .meta({ id: "ServedMeta", description: "Where the served copy came from and how old it is (never part of what is signed)." });
export type ServedMeta = z.infer<typeof servedMeta>;
/** The server layer that answered a read. */
export type ServerCacheLayer = ServedMeta["cache"];

export const metricsResponse = z.strictObject({ data: metricsData, signature: viewSignature, meta: servedMeta }).meta({ id: "MetricsResponse" });
export type MetricsResponse = z.infer<typeof metricsResponse>;

export const batchGetResponse = z
  .strictObject({
    data: z.record(z.string(), metricsResponse).meta({ description: "One metrics answer per readable agent id, as a single read gives it." }),
    notFound: z.array(z.string()),
    forbidden: z.array(z.string()),
  })
  .meta({ id: "BatchGetResponse" });
export type BatchGetResponse = z.infer<typeof batchGetResponse>;
