/**
 * @module view-cache
 * The edge cache of metrics views (agent, user, org) on one function instance.
 *
 * A miss loads the stored document, checks its signature once, and keeps it; a document that fails
 * the check is never kept nor served: it is recomputed from source (agents) or folded again (rollups)
 * and `view.signature-invalid` is logged. An agent view comes with the owner and organization stored
 * beside it, for the route's access check, once their own signature verifies (else the agent
 * document decides, and `view.access-unverified` is logged). An agent that does not exist is remembered as absent, like
 * a view (so probing unknown ids costs one read per id per instance and policy period), and a missing
 * or broken view of an existing agent is recomputed before anyone's access is checked: that costs one
 * recompute per such view, whoever asks first, and stores the view every later reader needs. Misses
 * of agent views issued in the same turn share one Firestore `getAll` (a batch read of 100 ids costs
 * one round trip). Rollups are folded again when
 * their stored copy is older than `ROLLUP_MAX_LAG_MS`, as before the edge existed.
 * A refresh on this instance updates the entry at once; folds, wherever they run, show within the
 * freshness policy. A stored revision older than one this instance already served or wrote (a copy
 * that went back: `RevisionFloor`) is treated like a broken one: rebuilt, and `view.revision-regressed`
 * logged.
 */
import type { Logger } from "../config/logger";
import { ENTRY_OVERHEAD_BYTES, VIEW_CACHE_MAX_BYTES, VIEW_POLICY } from "../cache/cache-policy";
import type { FreshnessPolicy } from "../contract/freshness";
import { canReadAgent, type Viewer } from "../directory/access-policy";
import type { AgentOwnership } from "../documents/source-documents";
import { verifiedAccess } from "../metrics/access-seal";
import { isAuthentic, type Scope, type SealedView } from "../metrics/metrics-view";
import type { Keyring } from "../signing/signing";
import type { AgentViewReader } from "../agent-views/agent-view-reader";
import type { ReadableViews } from "../directory/readable-agents-query";
import { ROLLUP_MAX_LAG_MS, type RollupScope } from "../rollups/rollup-store";
import { NO_TOKENS, type TokenTotals } from "../metrics/interaction-batch";
import type { ComputedView } from "../agent-views/agent-fold";
import type { StoredView } from "../agent-views/stored-view";
import { batchLoader } from "../cache/batch-loader";
import { EdgeCache, type GetOptions, type Served } from "../cache/edge-cache";
import type { LayerStats } from "../contract/schemas/service";
import { RevisionFloor } from "../cache/revision-floor";
import { storedViewCheck } from "./stored-view-check";
import { sizeOfEntry, viewEntryOf, type ViewEntry, type ViewOrigin } from "./view-entry";
import * as logs from "../config/logs";

/** Where views come from on a miss. */
export interface ViewSource {
  /** Stored agent views, many in one round trip; a missing view maps to null. */
  readAgents: AgentViewReader;
  /** Stored agent views a caller may read, as their stored owner says, found without reading the others. */
  readReadableAgents: ReadableViews;
  /** Recomputes and stores an agent's view; null when the agent does not exist. */
  recomputeAgent(id: string): Promise<ComputedView | null>;
  readRollup(scope: RollupScope, id: string): Promise<StoredView | null>;
  foldRollup(scope: RollupScope, id: string): Promise<ComputedView>;
}

export interface ViewCacheOptions {
  keyring: Keyring;
  log: Logger;
  now?: () => number;
  policy?: FreshnessPolicy;
  maxBytes?: number;
  /** The instance's memory of the latest revisions, shared with the series cache. */
  revisions?: RevisionFloor;
}

export interface ViewCache {
  /** An agent's view through the edge, or null when there is no such agent; `revalidate` skips the held copy. */
  agent(id: string, options?: GetOptions): Promise<Served<ViewEntry> | null>;
  /** A user's or organization's rollup through the edge; `revalidate` skips the held copy. */
  rollup(scope: RollupScope, id: string, options?: GetOptions): Promise<Served<ViewEntry>>;
  /**
   * What this instance holds of an agent, without loading anything: the owner kept beside its view,
   * "absent" for an agent remembered as missing, or undefined when nothing usable is held.
   */
  heldAccess(id: string): AgentOwnership | "absent" | undefined;
  /**
   * Reads, in one query, the stored views among `ids` that `viewer` may read as their stored owner says,
   * keeps the authentic ones, and serves them as loaded from the store. An id left out has no stored
   * view, one that fails its check, or one the viewer may not read: its rights are decided elsewhere.
   */
  loadReadable(viewer: Viewer, ids: readonly string[]): Promise<Map<string, Served<ViewEntry>>>;
  /** Keeps a view this instance just wrote (with an agent view's owner), so the next read serves it from memory. */
  remember(sealed: SealedView, origin: ViewOrigin, access?: AgentOwnership | null): ViewEntry;
  /**
   * The token totals of an agent's view as this instance last saw them, or as stored (one read,
   * never a recompute); zeros when there is no trusted view yet.
   */
  tokens(id: string): Promise<TokenTotals>;
  stats(): LayerStats;
}

