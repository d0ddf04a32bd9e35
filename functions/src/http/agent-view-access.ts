/**
 * @module agent-view-access
 * Which agent views a caller may read, for the single and the batch read alike. The owner and
 * organization an access check needs come with the view (stored beside it, `StoredView.access`), so a
 * view read from the store costs that one document and an edge hit costs nothing. Only a view stored
 * before owners were kept beside it sends the check to the agent document (read once per batch, and
 * healed by the next view write, agent trigger or hourly reconcile). A missing agent is refused like
 * someone else's, so ids cannot be probed.
 */
import { canReadAgent } from "../domain/access-policy";
import type { GetOptions, Served } from "../cache/edge-cache";
import type { ViewEntry } from "../cache/view-entry";
import type { ApiDeps } from "./app-env";

export interface AgentViewsForCaller {
  /** The views the caller may read, by agent id. */
  readable: Map<string, Served<ViewEntry>>;
  /** Ids of agents the caller may not read, or that do not exist, in the order asked. */
  forbidden: string[];
}

/** Reads the views of `agentIds` through the edge and sorts them by what `uid` may read. */
export async function agentViewsFor(deps: Pick<ApiDeps, "directory" | "views">, uid: string, agentIds: readonly string[], options: GetOptions): Promise<AgentViewsForCaller> {
  const [viewer, served] = await Promise.all([deps.directory.viewer(uid), Promise.all(agentIds.map((id) => deps.views.agent(id, options)))]);
  // Views stored before their owner was kept beside them.
  const unknown = agentIds.filter((_, i) => served[i]?.value.access === null);
  const agents = unknown.length > 0 ? await deps.directory.agents(unknown) : new Map();
  const readable = new Map<string, Served<ViewEntry>>();
  const forbidden: string[] = [];
  agentIds.forEach((id, i) => {
    const view = served[i];
    const owner = view?.value.access ?? agents.get(id) ?? null;
    if (view && owner && canReadAgent(viewer, owner)) readable.set(id, view);
    else forbidden.push(id);
  });
  return { readable, forbidden };
}
