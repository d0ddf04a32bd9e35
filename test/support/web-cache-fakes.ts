/**
 * @module web-cache-fakes
 * Stand-ins for what the browser's metrics cache touches, so its policy is tested in Node: a
 * Storage with a byte quota that throws QuotaExceededError like a browser's, a metrics "server"
 * that signs its views with a real Ed25519 key and answers If-None-Match, and a hand-moved clock.
 */
import { webcrypto } from "node:crypto";
import { ApiRequestError, type ConditionalMetrics, type MetricsScope, type ReadOptions } from "../../web-client/src/lib/api-client";
import type { BatchGetResponse, MetricsData, MetricsResponse, SignedResponse, SigningKey } from "metrics-functions/contract";
import { signedMessageText, type SignedPurpose } from "../../functions/src/contract/signed-message";
import { emptyAgentView } from "./fakes";

const { subtle } = webcrypto;
const ED25519 = { name: "Ed25519" } as const;

/** localStorage with a quota: `setItem` throws a DOMException named QuotaExceededError past it. */
export class QuotaStorage implements Storage {
  private readonly items = new Map<string, string>();
  constructor(private readonly quotaChars = Infinity) {}
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quotaChars) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
  keys() {
    return [...this.items.keys()];
  }
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public ms = Date.parse("2026-01-01T00:00:00Z")) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

/** A signing key pair published the way `/v1/signing-keys` does. */
export async function makeSigner(keyId = "test-key") {
  const pair = (await subtle.generateKey(ED25519, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const publicKey = Buffer.from(await subtle.exportKey("raw", pair.publicKey)).toString("base64url");
  const published: SigningKey = { keyId, alg: "Ed25519", publicKey, status: "active" };
  /** Signs `data` as the server signs a document of kind `purpose` (a view unless told). */
  async function sign<T extends object = MetricsData>(data: T, purpose: SignedPurpose = "view"): Promise<SignedResponse<T> & { meta: MetricsResponse["meta"] }> {
    const signedAt = new Date().toISOString();
    const value = Buffer.from(await subtle.sign(ED25519, pair.privateKey, new TextEncoder().encode(signedMessageText(data, keyId, signedAt, purpose)))).toString("base64url");
    return { data, signature: { alg: "Ed25519", keyId, signedAt, value }, meta: { cache: "store", ageMs: 0, stale: false } };
  }
  return { published, sign };
}

export function agentView(id: string, count: number, version = 1): MetricsData {
  const computedAt = "2026-01-01T00:00:00.000Z";
  const empty = emptyAgentView(new Date(computedAt));
  return {
    scope: "agent",
    id,
    version,
    computedAt,
    ...empty,
    sources: { ...empty.sources, count, totalBytes: count * 100, totalTokens: count * 10, byType: { ...empty.sources.byType, pdf: count }, byStatus: { processing: 0, ready: count, failed: 0 } },
  };
}

type Fault = ApiRequestError | "offline";

/** The API as the cache sees it: views held per id, with scripted faults and a request log. */
/** How a call is recorded when it asked the server to skip its memory (`Cache-Control: no-cache`). */
const noCache = (options: ReadOptions) => (options.revalidate ? " no-cache" : "");

export class FakeMetricsApi {
  readonly views = new Map<string, MetricsResponse>();
  readonly calls: string[] = [];
  private readonly faults: Fault[] = [];
  offline = false;
  /** When set, requests wait for it before answering (to hold several reads in flight). */
  gate: Promise<void> | null = null;

  /** The next requests fail with these, in order. */
  failNext(...faults: Fault[]) {
    this.faults.push(...faults);
  }

  private async answer<T>(call: string, body: () => T): Promise<T> {
    this.calls.push(call);
    if (this.gate) await this.gate;
    const fault = this.offline ? "offline" : this.faults.shift();
    if (fault === "offline") throw new ApiRequestError(0, "NETWORK_ERROR", "The API could not be reached: fetch failed");
    if (fault) throw fault;
    return body();
  }

  private etagOf(id: string) {
    const view = this.views.get(id);
    return view ? `"${view.signature.value.slice(0, 16)}"` : null;
  }

  private viewOf(id: string): MetricsResponse {
    const view = this.views.get(id);
    if (!view) throw new ApiRequestError(403, "PERMISSION_DENIED", "You may not read this agent's metrics.");
    return structuredClone(view);
  }

  metrics = (scope: MetricsScope, id: string, etag?: string | null, options: ReadOptions = {}): Promise<ConditionalMetrics> =>
    this.answer(`GET ${scope}/${id}${etag ? " If-None-Match" : ""}${noCache(options)}`, () => {
      const response = this.viewOf(id);
      if (etag && etag === this.etagOf(id)) return { notModified: true as const };
      return { notModified: false as const, response, etag: this.etagOf(id) };
    });

  agentMetrics = (id: string, options: ReadOptions = {}): Promise<MetricsResponse> => this.answer(`GET agent/${id}${noCache(options)}`, () => this.viewOf(id));

  batchGetAgentMetrics = (ids: readonly string[], options: ReadOptions = {}): Promise<BatchGetResponse> =>
    this.answer(`BATCH ${ids.join(",")}${noCache(options)}`, () => {
      const body: BatchGetResponse = { data: {}, notFound: [], forbidden: [] };
      for (const id of ids) {
        const view = this.views.get(id);
        if (view) body.data[id] = structuredClone(view);
        else body.forbidden.push(id);
      }
      return body;
    });
}
