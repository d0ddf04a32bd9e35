/**
 * @module api-client
 * A small typed client for the metrics API. Credentials are read per request through callbacks,
 * so a refreshed ID token or a newly pasted API key is used without rebuilding the client. Every
 * non-2xx answer becomes one `ApiRequestError`, so callers handle failures in a single place.
 */
import type { CreateApiKeyRequest, CreatedApiKey, MetricsResponse, SigningKey } from "./api-types";

export interface ApiClientOptions {
  /** Prefix of every route, e.g. "/api" behind Hosting; routes start with "/v1". */
  baseUrl: string;
  getIdToken: () => Promise<string | null>;
  apiKey: () => string | null;
}

/** Codes of the contract's error envelope, plus two for failures that never reached the API. */
export type ApiErrorCode =
  | "INVALID_ARGUMENT" | "UNAUTHENTICATED" | "PERMISSION_DENIED" | "NOT_FOUND"
  | "RESOURCE_EXHAUSTED" | "UNAVAILABLE" | "INTERNAL" | "NETWORK_ERROR" | "BAD_RESPONSE";

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

type Credentials = "none" | "session" | "session+key";

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (typeof error?.code !== "string" || typeof error.message !== "string") {
    return new ApiRequestError(response.status, "BAD_RESPONSE", `HTTP ${response.status} without an error envelope`);
  }
  const retry = typeof error.retryAfterSeconds === "number" ? error.retryAfterSeconds : undefined;
  return new ApiRequestError(response.status, error.code as ApiErrorCode, error.message, retry, error.details);
}

/**
 * Talks to the API with the session's ID token and, where a route needs it, the API key.
 * @example
 * const api = new ApiClient({ baseUrl: "/api", getIdToken: () => user.getIdToken(), apiKey: () => key });
 * const { data } = await api.agentMetrics("agent-1");
 */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** `GET /v1/health`: answers once the API can serve. */
  health(): Promise<{ status: string; time: string }> {
    return this.request("GET", "/v1/health", "none");
  }

  /** `GET /v1/signing-keys`: the public keys that verify view signatures. */
  signingKeys(): Promise<{ keys: SigningKey[] }> {
    return this.request("GET", "/v1/signing-keys", "none");
  }

  /** `GET /v1/agents/{agentId}/metrics`: needs a session and a key with `read:agent-metrics`. */
  agentMetrics(agentId: string): Promise<MetricsResponse> {
    return this.request("GET", `/v1/agents/${encodeURIComponent(agentId)}/metrics`, "session+key");
  }

  /** `POST /v1/api-keys`: session only; the answer holds the plaintext key, shown this once. */
  createApiKey(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.request("POST", "/v1/api-keys", "session", body);
  }

  private async request<T>(method: string, path: string, credentials: Credentials, body?: unknown): Promise<T> {
    const headers = new Headers({ Accept: "application/json" });
    if (credentials !== "none") {
      // Sent only when present: without a token the `__session` cookie may still authenticate.
      const idToken = await this.options.getIdToken();
      if (idToken) headers.set("Authorization", `Bearer ${idToken}`);
    }
    if (credentials === "session+key") {
      const apiKey = this.options.apiKey();
      if (apiKey) headers.set("X-API-Key", apiKey);
    }
    if (body !== undefined) headers.set("Content-Type", "application/json");

    let response: Response;
    try {
      response = await fetch(this.options.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiRequestError(0, "NETWORK_ERROR", `The API could not be reached: ${reason}`);
    }
    if (!response.ok) throw await errorFrom(response);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiRequestError(response.status, "BAD_RESPONSE", `HTTP ${response.status} with a body that is not JSON`);
    }
  }
}
