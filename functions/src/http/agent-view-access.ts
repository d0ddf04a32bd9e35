/**
 * @module agent-view-access
 * Which agent views a caller may read, for the single and the batch read alike. Rights are decided
 * before any view the caller may not read is read, from the cheapest place that knows:
 *  1. the owner kept beside a view this instance holds, or a decision it holds (no read);
 *  2. a query of the stored views that can only match the caller's (`directory/readable-agents-query`):
 *     it decides and reads at once, so a store hit costs one read, and it reads no view of anyone else;
 *  3. for what is left (no stored view yet, or none the caller may read), the `agents` documents
 *     (`directory/agent-access-cache.ts`: queries that can only match the caller's agents, decisions kept
 *     up to 15 s, refusals included).
 * Only then are the views of readable agents not loaded yet read (or recomputed), so an id the caller
 * may not read never costs its view's read, a recompute, or a revalidation asked for with
 * `Cache-Control: no-cache`. A view that comes back saying its agent has moved away from the caller
 * is refused at once. A missing agent is refused like someone else's, so ids cannot be probed.
 */
import { canReadAgent, type Viewer } from "../directory/access-policy";
import type { GetOptions, Served } from "../cache/edge-cache";
import type { ViewEntry } from "../serving/view-entry";
import type { ApiDeps } from "./app-env";

export interface AgentViewsForCaller {
  /** The views the caller may read, by agent id. */
  readable: Map<string, Served<ViewEntry>>;
  /** Ids of agents the caller may not read, or that do not exist, in the order asked. */
  forbidden: string[];
}

/** The ids among `agentIds` that `viewer` may read; `load` reads, as step 2, those whose stored copy says so (and keeps them). */
export async function readableIds(deps: Pick<ApiDeps, "directory" | "views">, viewer: Viewer, agentIds: readonly string[], load: (ids: string[]) => Promise<Set<string>> = async () => new Set()): Promise<Set<string>> {
  const allowed = new Set<string>();
  let unknown: string[] = [];
  for (const id of agentIds) {
    const held = deps.views.heldAccess(id) ?? deps.directory.heldDecision(viewer, id);
    if (held === undefined) unknown.push(id);
    else if (held !== "absent" && held !== null && canReadAgent(viewer, held)) allowed.add(id);
  }
  if (unknown.length > 0) {
    const loaded = await load(unknown);
    for (const id of loaded) allowed.add(id);
    unknown = unknown.filter((id) => !loaded.has(id));
  }
  if (unknown.length > 0) for (const id of (await deps.directory.readableAgents(viewer, unknown)).keys()) allowed.add(id);
  return allowed;
}

/** Decides which of `agentIds` `uid` may read, then reads those views (and only those) through the edge. */
export async function agentViewsFor(deps: Pick<ApiDeps, "directory" | "views">, uid: string, agentIds: readonly string[], options: GetOptions): Promise<AgentViewsForCaller> {
  const viewer = await deps.directory.viewer(uid);
  const loaded = new Map<string, Served<ViewEntry>>();
  const allowed = await readableIds(deps, viewer, agentIds, async (ids) => {
    for (const [id, view] of await deps.views.loadReadable(viewer, ids)) loaded.set(id, view);
    return new Set(loaded.keys());
  });
  const ids = agentIds.filter((id) => allowed.has(id));
  // A view loaded by the query above is as fresh as a revalidation would make it.
  const served = await Promise.all(ids.map((id) => loaded.get(id) ?? deps.views.agent(id, options)));
  const readable = new Map<string, Served<ViewEntry>>();
  ids.forEach((id, i) => {
    const view = served[i];
    // null: deleted since; an owner that no longer allows the caller: moved since.
    if (view && (view.value.access === null || canReadAgent(viewer, view.value.access))) readable.set(id, view);
  });
  return { readable, forbidden: agentIds.filter((id) => !readable.has(id)) };
}
