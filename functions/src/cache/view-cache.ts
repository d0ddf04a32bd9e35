/**
 * @module view-cache
 * The edge cache of metrics views (agent, user, org) on one function instance.
 *
 * A miss loads the stored document, checks its signature once, and keeps it; a document that fails
 * the check is never kept nor served: it is recomputed from source (agents) or folded again (rollups)
 * and `view.signature-invalid` is logged. Misses of agent views issued in the same turn share one
 * Firestore `getAll` (a batch read of 100 ids costs one round trip). Rollups are folded again when
 * their stored copy is older than `ROLLUP_MAX_LAG_MS`, as before the edge existed.
 * Writes made on this instance (refresh, ingest, folds) update the entry at once.
 */
import type { Logger } from "../config/logger";
import { VIEW_CACHE_MAX_BYTES, VIEW_POLICY, type FreshnessPolicy } from "../domain/cache-policy";
import { isAuthentic, type Scope, type SealedView } from "../domain/metrics-view";
import type { Keyring } from "../domain/signing";
import type { AgentViewReader } from "../store/agent-view-reader";
import { ROLLUP_MAX_LAG_MS, type RollupScope } from "../store/rollup-store";
import type { StoredView } from "../views/stored-view";
import { batchLoader } from "./batch-loader";
import { EdgeCache, type GetOptions, type LayerStats, type Served } from "./edge-cache";
import { sizeOfEntry, viewEntryOf, type ViewEntry, type ViewOrigin } from "./view-entry";

/** Where views come from on a miss. */
export interface ViewSource {
  /** Stored agent views, many in one round trip; a missing view maps to null. */
  readAgents: AgentViewReader;
  recomputeAgent(id: string): Promise<SealedView>;
  readRollup(scope: RollupScope, id: string): Promise<StoredView | null>;
  foldRollup(scope: RollupScope, id: string): Promise<SealedView>;
}

export interface ViewCacheOptions {
  keyring: Keyring;
  log: Logger;
  now?: () => number;
  policy?: FreshnessPolicy;
  maxBytes?: number;
}

export interface ViewCache {
  /** The view through the edge; `revalidate` skips the held copy and reads the store. */
  read(scope: Scope, id: string, options?: GetOptions): Promise<Served<ViewEntry>>;
  /** Keeps a view this instance just wrote, so the next read serves it from memory. */
  remember(sealed: SealedView, origin: ViewOrigin): ViewEntry;
  /** Drops a view this instance changed without holding the result (the next read loads it). */
  forget(scope: Scope, id: string): void;
  stats(): LayerStats;
}

const keyOf = (scope: Scope, id: string) => `${scope}:${id}`;

export function viewCache(source: ViewSource, options: ViewCacheOptions): ViewCache {
  const now = options.now ?? Date.now;
  const readAgent = batchLoader((ids) => source.readAgents(ids));

  const authenticOrLogged = (scope: Scope, id: string, stored: StoredView | null): stored is StoredView => {
    if (!stored) return false;
    if (isAuthentic(stored.sealed, options.keyring)) return true;
    options.log.warn("view.signature-invalid", { scope, id, keyId: stored.sealed.signature?.keyId ?? null });
    return false;
  };

  async function loadAgent(id: string): Promise<ViewEntry> {
    const stored = await readAgent(id);
    if (authenticOrLogged("agent", id, stored)) return viewEntryOf(stored.sealed, "store");
    return viewEntryOf(await source.recomputeAgent(id), "computed");
  }

  async function loadRollup(scope: RollupScope, id: string): Promise<ViewEntry> {
    const stored = await source.readRollup(scope, id);
    const recent = stored?.foldedAt != null && now() - stored.foldedAt.getTime() <= ROLLUP_MAX_LAG_MS;
    if (authenticOrLogged(scope, id, stored) && recent) return viewEntryOf(stored.sealed, "store");
    return viewEntryOf(await source.foldRollup(scope, id), "computed");
  }

  const edge = new EdgeCache<ViewEntry>({
    policy: options.policy ?? VIEW_POLICY,
    maxBytes: options.maxBytes ?? VIEW_CACHE_MAX_BYTES,
    sizeOf: sizeOfEntry,
    now,
    load: (key) => {
      const split = key.indexOf(":");
      const [scope, id] = [key.slice(0, split) as Scope, key.slice(split + 1)];
      return scope === "agent" ? loadAgent(id) : loadRollup(scope, id);
    },
    onLoadError: (key, error) => options.log.warn("edge.load-failed", { key, error: error instanceof Error ? error.name : String(error) }),
  });

  return {
    read: (scope, id, options) => edge.get(keyOf(scope, id), options),
    remember(sealed, origin) {
      const entry = viewEntryOf(sealed, origin);
      edge.set(keyOf(entry.scope, entry.id), entry);
      return entry;
    },
    forget: (scope, id) => edge.delete(keyOf(scope, id)),
    stats: () => edge.stats(),
  };
}
