/**
 * @module api-client
 * A small typed client for every route of the metrics API. Credentials are read per request through
 * callbacks, so a refreshed ID token or a newly chosen API key is used without rebuilding the client,
 * and `fetch` is injectable so the client runs under tests without a browser. Every non-2xx answer
 * becomes one `ApiRequestError`, so callers handle failures in a single place. A keyed request
 * refused with 401 may be sent once more when `onKeyRefused` says a new key is in place (the page
 * provisions its own short-lived key and renews it that way).
 */
import type {
  ApiKeyPage,
  BatchGetResponse,
  CreateApiKeyRequest,
  CreatedApiKey,
  HealthReport,
  KeyUsage,
  ListedApiKey,
  MetricsResponse,
  SeriesGranularity,
  SeriesResponse,
  SigningKey,
} from "metrics-functions/contract";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Prefix of every route, e.g. "/api" behind Hosting; routes start with "/v1". */
  baseUrl: string;
  getIdToken: () => Promise<string | null>;
  apiKey: () => string | null;
  /**
   * Called when a request sent with `key` was refused with 401; resolving true (another key is now
   * in place) sends that request once more with the new key.
   */
  onKeyRefused?: (key: string) => Promise<boolean>;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
}

/** Codes of the contract's error envelope, plus those for failures the API never answered. */
export type ApiErrorCode =
  | "INVALID_ARGUMENT" | "UNAUTHENTICATED" | "PERMISSION_DENIED" | "NOT_FOUND"
  | "RESOURCE_EXHAUSTED" | "UNAVAILABLE" | "INTERNAL" | "NETWORK_ERROR" | "BAD_RESPONSE" | "BAD_SIGNATURE";

/** A request that failed: `status` is 0 when no HTTP answer arrived. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** A conditional metrics read: the new revision with its ETag, or "you already hold it" (304). */
export type ConditionalMetrics = { notModified: true } | { notModified: false; response: MetricsResponse; etag: string | null };

/** A conditional series read, as `ConditionalMetrics`. */
export type ConditionalSeries = { notModified: true } | { notModified: false; response: SeriesResponse; etag: string | null };

/** Which buckets a series read asks for; without `from`/`to` the server's defaults (24 h of hours, 30 days). */
export interface SeriesQuery {
  granularity: SeriesGranularity;
  from?: string;
  to?: string;
}

/** A series as CSV: the text and the ETag of the signed revision it was rendered from. */
export interface SeriesCsv {
  text: string;
  etag: string | null;
}

/** The scopes of a metrics read, and the route of each. */
export type MetricsScope = "agent" | "user" | "org";
const SCOPE_ROUTES: Record<MetricsScope, string> = { agent: "/v1/agents", user: "/v1/users", org: "/v1/orgs" };

/** The series route of a scope with its query, e.g. `/v1/users/u1/metrics/series?granularity=hour`. */
function seriesPath(scope: MetricsScope, id: string, query: SeriesQuery): string {
  const params = new URLSearchParams({ granularity: query.granularity });
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  return `${SCOPE_ROUTES[scope]}/${encodeURIComponent(id)}/metrics/series?${params}`;
}

type Credentials = "none" | "session" | "session+key";

/** Keys asked for per page of a listing: the server's maximum. */
const LIST_PAGE_SIZE = 100;

function retryAfterHeader(response: Response): number | undefined {
  const seconds = Number(response.headers.get("Retry-After"));
  return response.headers.has("Retry-After") && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  const headerRetry = retryAfterHeader(response);
  if (typeof error?.code !== "string" || typeof error.message !== "string") {
    return new ApiRequestError(response.status, "BAD_RESPONSE", `HTTP ${response.status} without an error envelope`, headerRetry);
  }
  const retry = typeof error.retryAfterSeconds === "number" ? error.retryAfterSeconds : headerRetry;
  return new ApiRequestError(response.status, error.code as ApiErrorCode, error.message, retry, error.details);
}

/**
 * Talks to the API with the session's ID token and, where a route needs it, the API key.
 * @example
 * const api = new ApiClient({ baseUrl: "/api", getIdToken: () => user.getIdToken(), apiKey: () => key });
 * const { data } = await api.agentMetrics("agent-1");
 */
