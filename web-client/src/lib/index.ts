/**
 * @module metrics-web-client
 * The browser helper, as an app imports it (`import { ApiClient, MetricsCache } from
 * "metrics-web-client"`): the API client, the verified localStorage cache, the series feed, signature
 * checks and the signing-key cache. The pages of this repository import it the same way. Response
 * types and the contract's constants come from `metrics-functions/contract`, re-exported here so an
 * app needs one import.
 */
export { ApiClient, ApiRequestError, type ApiClientOptions, type ApiErrorCode, type ConditionalMetrics, type ConditionalSeries, type FetchLike, type MetricsScope, type ReadOptions, type SeriesCsv, type SeriesQuery } from "./api-client";
export { BackoffGate, DEFAULT_BACKOFF, isRetryable, retryDelayMs, type BackoffOptions } from "./backoff";
export { readAgentsInBatches, type BatchOutcome } from "./batch-read";
export type { CacheEntry, StorageLike } from "./entry-store";
export { CACHE_FORMAT_VERSION, MetricsCache, refKey, SERVER_MAX_STALE_MS, type MetricsCacheOptions, type MetricsListener, type MetricsRef, type MetricsResult, type StaleReason } from "./metrics-cache";
export { SeriesFeed, type SeriesFeedOptions, type SeriesRef, type SeriesUpdate } from "./series-feed";
export { SigningKeyCache } from "./signing-key-cache";
export { signatureVerifier, verifyMetricsSignature, type ServedKind } from "./verify-signature";
export type * from "metrics-functions/contract";
