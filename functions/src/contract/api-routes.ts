/**
 * @module api-routes
 * Every route of the HTTP API with what it takes and what it answers, as the schemas the server
 * validates with and the browser reads with. The OpenAPI document (`openapi.ts`, served at
 * `GET /v1/openapi.json`) and docs/API.md are generated from this table, and a test holds it equal to
 * the routes the app really mounts.
 */
import type { z } from "zod";
import type { Permission } from "./permissions";
import { apiKeyPage, createdApiKey, keyUsage, revokedApiKey } from "./schemas/api-keys";
import { ingestBody, ingestResult } from "./schemas/interactions";
import { batchGetResponse, metricsResponse } from "./schemas/metrics";
import { agentPath, batchGetBody, createApiKeyBody, createSessionBody, keyPath, listApiKeysQuery, orgPath, seriesQuery, usageQuery, userPath } from "./schemas/requests";
import { SERIES_CSV_COLUMNS, seriesResponse } from "./schemas/series";
import { cacheStats, healthReport, sessionCreated } from "./schemas/service";
import { signingKeys } from "./schemas/signatures";

/**
 * Who may call a route: both a session and an API key (or, on ingestion, an ingest key alone: a key
 * whose permissions are exactly `write:interactions`, acting for its owner), a session alone, or anyone.
 */
export type RouteAuth = "session+key" | "session+key|ingest-key" | "session" | "none";

/** Headers a response may carry, documented once (`openapi.ts`). */
export type ResponseHeader = "ETag" | "Cache-Control" | "Age" | "RateLimit-Limit" | "RateLimit-Remaining" | "RateLimit-Reset" | "Retry-After" | "Set-Cookie";

export interface RouteResponse {
  description: string;
  /** The body's schema; none for an answer without a body (204, 304). */
  body?: z.ZodType;
  /** Other media types the same answer may come in (negotiated), each a text body described in prose. */
  alsoAs?: Readonly<Record<string, string>>;
  headers?: readonly ResponseHeader[];
}

export interface ApiRoute {
  method: "get" | "post" | "delete";
  /** The path as OpenAPI writes it, parameters in braces. */
  path: string;
  operationId: string;
  summary: string;
  /** Markdown: what a caller needs to know beyond the schemas. */
  description?: string;
  auth: RouteAuth;
  permission?: Permission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answers that are not errors; every route may also answer the error envelope (`openapi.ts`). */
  responses: Readonly<Record<number, RouteResponse>>;
}

const KEYED: readonly ResponseHeader[] = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];
const VIEW_HEADERS: readonly ResponseHeader[] = ["ETag", "Cache-Control", "Age", ...KEYED];

const viewRead = (description: string): ApiRoute["responses"] => ({
  200: { description, body: metricsResponse, headers: VIEW_HEADERS },
  304: { description: "`If-None-Match` named the current revision's ETag: no body.", headers: VIEW_HEADERS },
});

const seriesRead: ApiRoute["responses"] = {
  200: {
    description: "The signed series; with `Accept: text/csv` or `format=csv`, its points as CSV with the same ETag.",
    body: seriesResponse,
    alsoAs: {
      "text/csv": `RFC 4180, a header row of the point's field names (${SERIES_CSV_COLUMNS.join(", ")}; no byModel), one row per point, \`start\` as ISO 8601. Not signed: the ETag names the signed revision it was rendered from.`,
    },
    headers: VIEW_HEADERS,
  },
  304: { description: "`If-None-Match` named the current series' ETag: no body.", headers: VIEW_HEADERS },
};