export class ApiClient {
  private readonly fetch: FetchLike;

  constructor(private readonly options: ApiClientOptions) {
    // Called through a wrapper: a bare `window.fetch` reference loses its receiver and throws.
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** `GET /v1/health`: the revision, its Node version and whether Firestore answered; a 503 throws. */
  health(): Promise<HealthReport> {
    return this.json("GET", "/v1/health", "none");
  }

  /** `GET /v1/signing-keys`: the public keys that verify view signatures. */
  signingKeys(): Promise<{ keys: SigningKey[] }> {
    return this.json("GET", "/v1/signing-keys", "none");
  }

  /** `GET /v1/agents/{agentId}/metrics`: needs a session and a key with `read:agent-metrics`. */
  async agentMetrics(agentId: string, options: ReadOptions = {}): Promise<MetricsResponse> {
    const result = await this.metrics("agent", agentId, null, options);
    if (result.notModified) throw new ApiRequestError(304, "BAD_RESPONSE", "304 to a read without If-None-Match");
    return result.response;
  }

  /**
   * A metrics read of any scope; with `etag`, sends `If-None-Match` and may answer `notModified`.
   * Needs a key with `read:agent-metrics`, `read:user-metrics` or `read:org-metrics` respectively.
   */
  async metrics(scope: MetricsScope, id: string, etag?: string | null, options: ReadOptions = {}): Promise<ConditionalMetrics> {
    const headers = { ...revalidation(options), ...(etag ? { "If-None-Match": etag } : {}) };
    const response = await this.send("GET", `${SCOPE_ROUTES[scope]}/${encodeURIComponent(id)}/metrics`, "session+key", undefined, headers);
    if (response.status === 304) return { notModified: true };
    return { notModified: false, response: await bodyOf<MetricsResponse>(response), etag: response.headers.get("ETag") };
  }

  /**
   * `GET .../metrics/series` of any scope, with the metrics read's permission; with `etag`, sends
   * `If-None-Match` and may answer `notModified`.
   * @example const result = await api.series("user", uid, { granularity: "day" }, previousEtag);
   */
  async series(scope: MetricsScope, id: string, query: SeriesQuery, etag?: string | null): Promise<ConditionalSeries> {
    const response = await this.send("GET", seriesPath(scope, id, query), "session+key", undefined, etag ? { "If-None-Match": etag } : {});
    if (response.status === 304) return { notModified: true };
    return { notModified: false, response: await bodyOf<SeriesResponse>(response), etag: response.headers.get("ETag") };
  }

  /**
   * The same series read answered as CSV (`format=csv`): a header row of the point's fields, one row
   * per point. Not signed: its ETag names the signed revision it was rendered from, as the JSON's does.
   * @example const { text } = await api.seriesCsv("agent", "support-bot", { granularity: "day", from, to });
   */
  async seriesCsv(scope: MetricsScope, id: string, query: SeriesQuery): Promise<SeriesCsv> {
    // `format=csv` rather than Accept alone: the URL names the form, whatever a proxy does with Accept.
    const response = await this.send("GET", `${seriesPath(scope, id, query)}&format=csv`, "session+key", undefined, { Accept: "text/csv" });
    if (!(response.headers.get("Content-Type") ?? "").toLowerCase().startsWith("text/csv")) {
      throw new ApiRequestError(response.status, "BAD_RESPONSE", `HTTP ${response.status} with a body that is not CSV`);
    }
    return { text: await response.text(), etag: response.headers.get("ETag") };
  }

  /** `POST /v1/agents/metrics:batchGet` with 1..100 ids: every readable view in one request. */
  batchGetAgentMetrics(agentIds: readonly string[], options: ReadOptions = {}): Promise<BatchGetResponse> {
    return this.json("POST", "/v1/agents/metrics:batchGet", "session+key", { agentIds }, revalidation(options));
  }

  /** `POST /v1/api-keys`: session only; the answer holds the plaintext key, shown this once. */
  createApiKey(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.json("POST", "/v1/api-keys", "session", body);
  }

  /** `GET /v1/api-keys?pageSize&pageToken`: one page of the caller's keys, newest first, without plaintext or hash. */
  listApiKeysPage(pageToken?: string, pageSize = LIST_PAGE_SIZE): Promise<ApiKeyPage> {
    const query = new URLSearchParams({ pageSize: String(pageSize), ...(pageToken ? { pageToken } : {}) });
    return this.json("GET", `/v1/api-keys?${query}`, "session");
  }

  /** Every key of the caller, newest first: `listApiKeysPage` until no `nextPageToken` is left. */
  async listApiKeys(): Promise<ListedApiKey[]> {
    const keys: ListedApiKey[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.listApiKeysPage(token);
      keys.push(...page.apiKeys);
      token = page.nextPageToken;
      if (token && seen.has(token)) throw new ApiRequestError(200, "BAD_RESPONSE", "The key listing repeated a page token");
      if (token) seen.add(token);
    } while (token);
    return keys;
  }

  /** `DELETE /v1/api-keys/{keyId}`: revokes the caller's key (idempotent). */
  async revokeApiKey(keyId: string): Promise<ListedApiKey> {
    return (await this.json<{ apiKey: ListedApiKey }>("DELETE", `/v1/api-keys/${encodeURIComponent(keyId)}`, "session")).apiKey;
  }

  /** `GET /v1/api-keys/{keyId}/usage?days=`: daily request counts by outcome. */
  apiKeyUsage(keyId: string, days = 7): Promise<KeyUsage> {
    return this.json("GET", `/v1/api-keys/${encodeURIComponent(keyId)}/usage?days=${days}`, "session");
  }

  /** `POST /v1/session`: trades a recent ID token for the `__session` cookie. */
  createSession(idToken: string): Promise<{ uid: string; expiresAt: string }> {
    return this.json("POST", "/v1/session", "none", { idToken });
  }

  /** `DELETE /v1/session`: clears the cookie and revokes every session of the user. */
  async deleteSession(): Promise<void> {
    await this.send("DELETE", "/v1/session", "session");
  }

  private async json<T>(method: string, path: string, credentials: Credentials, body?: unknown, extra?: Record<string, string>): Promise<T> {
    return bodyOf<T>(await this.send(method, path, credentials, body, extra));
  }

  /** Sends one request; answers the response when it is 2xx or 304, throws `ApiRequestError` otherwise. */
  private async send(method: string, path: string, credentials: Credentials, body?: unknown, extra?: Record<string, string>, retried = false): Promise<Response> {
    const headers = new Headers({ Accept: "application/json", ...extra });
    if (credentials !== "none") {
      // Sent only when present: without a token the `__session` cookie may still authenticate.
      const idToken = await this.options.getIdToken();
      if (idToken) headers.set("Authorization", `Bearer ${idToken}`);
    }
    const apiKey = credentials === "session+key" ? this.options.apiKey() : null;
    if (apiKey) headers.set("X-API-Key", apiKey);
    if (body !== undefined) headers.set("Content-Type", "application/json");

    let response: Response;
    try {
      response = await this.fetch(this.options.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        // The library keeps its own validators; the HTTP cache must not answer 200 for a 304 it hid.
        cache: "no-store",
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiRequestError(0, "NETWORK_ERROR", `The API could not be reached: ${reason}`);
    }
    if (response.status === 401 && apiKey && !retried && (await this.options.onKeyRefused?.(apiKey))) {
      return this.send(method, path, credentials, body, extra, true);
    }
    if (!response.ok && response.status !== 304) throw await errorFrom(response);
    return response;
  }
}

/** How a metrics read may be answered. */
export interface ReadOptions {
  /**
   * Ask the server for the stored view rather than the copy its instance holds in memory (which may
   * predate a change by up to 35 s): sends `Cache-Control: no-cache`. For an explicit refresh only;
   * such reads cost the server a Firestore read each.
   */
  revalidate?: boolean;
}

const revalidation = (options: ReadOptions): Record<string, string> => (options.revalidate ? { "Cache-Control": "no-cache" } : {});

async function bodyOf<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiRequestError(response.status, "BAD_RESPONSE", `HTTP ${response.status} with a body that is not JSON`);
  }
}
