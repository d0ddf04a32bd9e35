/**
 * @module metrics-cache
 * The browser's localStorage layer over the metrics API: "calculate once, use many times" carried
 * into the page. A read is answered from an entry younger than `maxAgeMs` without any request; an
 * older one (within `staleWhileRevalidateMs`) is answered at once, marked stale, while one
 * `If-None-Match` request confirms it (a 304 only refreshes its age) or replaces it. An answer or
 * entry is trusted only when it is the view asked for (a view, not a series, of that scope and id)
 * and its Ed25519 signature verifies as a view, every time it is read: localStorage is writable by
 * any script and any person at the keyboard, so a tampered entry is dropped and refetched. Nor may
 * storage take a view back in time: the cache remembers, in memory, the revision it last accepted
 * per view, and an older authentic revision found in storage (whatever its unsigned `savedAt`) is
 * neither shown nor trusted over it. Only the server can move a view to a lower revision (one
 * recreated), past `SERVER_MAX_STALE_MS`. When the network is down, or the server keeps answering
 * 429/503, the last verified value is served, marked stale, rather than an error. Concurrent reads
 * of one view share one request.
 */
import { ApiRequestError, type ApiClient, type ConditionalMetrics, type MetricsScope } from "./api-client";
import { VIEW_FRESHNESS, type MetricsResponse, type ServerCacheLayer } from "metrics-functions/contract";
import { BackoffGate, DEFAULT_BACKOFF, isRetryable, type BackoffOptions } from "./backoff";
import { EntryStore, type CacheEntry, type StorageLike } from "./entry-store";
import { readAgentsInBatches } from "./batch-read";

/** Bump when the entry format changes: entries of any other version are dropped on open. */
export const CACHE_FORMAT_VERSION = "v1";

/**
 * The oldest copy a server instance may serve (its edge cache's maximum age): a lower revision than
 * one this browser saw more recently than that is an old copy.
 */
export const SERVER_MAX_STALE_MS = VIEW_FRESHNESS.maxAgeMs;

export interface MetricsRef {
  scope: MetricsScope;
  id: string;
}

/** Why a served value is stale. */
export type StaleReason = "revalidating" | "offline" | "rate-limited" | "unavailable";

/** One read's answer: the verified response and where its numbers came from. */
export interface MetricsResult {
  response: MetricsResponse;
  /** The server layer that produced it, or "browser" when it came out of localStorage. */
  source: ServerCacheLayer | "browser";
  stale: boolean;
  staleReason?: StaleReason;
  /** Milliseconds since the server last confirmed this revision to this browser. */
  ageMs: number;
  /** The failure that made the cache fall back to this value, when it did. */
  error?: ApiRequestError;
}

export interface MetricsCacheOptions {
  api: Pick<ApiClient, "metrics" | "agentMetrics" | "batchGetAgentMetrics">;
  /** True when the response's signature verifies against the published keys. */
  verify: (response: MetricsResponse) => Promise<boolean>;
  storage: StorageLike;
  /** Keeps users of one browser apart: the signed-in uid. */
  partition: string;
  namespace?: string;
  version?: string;
  maxAgeMs?: number;
  staleWhileRevalidateMs?: number;
  now?: () => number;
  backoff?: Partial<Omit<BackoffOptions, "now">>;
}

export type MetricsListener = (ref: MetricsRef, result: MetricsResult) => void;

/** One name per view (`agent:<id>`, `user:<uid>`, `org:<id>`), for maps keyed by view. */
export const refKey = (ref: MetricsRef) => `${ref.scope}:${ref.id}`;

/**
 * True when `response` is a metrics view of `ref`: the scope and id asked for, and a view's revision.
 * A series has no revision, so this also refuses a series signed before series had a header of
 * their own (those signatures verify as views for as long as their key is published).
 */
function isViewOf(ref: MetricsRef, response: MetricsResponse | null | undefined): boolean {
  const data = response?.data;
  return data?.scope === ref.scope && data.id === ref.id && Number.isSafeInteger(data.version) && data.version > 0 && !("points" in data);
}

