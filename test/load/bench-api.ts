/**
 * @module bench-api
 * The benchmark's view of the product: one signed-up user with an API key, agents it owns, and timed
 * calls to the real `api` function on the Functions emulator (found through the emulator hub, never a
 * hard-coded port).
 */
import { Timestamp } from "firebase-admin/firestore";
import { adminDb, apiBaseUrl, signUp, unique } from "../support/emulators";

/** What the benchmark reads back from a metrics response. */
export interface MetricsBody {
  data: { sources: { count: number }; interactions: { count: number } };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** Milliseconds from sending the request to having read the whole body. */
  elapsedMs: number;
}

export interface BenchApi {
  /** The benchmark's user and its org (their rollups are among the documents a write touches). */
  ids: { user: string; org: string };
  /** Creates an agent owned by the benchmark's user; returns its id. */
  createAgent(label: string): Promise<string>;
  /** A plain read, as any reader makes it (an instance may answer from its memory). */
  metrics(agentId: string): Promise<ApiResponse<MetricsBody>>;
  /** A read with `Cache-Control: no-cache`: the stored view, as a client that just wrote asks for it. */
  storedMetrics(agentId: string): Promise<ApiResponse<MetricsBody>>;
  refresh(agentId: string): Promise<ApiResponse<MetricsBody>>;
  ingest(agentId: string, interactions: unknown[]): Promise<ApiResponse<{ accepted: number }>>;
}

/** How long a call may go unanswered before it counts as no answer (status 0). */
const NO_ANSWER_MS = 120_000;

/** Permissions the benchmark's key needs, and a rate limit its polling cannot reach. */
const KEY_REQUEST = { name: "write-path bench", permissions: ["read:agent-metrics", "write:agent-metrics", "write:interactions"], rateLimitPerMinute: 10_000 };

export async function connectBenchApi(): Promise<BenchApi> {
  const base = await apiBaseUrl();
  const db = adminDb();
  const ids = { org: unique("bench-org"), user: unique("bench-user") };
  const token = await signUp(ids.user);
  await db.doc(`organizations/${ids.org}`).set({ name: "Bench" });
  await db.doc(`users/${ids.user}`).set({ orgId: ids.org, role: "owner", displayName: "Bench" });
  const created = await fetch(`${base}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(KEY_REQUEST),
  });
  if (created.status !== 201) throw new Error(`creating the API key failed: ${created.status} ${await created.text()}`);
  const { key } = (await created.json()) as { key: string };

  async function call<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "X-API-Key": key, "content-type": "application/json", ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(NO_ANSWER_MS),
      });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { unparsed: text.slice(0, 200) };
      }
      return { status: res.status, body: parsed as T, elapsedMs: performance.now() - started };
    } catch (error) {
      // No answer at all (refused, reset, or none within the limit): status 0, so a figure never waits for ever.
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "TypeError")) return { status: 0, body: null as T, elapsedMs: performance.now() - started };
      throw error;
    }
  }

  return {
    ids,
    async createAgent(label) {
      const agentId = unique(`bench-${label}`);
      await db.doc(`agents/${agentId}`).set({ name: label, ownerId: ids.user, orgId: ids.org, createdAt: Timestamp.now() });
      return agentId;
    },
    metrics: (agentId) => call("GET", `/v1/agents/${agentId}/metrics`),
    // What a client that just wrote asks: the stored view, not the copy an instance holds for up to 5 s.
    storedMetrics: (agentId) => call("GET", `/v1/agents/${agentId}/metrics`, undefined, { "Cache-Control": "no-cache" }),
    refresh: (agentId) => call("POST", `/v1/agents/${agentId}/metrics:refresh`),
    ingest: (agentId, interactions) => call("POST", `/v1/agents/${agentId}/interactions`, { interactions }),
  };
}

/** Throws unless the response is the expected status (benchmark figures from failed calls would lie). */
export function expectStatus<T>(res: ApiResponse<T>, status: number, what: string): ApiResponse<T> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}
