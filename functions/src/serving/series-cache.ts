/**
 * @module series-cache
 * The edge cache of time series (series.ts), beside the views' (view-cache), on one function instance.
 *
 * A series is rendered from the state stored beside a view, so a miss reads that one document (an
 * agent view with a field mask of the revision and its state, or a rollup) and renders the range; an
 * agent view that is missing or does not verify is recomputed, a rollup older than
 * `ROLLUP_MAX_LAG_MS` is folded again, exactly as for the metrics reads. The response is signed when
 * it is rendered (its `data` is not a stored document), under the series header so that it can never
 * pass for the view of the same scope and id, and kept serialized, keyed by scope, id and range,
 * under the same freshness policy as the views; its strong ETag is a digest of the data, so every
 * instance gives the same one for the same series. A stored view older than a revision this
 * instance has seen is rebuilt rather than rendered, as in the view cache (`RevisionFloor`, shared).
 *
 * Ranges are cut to whole buckets before they become keys (series.ts), so any `from`/`to` inside the
 * same buckets meets the same entry. A range not yet held renders from the state the last load of
 * the same scope and id brought in, while that state is fresh under the policy (`freshMs`), so a
 * caller walking `from` and `to` through a week costs one read per scope and id per 5 s, not one per
 * range; a `no-cache` read still goes to the store.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Logger } from "../config/logger";
import { canReadAgent, type Viewer } from "../directory/access-policy";
import type { AgentOwnership } from "../documents/source-documents";
import { verifiedAccess } from "../metrics/access-seal";
import type { AgentState } from "../metrics/agent-view";
import { canonicalJson } from "../contract/canonical-json";
import { ENTRY_OVERHEAD_BYTES, VIEW_POLICY } from "../cache/cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import type { Scope } from "../metrics/metrics-view";
import { renderSeries, type SeriesRange } from "../metrics/series";
import { NO_TOKENS } from "../metrics/interaction-batch";
import type { Keyring } from "../signing/signing";
import type { ReadableViews } from "../directory/readable-agents-query";
import { ROLLUP_MAX_LAG_MS, type RollupScope } from "../rollups/rollup-store";
import type { ComputedView } from "../agent-views/agent-fold";
import type { StoredView } from "../agent-views/stored-view";
import { EdgeCache, type GetOptions, type Served } from "../cache/edge-cache";
import type { LayerStats } from "../contract/schemas/service";
import { RevisionFloor } from "../cache/revision-floor";
import { storedViewCheck } from "./stored-view-check";
import { sizeOfEntry, type ViewEntry, type ViewOrigin } from "./view-entry";
import * as logs from "../config/logs";

/** Where series come from on a miss. */
export interface SeriesSource {
  /** An agent view with its state (not the served blocks). */
  readAgentState(id: string): Promise<StoredView | null>;
  /** Agent views with their state that a caller may read, as their stored owner says, found without reading the others. */
  readReadableAgentStates: ReadableViews;
  recomputeAgent(id: string): Promise<ComputedView | null>;
  readRollup(scope: RollupScope, id: string): Promise<StoredView | null>;
  foldRollup(scope: RollupScope, id: string): Promise<ComputedView>;
}

export interface SeriesCache {
  /** The series of a view over `range`, or null for an agent that does not exist. */
  get(scope: Scope, id: string, range: SeriesRange, options?: GetOptions): Promise<Served<ViewEntry> | null>;
  /**
   * An agent's series over `range` read in one query that only matches it when `viewer` may read it as
   * its stored owner says, kept and served as loaded from the store; null when the query left it out
   * (no stored view, one that fails its check, or one the viewer may not read: rights are decided elsewhere).
   */
  loadReadable(viewer: Viewer, id: string, range: SeriesRange): Promise<Served<ViewEntry> | null>;
  stats(): LayerStats;
}

/** Series take less room than views in all but the busiest agents; the edge keeps up to 16 MiB of them. */
const SERIES_CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** Scopes and ids whose last loaded state this instance keeps for `freshMs` (a state is a few KB to a few hundred). */
const RECENT_STATES = 500;

export interface SeriesCacheOptions {
  keyring: Keyring;
  log: Logger;
  now?: () => number;
  policy?: FreshnessPolicy;
  /** The instance's memory of the latest revisions, shared with the view cache. */
  revisions?: RevisionFloor;
}