/**
 * A verified, shared, offline-tolerant cache of metrics views.
 * @example
 * const cache = new MetricsCache({ api, verify, storage: localStorage, partition: uid });
 * const { response, source, stale } = await cache.read({ scope: "agent", id: "support-bot" });
 */
export class MetricsCache {
  readonly maxAgeMs: number;
  readonly staleWhileRevalidateMs: number;
  private readonly store: EntryStore;
  private readonly gate: BackoffGate;
  private readonly now: () => number;
  private readonly inFlight = new Map<string, Promise<MetricsResult>>();
  private readonly listeners = new Set<MetricsListener>();
  /** Per view (`refKey`), the verified entry this cache last accepted: storage may not go below it. */
  private readonly accepted = new Map<string, CacheEntry>();

  constructor(private readonly options: MetricsCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.staleWhileRevalidateMs = options.staleWhileRevalidateMs ?? 10 * 60_000;
    this.store = new EntryStore(options.storage, options.namespace ?? "agent-metrics", options.version ?? CACHE_FORMAT_VERSION);
    this.gate = new BackoffGate({
      ...DEFAULT_BACKOFF,
      now: this.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      ...options.backoff,
    });
  }

  /**
   * The view of `ref`: from localStorage when fresh (no request), else from the API. `force` (a
   * "Refresh" button) skips the freshness check and asks the server for its stored view rather than
   * the copy an instance holds in memory; it still sends the entry's ETag.
   */
  async read(ref: MetricsRef, { force = false } = {}): Promise<MetricsResult> {
    const entry = await this.trusted(ref);
    if (entry && !force) {
      const age = this.ageOf(entry);
      if (age <= this.maxAgeMs) return this.fromEntry(entry);
      if (age <= this.maxAgeMs + this.staleWhileRevalidateMs) {
        this.revalidate(ref, entry).catch(() => undefined);
        return { ...this.fromEntry(entry), stale: true, staleReason: "revalidating" };
      }
    }
    return this.revalidate(ref, entry, force);
  }

  /**
   * Many agents at once: fresh entries from localStorage (unless `force`), the rest in batchGet
   * requests of at most 100 ids. Ids that could not be read are in `failures` (404/403 per the
   * contract, or the error); an id whose request failed falls back to its verified entry, as `read` does.
   */
  async readAgents(agentIds: readonly string[], { force = false } = {}): Promise<{ results: Record<string, MetricsResult>; failures: Record<string, ApiRequestError> }> {
    const results: Record<string, MetricsResult> = {};
    const failures: Record<string, ApiRequestError> = {};
    const pending = new Map<string, Promise<MetricsResult>>();
    const toFetch = new Map<string, CacheEntry | null>();
    for (const id of new Set(agentIds)) {
      const ref: MetricsRef = { scope: "agent", id };
      const entry = await this.trusted(ref);
      const shared = this.inFlight.get(refKey(ref));
      if (entry && !force && this.ageOf(entry) <= this.maxAgeMs) results[id] = this.fromEntry(entry);
      // A forced read does not join a plain one in flight: that one may be answered from an instance's memory.
      else if (shared && !force) pending.set(id, shared);
      else toFetch.set(id, entry);
    }
    const { api } = this.options;
    const fetched = readAgentsInBatches(
      [...toFetch.keys()],
      (ids) => this.gate.run(() => api.batchGetAgentMetrics(ids, { revalidate: force })),
      (id) => this.gate.run(() => api.agentMetrics(id, { revalidate: force })),
    );
    for (const [id, entry] of toFetch) {
      const ref: MetricsRef = { scope: "agent", id };
      const answer = fetched.then((outcomes) => {
        const outcome = outcomes.get(id);
        if (!outcome) throw new ApiRequestError(0, "BAD_RESPONSE", `The batch read lost agent ${id}.`);
        if ("error" in outcome) throw outcome.error;
        return { notModified: false as const, response: outcome.response, etag: null };
      });
      // Another reader may already hold this id's request; then this answer is never awaited.
      answer.catch(() => undefined);
      pending.set(id, this.share(ref, () => this.settle(ref, entry, answer), force));
    }
    const ids = [...pending.keys()];
    const settled = await Promise.allSettled(pending.values());
    settled.forEach((outcome, i) => {
      if (outcome.status === "fulfilled") results[ids[i]] = outcome.value;
      else failures[ids[i]] = outcome.reason instanceof ApiRequestError ? outcome.reason : new ApiRequestError(0, "BAD_RESPONSE", String(outcome.reason));
    });
    return { results, failures };
  }

