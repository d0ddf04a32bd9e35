/**
 * @module api-types
 * The shapes of the API responses the browser reads, as the contract fixes them. Blocks the server
 * may not compute yet (`interactions`, `windows`) are optional so the page can show what is there.
 */

/** The signature served beside every metrics view. */
export interface ViewSignature {
  alg: "Ed25519";
  keyId: string;
  signedAt: string;
  value: string;
}

/** One public key from `GET /v1/signing-keys`; retired keys still verify older views. */
export interface SigningKey {
  keyId: string;
  alg: "Ed25519";
  publicKey: string;
  status: "active" | "retired";
}

export interface SourcesBlock {
  count: number;
  totalBytes: number;
  totalTokens: number;
  byType: Record<string, number>;
  byStatus: Record<string, number>;
  lastAddedAt: string | null;
}

export interface LatencySummary {
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface InteractionsBlock {
  count: number;
  errorCount: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  latencyMs: LatencySummary;
  byModel: Record<string, { count: number; costUsd: number }>;
  lastAt: string | null;
}

export interface WindowSummary {
  count: number;
  errorCount: number;
  costUsd: number;
  p95LatencyMs: number;
}

/** The signed metrics document of one agent, user or organization. */
export interface MetricsData {
  scope: "agent" | "user" | "org";
  id: string;
  sources: SourcesBlock;
  interactions?: InteractionsBlock;
  windows?: Partial<Record<"1h" | "24h" | "7d", WindowSummary>>;
  agentCount?: number;
  computedAt: string;
  version: number;
}

/** The server layer that answered a metrics read. */
export type ServerCacheLayer = "edge" | "store" | "computed";

/** Where a served copy came from and how old it is, beside every metrics and series read. */
export interface ServedMeta {
  cache: ServerCacheLayer;
  ageMs: number;
  stale: boolean;
}

/** Any signed answer: `signature` covers exactly `data`. */
export interface SignedResponse<T = unknown> {
  data: T;
  signature: ViewSignature;
}

/** A 200 answer of a metrics read. */
export interface MetricsResponse extends SignedResponse<MetricsData> {
  meta: ServedMeta;
}

export type SeriesGranularity = "hour" | "day";

/** One bucket of a series: an hour or a day, from `start`. */
export interface SeriesPoint {
  start: string;
  count: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  /** Daily points only: calls and cost per model (at most 50 names, the rest in "other"). */
  byModel?: Record<string, { count: number; costUsd: number }>;
}

/** The signed data of a series read: points ascend, one per bucket of `[from, to)`. */
export interface SeriesData {
  scope: "agent" | "user" | "org";
  id: string;
  granularity: SeriesGranularity;
  from: string;
  to: string;
  points: SeriesPoint[];
}

/** A 200 answer of a series read. */
export interface SeriesResponse extends SignedResponse<SeriesData> {
  meta: ServedMeta;
}

/** The 200 answer of `POST /v1/agents/metrics:batchGet`: one metrics response per readable id. */
export interface BatchGetResponse {
  data: Record<string, MetricsResponse>;
  notFound: string[];
  forbidden: string[];
}

/** The body of `POST /v1/api-keys`. */
export interface CreateApiKeyRequest {
  name: string;
  permissions: string[];
  expiresInDays?: number;
  rateLimitPerMinute?: number;
}

/** The public view of a key: never its plaintext or its hash. */
export interface ApiKeyView {
  id: string;
  prefix: string;
  name: string;
  permissions: string[];
  createdAt: string;
  expiresAt: string | null;
  rateLimitPerMinute: number;
}

/** The 201 answer of `POST /v1/api-keys`: `key` is the plaintext, shown this once. */
export interface CreatedApiKey {
  key: string;
  apiKey: ApiKeyView;
}

/** One key as `GET /v1/api-keys` lists it. */
export interface ListedApiKey extends ApiKeyView {
  status: "active" | "revoked" | "expired";
  revokedAt: string | null;
}

/** One page of `GET /v1/api-keys`: `nextPageToken` is there while more keys follow. */
export interface ApiKeyPage {
  apiKeys: ListedApiKey[];
  nextPageToken?: string;
}

/** One day of a key's use, from `GET /v1/api-keys/{keyId}/usage`. */
export interface DailyKeyUsage {
  day: string;
  total: number;
  byOutcome: Record<string, number>;
}

/** The answer of `GET /v1/api-keys/{keyId}/usage`, newest day first. */
export interface KeyUsage {
  keyId: string;
  days: DailyKeyUsage[];
  lastUsedAt: string | null;
}

/** The answer of `GET /v1/health` (also the `details` of its 503): the server's own type. */
export type { HealthReport } from "../../../functions/src/http/health-check";

/** The permissions a key may hold (`admin:all` grants every one): the server's own list. */
export { PERMISSIONS } from "../../../functions/src/domain/permissions";
