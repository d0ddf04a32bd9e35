/**
 * @module agent-view-access
 * Which agent views a caller may read, for the single and the batch read alike. Rights are decided
 * before any view is read: from the owner kept beside a view this instance already holds (no read),
 * else from the `agents` documents (`cache/agent-access-cache.ts`: queries that can only match the
 * caller's agents, decisions kept up to 15 s). Only the views of readable agents are then read, so an
 * id the caller may not read never costs its view's read, a recompute, or a revalidation asked for
 * with `Cache-Control: no-cache`. A view that comes back from the store saying its agent has moved
 * away from the caller is refused at once (its owner is checked again after the load). A missing
 * agent is refused like someone else's, so ids cannot be probed.
 */
import { canReadAgent, type Viewer } from "../domain/access-policy";
import type { GetOptions, Served } from "../cache/edge-cache";
import type { ViewEntry } from "../cache/view-entry";
import type { ApiDeps } from "./app-env";

export interface AgentViewsForCaller {
  /** The views the caller may read, by agent id. */
  readable: Map<string, Served<ViewEntry>>;
  /** Ids of agents the caller may not read, or that do not exist, in the order asked. */
  forbidden: string[];
}

/** The ids among `agentIds` that `viewer` may read, decided without reading any view. */
export async function readableIds(deps: Pick<ApiDeps, "directory" | "views">, viewer: Viewer, agentIds: readonly string[]): Promise<Set<string>> {
  const allowed = new Set<string>();
  const unknown: string[] = [];
  for (const id of agentIds) {
    const held = deps.views.heldAccess(id);
    if (held === undefined) unknown.push(id);
    else if (held !== "absent" && canReadAgent(viewer, held)) allowed.add(id);
  }
  if (unknown.length > 0) for (const id of (await deps.directory.readableAgents(viewer, unknown)).keys()) allowed.add(id);
  return allowed;
}

/** Decides which of `agentIds` `uid` may read, then reads those views (and only those) through the edge. */
export async function agentViewsFor(deps: Pick<ApiDeps, "directory" | "views">, uid: string, agentIds: readonly string[], options: GetOptions): Promise<AgentViewsForCaller> {
  const viewer = await deps.directory.viewer(uid);
  const allowed = await readableIds(deps, viewer, agentIds);
  const ids = agentIds.filter((id) => allowed.has(id));
  const served = await Promise.all(ids.map((id) => deps.views.agent(id, options)));
  const readable = new Map<string, Served<ViewEntry>>();
  ids.forEach((id, i) => {
    const view = served[i];
    // null: deleted since; an owner that no longer allows the caller: moved since.
    if (view && (view.value.access === null || canReadAgent(viewer, view.value.access))) readable.set(id, view);
  });
  return { readable, forbidden: agentIds.filter((id) => !readable.has(id)) };
}