const SERIES_DESCRIPTION = `Same key permission, access rule, ETag and caching as the scope's metrics read. Query
\`granularity=hour|day\` (default \`hour\`), \`from\`, \`to\` (ISO 8601, optional): hourly points cover at
most the last 7 days (default the last 24 h), daily points at most the last 30 days (default 30 d);
a range outside that, \`from\` after \`to\`, or an unknown parameter is \`400 INVALID_ARGUMENT\`. Points
are ascending, one per bucket, empty buckets as zeros; daily points also have \`byModel\` (the same
≤ 50 names plus \`other\` as the view; hourly buckets keep no model split, which bounds the stored
state). Counts and sums are exact, percentiles within 2 %. Rendered from the view's stored state
(one read on a store hit, none on an edge hit), never from raw documents, and signed like the
metrics (\`signature\` over \`data\`).`;

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "get",
    path: "/v1/health",
    operationId: "getHealth",
    summary: "Whether this instance and Firestore answer",
    description: `\`Cache-Control: no-store\`. \`firestore.ok\` says whether Firestore answered the probe: one get of
\`metrics_config/health\`, a document never written (an answer, "not found" included, costs one read
and no payload). The probe's answer is remembered per instance for 15 s (5 s after a failure, so a
recovery shows quickly); concurrent checks share one probe, and a probe without an answer after 2 s
counts as a failure. When Firestore did not answer: \`503\` with \`Retry-After: 5\` and the error
envelope, the same report as its \`details\`. No secret and no error text of the store is ever part of
either answer.`,
    auth: "none",
    responses: { 200: { description: "The instance and Firestore answer.", body: healthReport, headers: ["Cache-Control"] } },
  },
  {
    method: "get",
    path: "/v1/signing-keys",
    operationId: "listSigningKeys",
    summary: "The public keys that verify every signed answer",
    description: "Retired keys stay listed while views they signed may still be served, so a client can verify those too.",
    auth: "none",
    responses: { 200: { description: "The deployment's public keys.", body: signingKeys, headers: ["Cache-Control"] } },
  },
  {
    method: "get",
    path: "/v1/openapi.json",
    operationId: "getOpenApi",
    summary: "This document",
    description: "OpenAPI 3.1, generated from the schemas the server validates requests with and the browser reads answers with.",
    auth: "none",
    responses: { 200: { description: "The OpenAPI document of this API.", headers: ["Cache-Control"] } },
  },
  {
    method: "post",
    path: "/v1/session",
    operationId: "createSession",
    summary: "Trade a fresh ID token for the session cookie",
    description: `The ID token must come from a sign-in of the last 5 minutes. Sets the \`__session\` cookie
(HttpOnly, Secure, SameSite=Strict, 5 days; the only cookie Hosting forwards to functions). Refused
with 403 when the request comes from another site (its \`Origin\` is not this deployment's), and limited
per client address.`,
    auth: "none",
    body: createSessionBody,
    responses: { 200: { description: "The cookie is set.", body: sessionCreated, headers: ["Set-Cookie", "Cache-Control"] } },
  },
  {
    method: "delete",
    path: "/v1/session",
    operationId: "deleteSession",
    summary: "Clear the cookie and revoke every session of the user",
    description: "Revocation takes effect at once on the instance that answers, and within the session cache's re-check bound on the others (docs/SECURITY.md).",
    auth: "session",
    responses: { 204: { description: "Signed out.", headers: ["Set-Cookie"] } },
  },
  {
    method: "get",
    path: "/v1/agents/{agentId}/metrics",
    operationId: "getAgentMetrics",
    summary: "An agent's signed metrics",
    description: `Readable by the agent's owner and members of its organization (anyone else, and any id of no
agent, gets 403, so ids cannot be probed). A strong \`ETag\` per signed revision and
\`Cache-Control: private, max-age=5, stale-while-revalidate=30\`; a copy served from memory also
carries \`Age\`. \`If-None-Match\` with the current ETag gives \`304\`, on an edge hit too. A request with
\`Cache-Control: no-cache\` (or \`max-age=0\`) is not answered from the instance's memory: the stored
view is read (\`meta.cache\` is \`store\`), as an explicit "Refresh" needs, since another instance may
hold a copy from before a change for up to 35 s. Each such read costs a Firestore read, so keep it
for user actions.

\`meta.cache\`: \`edge\`, answered from this instance's memory (no database call); \`store\`, the stored view
was read (and its signature checked) for this request; \`computed\`, the view was rebuilt from source
for this request (it was missing or failed its checks). \`meta.ageMs\`: milliseconds since this copy
was read or computed. \`meta.stale\`: the copy was older than 5 s and was served at once while one
background read replaces it; no copy older than 35 s is ever served.

A change made anywhere shows in the stored view after its agent's next fold (about 1–2 s), and
through an instance's edge within 35 s at worst after that; a \`no-cache\` read sees the stored view at once.`,
    auth: "session+key",
    permission: "read:agent-metrics",
    params: agentPath,
    responses: viewRead("The agent's signed view."),
  },
  {
    method: "post",
    path: "/v1/agents/metrics:batchGet",
    operationId: "batchGetAgentMetrics",
    summary: "Many agents' metrics in one request",
    description: `A repeated id is allowed and answered once; each id is checked with the single read's rule.
\`data\` has, per readable id, exactly what \`GET /v1/agents/{agentId}/metrics\` returns. \`forbidden\`
lists, in request order, the ids the caller may not read **and** the ids of missing agents: as the
single read's 403, a batch never reveals which ids exist (\`notFound\` is therefore empty for agents,
kept for the contract's shape). Ids in this instance's memory are served from it; the others are
decided and read by queries that only return the caller's views, one document per readable id. No
ETag (one answer covers many revisions); \`Cache-Control: no-store\`.`,
    auth: "session+key",
    permission: "read:agent-metrics",
    body: batchGetBody,
    responses: { 200: { description: "The readable ids' views, and the ids refused.", body: batchGetResponse, headers: ["Cache-Control", ...KEYED] } },
  },
  {
    method: "post",
    path: "/v1/agents/{agentId}/metrics:refresh",
    operationId: "refreshAgentMetrics",
    summary: "Recompute an agent's view from source now",
    description: `Answers like a read, with \`meta.cache\` \`computed\`; the instance's edge copy is replaced by the
result. A refresh that finds what the view already holds writes no new revision (\`version\` stays).
Writers: the agent's owner and its organization's members other than viewers.`,
    auth: "session+key",
    permission: "write:agent-metrics",
    params: agentPath,
    responses: { 200: { description: "The recomputed, signed view.", body: metricsResponse, headers: VIEW_HEADERS } },
  },
  {
    method: "post",
    path: "/v1/agents/{agentId}/interactions",
    operationId: "ingestInteractions",
    summary: "Record model calls of an agent",
    description: `Each item (\`InteractionItem\`) is validated on its own; \`userId\` defaults to the session's user and
\`id\` is the client's. An **ingest key** (permissions exactly \`write:interactions\`) may be sent alone,
without a session: it acts as its owner (who must be allowed to write the agent now), and \`userId\`
defaults to the owner. The valid new ones are stored in transactions of at most 500 writes, so a chunk
is all or nothing. **202 means stored**: every accepted interaction is durable and will be counted;
the views show it after the agent's next fold (about 1–2 s). An \`id\` already stored for this agent
(or repeated in the request) counts once, as a duplicate; an \`id\` already stored for **another**
agent is rejected, never counted. A token count that would take the agent's totals past 2^53 is
rejected with its reason. A 503 may come after some chunks were stored: send the same request again
(same ids), and those count as duplicates. Any number of writers can ingest into one agent at once
without contending (docs/PERFORMANCE.md, "Hot agent"). Writers: the agent's owner and its
organization's members other than viewers.`,
    auth: "session+key|ingest-key",
    permission: "write:interactions",
    params: agentPath,
    body: ingestBody,
    responses: { 202: { description: "What was stored, what was already stored, and what was refused.", body: ingestResult, headers: KEYED } },
  },
  {
    method: "get",
    path: "/v1/users/{uid}/metrics",
    operationId: "getUserMetrics",
    summary: "A user's metrics: the sum of the agents they own",
    description: `The same answer as an agent read, with \`scope\` \`user\` and \`agentCount\`. Readable by that user, and
by owners and admins of the user's organization. On a miss, \`meta.cache\` is \`computed\` when the
rollup was folded for this request (its stored copy was older than 10 s), so a rollup lags its
agents by at most 10 s plus the edge's bound.`,
    auth: "session+key",
    permission: "read:user-metrics",
    params: userPath,
    responses: viewRead("The user's signed rollup."),
  },
  {
    method: "get",
    path: "/v1/orgs/{orgId}/metrics",
    operationId: "getOrgMetrics",
    summary: "An organization's metrics: the sum of its agents",
    description: "The same answer as an agent read, with `scope` `org` and `agentCount`. Readable by the organization's members; a missing organization is 404 for its members, 403 for everyone else.",
    auth: "session+key",
    permission: "read:org-metrics",
    params: orgPath,
    responses: viewRead("The organization's signed rollup."),
  },
  {
    method: "get",
    path: "/v1/agents/{agentId}/metrics/series",
    operationId: "getAgentSeries",
    summary: "An agent's time series",
    description: SERIES_DESCRIPTION,
    auth: "session+key",
    permission: "read:agent-metrics",
    params: agentPath,
    query: seriesQuery,
    responses: seriesRead,
  },
  {
    method: "get",
    path: "/v1/users/{uid}/metrics/series",
    operationId: "getUserSeries",
    summary: "A user's time series",
    description: SERIES_DESCRIPTION,
    auth: "session+key",
    permission: "read:user-metrics",
    params: userPath,
    query: seriesQuery,
    responses: seriesRead,
  },
  {
    method: "get",
    path: "/v1/orgs/{orgId}/metrics/series",
    operationId: "getOrgSeries",
    summary: "An organization's time series",
    description: SERIES_DESCRIPTION,
    auth: "session+key",
    permission: "read:org-metrics",
    params: orgPath,
    query: seriesQuery,
    responses: seriesRead,
  },
  {
    method: "get",
    path: "/v1/cache/stats",
    operationId: "getCacheStats",
    summary: "What each cache of the answering instance has done",
    description: `Operators only (a session whose token carries the claim \`operator: true\`, and a key with
\`read:cache-stats\`). Instances share nothing, so the answer names its instance; the same figures are
logged once a minute (when there was traffic) as \`cache.stats\`. \`hits\` are fresh answers from memory,
\`staleServes\` answers from memory past fresh, \`misses\` lookups that waited for a read; \`hitRate\` =
(hits + staleServes) / all lookups; \`bytes\` is the layer's estimate of the heap it holds.`,
    auth: "session+key",
    permission: "read:cache-stats",
    responses: { 200: { description: "The instance's cache figures.", body: cacheStats, headers: KEYED } },
  },
  {
    method: "post",
    path: "/v1/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key",
    description: `The plaintext \`key\` is in this answer only; Firestore keeps its keyed hash. Unknown fields and
unknown permission names are refused with 400; \`rateLimitPerMinute\` above the deployment's ceiling
is 400; a user holds at most 50 active keys (\`429 RESOURCE_EXHAUSTED\` past it). \`read:cache-stats\`
is an operator permission: only a user whose token carries \`operator: true\` may grant it (403
otherwise, \`details.permissions\` naming it). \`admin:all\` grants every permission its user may use.`,
    auth: "session",
    body: createApiKeyBody,
    responses: { 201: { description: "The key, shown this once, and its public view.", body: createdApiKey, headers: ["Cache-Control"] } },
  },
  {
    method: "get",
    path: "/v1/api-keys",
    operationId: "listApiKeys",
    summary: "The caller's API keys, newest first",
    description: `Revoked and expired keys included; never the plaintext or the hash. Paged as Google's AIP-158
has it: \`pageSize\` absent or 0 is 50, above 100 is 100, negative or not a whole number is 400;
\`pageToken\` is the previous page's \`nextPageToken\`, unchanged (anything else is 400).
\`nextPageToken\` is present while more keys follow. Tokens are opaque and do not expire; a key
created while you page is on the first page, not in the pages that follow.`,
    auth: "session",
    query: listApiKeysQuery,
    responses: { 200: { description: "One page of keys.", body: apiKeyPage, headers: ["Cache-Control"] } },
  },
  {
    method: "delete",
    path: "/v1/api-keys/{keyId}",
    operationId: "revokeApiKey",
    summary: "Revoke one of the caller's keys",
    description: "Idempotent. Another user's key id and an unknown one both answer 404. Refused everywhere within 5 s (docs/SECURITY.md).",
    auth: "session",
    params: keyPath,
    responses: { 200: { description: "The revoked key.", body: revokedApiKey } },
  },
  {
    method: "get",
    path: "/v1/api-keys/{keyId}/usage",
    operationId: "getApiKeyUsage",
    summary: "A key's use per day",
    description: "Newest day first; `byOutcome` counts `success`, `denied`, `rate_limited`, `client_error` and `server_error`.",
    auth: "session",
    params: keyPath,
    query: usageQuery,
    responses: { 200: { description: "The key's daily use.", body: keyUsage, headers: ["Cache-Control"] } },
  },
];
