/**
 * @module agent-batch-routes
 * `POST /v1/agents/metrics:batchGet`: up to 100 agents' metrics in one request. Access is checked per
 * id exactly as a single read checks it (`agent-view-access.ts`); the views that are not in memory are
 * read in one batched round trip, one document each (edge hits cost nothing). Each readable id maps to
 * exactly what a single read returns; an id the caller cannot be shown to be entitled to (someone
 * else's agent, or a missing one, as the single read's 403) is listed in `forbidden`, and so is one a
 * key restricted to other agents may not touch, without a look at its rights. A repeated id is
 * answered once. The body is assembled from each view's pre-serialized JSON.
 */
import { Hono } from "hono";
import { batchGetBody } from "../../contract/schemas/requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { keyMayTouch } from "../auth/agent-restriction";
import { authenticated } from "../auth/authenticated";
import { takeMoreStoreRequests } from "../auth/store-budget";
import { agentViewsFor } from "../agent-view-access";
import { readOptionsOf, servedView, viewBody } from "../metrics-response";
import { jsonBody } from "../request-body";

export function agentBatchRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().post("/:action{metrics:batchGet}", ...authenticated(deps, "read:agent-metrics", "listed-agents"), async (c) => {
    const agentIds = [...new Set((await jsonBody(c, batchGetBody)).agentIds)];
    // Up to one store read per id: taken from the user's budget before any is read, settled once answered.
    takeMoreStoreRequests(c, deps, agentIds.length - 1);
    const touchable = agentIds.filter((id) => keyMayTouch(c, id));
    const { readable, forbidden: refused } = await agentViewsFor(deps, c.get("caller").uid, touchable, readOptionsOf(c));
    const forbidden = agentIds.filter((id) => !readable.has(id));
    // What it cost: every view not answered from memory, and one for the refusals' decisions (held for 15 s).
    c.set("storeRequests", [...readable.values()].filter((served) => !served.fromMemory).length + (refused.length > 0 ? 1 : 0));
    const data = [...readable].map(([id, served]) => `${JSON.stringify(id)}:${viewBody(servedView(served))}`).join(",");
    c.header("Content-Type", "application/json; charset=UTF-8");
    c.header("Cache-Control", "no-store");
    return c.body(`{"data":{${data}},"notFound":[],"forbidden":${JSON.stringify(forbidden)}}`, 200);
  });
}
