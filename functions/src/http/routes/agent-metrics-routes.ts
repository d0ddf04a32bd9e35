/**
 * @module agent-metrics-routes
 * `GET /v1/agents/{agentId}/metrics`, served through the edge cache (`serving/view-cache.ts`): a hit
 * answers from memory with no network call; a miss loads the stored view (one document, which also
 * says who owns the agent) and checks its signature once, and a view that is missing or fails
 * verification is recomputed from source (and the failure logged), so a tampered document is never
 * served.
 */
import { Hono } from "hono";
import { agentPath } from "../../contract/schemas/requests";
import { agentViewsFor } from "../agent-view-access";
import type { ApiDeps, AppEnv } from "../app-env";
import { authenticated } from "../auth/authenticated";
import { ApiError } from "../errors";
import { readOptionsOf, respondWithView, servedView } from "../metrics-response";
import { pathParams } from "../request-body";

const FORBIDDEN = "You may not read this agent's metrics.";

export function agentMetricsRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:agentId/metrics", ...authenticated(deps, "read:agent-metrics", "path-agent"), async (c) => {
    const { agentId } = pathParams(c, agentPath);
    const { readable } = await agentViewsFor(deps, c.get("caller").uid, [agentId], readOptionsOf(c));
    const served = readable.get(agentId);
    // A missing agent cannot be shown to belong to the caller: 403, like an agent of someone else.
    if (!served) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
    return respondWithView(c, servedView(served));
  });
}