  /** Calls `listener` when a view changes behind a read: a background revalidation or another tab. */
  subscribe(listener: MetricsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Follows other tabs' writes through the `storage` event (which fires only in the *other* tabs);
   * each new value is verified before listeners hear of it.
   * @example const stop = cache.listenToOtherTabs(window);
   */
  listenToOtherTabs(target: Pick<EventTarget, "addEventListener" | "removeEventListener">): () => void {
    const onStorage = (event: Event) => void this.onStorage(event as StorageEvent);
    target.addEventListener("storage", onStorage);
    return () => target.removeEventListener("storage", onStorage);
  }

  /** Drops this partition's entries (on sign-out, so the next user of the browser sees none). */
  clear(): void {
    this.store.clear(this.options.partition);
    this.accepted.clear();
  }

  /** Milliseconds until the server allows another request (after a 429/503 with Retry-After). */
  backedOffForMs(): number {
    return this.gate.closedForMs();
  }

  private keyOf(ref: MetricsRef): string {
    return this.store.keyOf(this.options.partition, ref.scope, ref.id);
  }

  /**
   * The stored entry of `ref` if it is `ref`'s view and its signature verifies; a tampered one is
   * removed. One older than the revision this cache last accepted is not used: the accepted entry
   * (with the age this cache gave it) is answered instead. When `verify` throws (the signing keys
   * cannot be fetched) the entry is kept but not used: it is unproven, not proven false.
   */
  private async trusted(ref: MetricsRef): Promise<CacheEntry | null> {
    const key = this.keyOf(ref);
    const entry = this.store.read(key);
    if (!entry) return null;
    let authentic: boolean;
    try {
      authentic = isViewOf(ref, entry.response) && (await this.options.verify(entry.response));
    } catch {
      return null;
    }
    if (!authentic) {
      this.store.remove(key);
      return null;
    }
    const accepted = this.accepted.get(refKey(ref));
    if (accepted && entry.response.data.version < accepted.response.data.version) return accepted;
    this.accepted.set(refKey(ref), entry);
    return entry;
  }

  /** Stores `entry` as `ref`'s view and remembers it as the revision accepted. */
  private keep(ref: MetricsRef, entry: CacheEntry): void {
    this.store.write(this.keyOf(ref), entry);
    this.accepted.set(refKey(ref), entry);
  }

  private fromEntry(entry: CacheEntry): MetricsResult {
    return { response: entry.response, source: "browser", stale: false, ageMs: Math.max(0, this.now() - entry.savedAt) };
  }

  /** One request per view at a time: a second reader joins the first one's promise (unless `forced`). */
  private share(ref: MetricsRef, request: () => Promise<MetricsResult>, forced = false): Promise<MetricsResult> {
    const key = refKey(ref);
    const existing = this.inFlight.get(key);
    if (existing && !forced) return existing;
    const promise = request().finally(() => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  private revalidate(ref: MetricsRef, entry: CacheEntry | null, forced = false): Promise<MetricsResult> {
    return this.share(
      ref,
      () => {
        return this.settle(ref, entry, this.gate.run(() => this.options.api.metrics(ref.scope, ref.id, entry?.etag, { revalidate: forced })));
      },
      forced,
    );
  }

  /** Turns a network answer into a result: verify and store it, or fall back to `entry`. */
  private async settle(
    ref: MetricsRef,
    entry: CacheEntry | null,
    answer: Promise<ConditionalMetrics>,
  ): Promise<MetricsResult> {
    let outcome: ConditionalMetrics;
    try {
      outcome = await answer;
    } catch (error) {
      return this.fallBack(ref, entry, error);
    }
    if (outcome.notModified) {
      if (!entry) throw new ApiRequestError(304, "BAD_RESPONSE", "304 without a cached revision");
      const refreshed = { ...entry, savedAt: this.now() };
      this.keep(ref, refreshed);
      return this.fromEntry(refreshed);
    }
    const { response, etag } = outcome;
    if (!isViewOf(ref, response)) {
      throw new ApiRequestError(200, "BAD_RESPONSE", `The answer for the ${ref.scope} ${ref.id} metrics was not that view.`);
    }
    if (!(await this.options.verify(response))) {
      throw new ApiRequestError(200, "BAD_SIGNATURE", `The ${ref.scope} ${ref.id} metrics did not verify against the published signing keys.`);
    }
    const newer = await this.newerHeld(ref, response);
    if (newer) return this.fromEntry(newer);
    this.keep(ref, { response, etag, savedAt: this.now() });
    const result: MetricsResult = { response, source: response.meta?.cache ?? "store", stale: false, ageMs: 0 };
    if (response.signature.value !== entry?.response.signature.value) this.notify(ref, result);
    return result;
  }

  /**
   * A verified entry holding a later revision than `response`, saved so recently that `response` must
   * be an older copy still held by some server instance (an instance serves copies up to
   * `SERVER_MAX_STALE_MS` old) rather than a view that really went back (deleted and recreated).
   * Keeping it means a card never shows a count that goes back and forth.
   */
  private async newerHeld(ref: MetricsRef, response: MetricsResponse): Promise<CacheEntry | null> {
    const newerAndRecent = (held: CacheEntry | null | undefined): held is CacheEntry =>
      held != null && held.response.data?.version > response.data.version && this.ageOf(held) < SERVER_MAX_STALE_MS;
    const accepted = this.accepted.get(refKey(ref));
    if (newerAndRecent(accepted)) return accepted;
    // Usually the answer is the newer one: decide from the raw entry, and verify it only if it would win.
    if (!newerAndRecent(this.store.read(this.keyOf(ref)))) return null;
    const held = await this.trusted(ref);
    return newerAndRecent(held) ? held : null;
  }

  /**
   * How old an entry is. `savedAt` is not signed (only the view is): an entry saved "in the future"
   * was written by something other than this cache (a planted copy would otherwise stay fresh for
   * ever), so it counts as too old to use without asking the server.
   */
  private ageOf(entry: CacheEntry): number {
    const age = this.now() - entry.savedAt;
    return age < 0 ? Infinity : age;
  }

  private fallBack(ref: MetricsRef, entry: CacheEntry | null, error: unknown): MetricsResult {
    if (!(error instanceof ApiRequestError)) throw error;
    const offline = error.code === "NETWORK_ERROR";
    if (entry && (offline || isRetryable(error) || error.status >= 500)) {
      const staleReason: StaleReason = offline ? "offline" : error.status === 429 ? "rate-limited" : "unavailable";
      return { ...this.fromEntry(entry), stale: true, staleReason, error };
    }
    // Refused outright (key revoked, access withdrawn, view gone): what we hold may no longer be shown.
    if (error.status === 401 || error.status === 403 || error.status === 404) {
      this.store.remove(this.keyOf(ref));
      this.accepted.delete(refKey(ref));
    }
    throw error;
  }

  private notify(ref: MetricsRef, result: MetricsResult): void {
    for (const listener of this.listeners) listener(ref, result);
  }

  private async onStorage(event: StorageEvent): Promise<void> {
    const ref = this.store.refOf(event.key, this.options.partition);
    const entry = ref ? this.store.parse(event.newValue) : null;
    if (!ref || !entry || !isViewOf(ref, entry.response)) return;
    const accepted = this.accepted.get(refKey(ref));
    // Another tab never takes this one back to an older revision.
    if (accepted && entry.response.data.version < accepted.response.data.version) return;
    if (!(await this.options.verify(entry.response).catch(() => false))) return;
    this.accepted.set(refKey(ref), entry);
    this.notify(ref, this.fromEntry(entry));
  }
}