const keyOf = (scope: Scope, id: string) => `${scope}:${id}`;

export function viewCache(source: ViewSource, options: ViewCacheOptions): ViewCache {
  const now = options.now ?? Date.now;
  const readAgent = batchLoader((ids) => source.readAgents(ids));
  const revisions = options.revisions ?? new RevisionFloor();
  const check = storedViewCheck({ keyring: options.keyring, log: options.log, revisions });
  const rebuilt = <T extends ComputedView | null>(scope: Scope, id: string, computed: T): T => {
    check.rebuilt(scope, id, computed?.sealed.data.version ?? null);
    return computed;
  };

  // The owner stored beside an authentic view, once its own signature verifies; null otherwise (the
  // agent document decides instead, and the next write of the view signs it again).
  const accessOrLogged = (id: string, stored: StoredView): AgentOwnership | null => {
    const access = verifiedAccess(stored.sealed.data, stored.access, options.keyring);
    if (stored.access && !access) logs.viewAccessUnverified(options.log, { id, keyId: stored.access.signature?.keyId ?? null });
    return access;
  };

  async function loadAgent(id: string): Promise<ViewEntry | null> {
    const stored = await readAgent(id);
    if (check.servable("agent", id, stored)) return viewEntryOf(stored.sealed, "store", accessOrLogged(id, stored));
    const computed = rebuilt("agent", id, await source.recomputeAgent(id));
    return computed && viewEntryOf(computed.sealed, "computed", computed.access);
  }

  async function loadRollup(scope: RollupScope, id: string): Promise<ViewEntry> {
    const stored = await source.readRollup(scope, id);
    const recent = stored?.foldedAt != null && now() - stored.foldedAt.getTime() <= ROLLUP_MAX_LAG_MS;
    if (recent && check.servable(scope, id, stored)) return viewEntryOf(stored.sealed, "store");
    return viewEntryOf(rebuilt(scope, id, await source.foldRollup(scope, id)).sealed, "computed");
  }

  // null: an agent that does not exist.
  const edge = new EdgeCache<ViewEntry | null>({
    policy: options.policy ?? VIEW_POLICY,
    maxBytes: options.maxBytes ?? VIEW_CACHE_MAX_BYTES,
    sizeOf: (entry) => (entry ? sizeOfEntry(entry) : ENTRY_OVERHEAD_BYTES),
    now,
    load: (key) => {
      const split = key.indexOf(":");
      const [scope, id] = [key.slice(0, split) as Scope, key.slice(split + 1)];
      return scope === "agent" ? loadAgent(id) : loadRollup(scope, id);
    },
    onLoadError: (key, error) => logs.edgeLoadFailed(options.log, key, error),
  });

  return {
    async agent(id, options) {
      const served = await edge.get(keyOf("agent", id), options);
      return served.value ? (served as Served<ViewEntry>) : null;
    },
    async rollup(scope, id, options) {
      const served = await edge.get(keyOf(scope, id), options);
      if (!served.value) throw new Error(`no ${scope} view of ${id} was folded`);
      return served as Served<ViewEntry>;
    },
    heldAccess(id) {
      const held = edge.peek(keyOf("agent", id));
      if (held === null) return "absent";
      return held?.access ?? undefined;
    },
    async loadReadable(viewer, ids) {
      const loaded = new Map<string, Served<ViewEntry>>();
      if (ids.length === 0) return loaded;
      for (const [id, stored] of await source.readReadableAgents(viewer, ids)) {
        if (!stored.access || !canReadAgent(viewer, stored.access) || !check.servable("agent", id, stored)) continue;
        const access = accessOrLogged(id, stored);
        if (!access) continue;
        const entry = viewEntryOf(stored.sealed, "store", access);
        edge.set(keyOf("agent", id), entry, { loaded: true });
        loaded.set(id, { value: entry, fromMemory: false, stale: false, ageMs: 0 });
      }
      return loaded;
    },
    remember(sealed, origin, access = null) {
      const entry = viewEntryOf(sealed, origin, access);
      revisions.saw(entry.scope, entry.id, sealed.data.version);
      edge.set(keyOf(entry.scope, entry.id), entry);
      return entry;
    },
    async tokens(id) {
      const held = edge.peek(keyOf("agent", id));
      if (held) return held.tokens;
      // null: an agent remembered as absent; its request is refused before it gets here.
      const stored = await readAgent(id);
      return stored && isAuthentic(stored.sealed, options.keyring, "agent", id) ? viewEntryOf(stored.sealed, "store").tokens : NO_TOKENS;
    },
    stats: () => edge.stats(),
  };
}
