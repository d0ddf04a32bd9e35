/**
 * @module agent-batch-routes
 * `POST /v1/agents/metrics:batchGet`: up to 100 agents' metrics in one request. Access is checked per
 * id with the same rule as a single read; the directory documents and the views that are not in
 * memory are each read in one batched round trip (edge hits cost nothing). Each readable id maps to
 * exactly what a single read returns; an id the caller cannot be shown to be entitled to (someone
 * else's agent, or a missing one, as the single read's 403) is listed in `forbidden`. A repeated id is
 * answered once. The body is assembled from each view's pre-serialized JSON.
 */
import { Hono } from "hono";
import { canReadAgent } from "../../domain/access-policy";
import { batchGetBody } from "../../schemas/api-requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { requireApiKey, requireSession } from "../auth/require-auth";
import { readOptionsOf, servedView, viewBody } from "../metrics-response";
import { jsonBody } from "../request-body";

export function agentBatchRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().post("/:action{metrics:batchGet}", requireSession(deps), requireApiKey(deps, "read:agent-metrics"), async (c) => {
    const agentIds = [...new Set((await jsonBody(c, batchGetBody)).agentIds)];
    const { viewer, agents } = await deps.directory.viewerAndAgents(c.get("session").uid, agentIds);
    const readable = agentIds.filter((id) => {
      const agent = agents.get(id);
      return agent != null && canReadAgent(viewer, agent);
    });
    const allowed = new Set(readable);
    const forbidden = agentIds.filter((id) => !allowed.has(id));
    const options = readOptionsOf(c);
    const views = await Promise.all(readable.map(async (id) => servedView(await deps.views.read("agent", id, options))));
    const data = readable.map((id, i) => `${JSON.stringify(id)}:${viewBody(views[i])}`).join(",");
    c.header("Content-Type", "application/json; charset=UTF-8");
    c.header("Cache-Control", "no-store");
    return c.body(`{"data":{${data}},"notFound":[],"forbidden":${JSON.stringify(forbidden)}}`, 200);
  });
}