export function seriesCache(source: SeriesSource, options: SeriesCacheOptions): SeriesCache {
  const now = options.now ?? Date.now;

  function entryOf(scope: Scope, id: string, range: SeriesRange, state: AgentState, origin: ViewOrigin, access: AgentOwnership | null): ViewEntry {
    const buckets = range.granularity === "hour" ? state.hours : state.days;
    const data = { scope, id, granularity: range.granularity, from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), points: renderSeries(buckets, range) };
    const signature = options.keyring.sign(data, new Date(now()), "series");
    const etag = `"s${createHash("sha256").update(canonicalJson(data)).digest("base64url").slice(0, 26)}"`;
    const payload = JSON.stringify({ data, signature }).slice(0, -1);
    return Object.freeze({ scope, id, etag, origin, payload, access: access && Object.freeze({ ...access }), tokens: NO_TOKENS });
  }

  // The state each recent load of a scope and id brought in, for the ranges not held yet.
  const freshMs = (options.policy ?? VIEW_POLICY).freshMs;
  const recentStates = new LRUCache<string, { state: AgentState; origin: ViewOrigin; access: AgentOwnership | null }>({ max: RECENT_STATES, ttl: freshMs, ttlResolution: 0, perf: { now } });
  const stateKey = (scope: Scope, id: string) => JSON.stringify([scope, id]);
  const remember = (scope: Scope, id: string, state: AgentState, origin: ViewOrigin, access: AgentOwnership | null) => {
    recentStates.set(stateKey(scope, id), { state, origin, access });
  };
  const rendered = (scope: Scope, id: string, range: SeriesRange, state: AgentState, origin: ViewOrigin, access: AgentOwnership | null) => {
    remember(scope, id, state, origin, access);
    return entryOf(scope, id, range, state, origin, access);
  };

  const check = storedViewCheck({ keyring: options.keyring, log: options.log, revisions: options.revisions ?? new RevisionFloor() });
  // A stored view a series may be rendered from: its state is there, and it passes the check.
  const trusted = (stored: StoredView | null, scope: Scope, id: string): stored is StoredView & { state: AgentState } =>
    stored !== null && stored.state !== null && check.servable(scope, id, stored);

  async function load(scope: Scope, id: string, range: SeriesRange): Promise<ViewEntry | null> {
    const recent = recentStates.get(stateKey(scope, id));
    if (recent) return entryOf(scope, id, range, recent.state, recent.origin, recent.access);
    if (scope === "agent") {
      const stored = await source.readAgentState(id);
      if (trusted(stored, scope, id)) return rendered(scope, id, range, stored.state, "store", verifiedAccess(stored.sealed.data, stored.access, options.keyring));
      const computed = await source.recomputeAgent(id);
      check.rebuilt(scope, id, computed?.sealed.data.version ?? null);
      return computed && rendered(scope, id, range, computed.state, "computed", computed.access);
    }
    const stored = await source.readRollup(scope, id);
    const foldedRecently = stored?.foldedAt != null && now() - stored.foldedAt.getTime() <= ROLLUP_MAX_LAG_MS;
    if (foldedRecently && trusted(stored, scope, id)) return rendered(scope, id, range, stored.state, "store", null);
    const folded = await source.foldRollup(scope, id);
    check.rebuilt(scope, id, folded.sealed.data.version);
    return rendered(scope, id, range, folded.state, "computed", null);
  }

  const edge = new EdgeCache<ViewEntry | null>({
    policy: options.policy ?? VIEW_POLICY,
    maxBytes: SERIES_CACHE_MAX_BYTES,
    sizeOf: (entry) => (entry ? sizeOfEntry(entry) : ENTRY_OVERHEAD_BYTES),
    now,
    load: (key) => {
      const [scope, id, granularity, fromMs, toMs] = JSON.parse(key) as [Scope, string, SeriesRange["granularity"], number, number];
      return load(scope, id, { granularity, fromMs, toMs });
    },
    onLoadError: (key, error) => logs.edgeLoadFailed(options.log, key, error),
  });

  const keyOf = (scope: Scope, id: string, range: SeriesRange) => JSON.stringify([scope, id, range.granularity, range.fromMs, range.toMs]);

  return {
    async get(scope, id, range, getOptions) {
      // Validated at the origin means read from the store, not rendered from a state read earlier.
      if (getOptions?.revalidate) recentStates.delete(stateKey(scope, id));
      const served = await edge.get(keyOf(scope, id, range), getOptions);
      return served.value ? (served as Served<ViewEntry>) : null;
    },
    async loadReadable(viewer, id, range) {
      const stored = (await source.readReadableAgentStates(viewer, [id])).get(id) ?? null;
      if (!stored?.access || !canReadAgent(viewer, stored.access) || !trusted(stored, "agent", id)) return null;
      const access = verifiedAccess(stored.sealed.data, stored.access, options.keyring);
      if (!access) return null;
      const entry = rendered("agent", id, range, stored.state, "store", access);
      edge.set(keyOf("agent", id, range), entry, { loaded: true });
      return { value: entry, fromMemory: false, stale: false, ageMs: 0 };
    },
    stats: () => edge.stats(),
  };
}
