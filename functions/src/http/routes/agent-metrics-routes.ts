/**
 * @module agent-metrics-routes
 * `GET /v1/agents/{agentId}/metrics`. The stored view is served when its signature verifies; a view
 * that is missing or fails verification is recomputed from source (and the failure logged), so a
 * tampered document is never served as is.
 */
import { Hono } from "hono";
import { canReadAgent } from "../../domain/access-policy";
import { isAuthentic } from "../../domain/metrics-view";
import { agentPath } from "../../schemas/api-requests";
import { viewContext, type ApiDeps, type AppEnv } from "../app-env";
import { requireApiKey, requireSession } from "../auth/require-auth";
import { ApiError } from "../errors";
import { respondWithView } from "../metrics-response";
import { pathParams } from "../request-body";

const FORBIDDEN = "You may not read this agent's metrics.";

export function agentMetricsRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:agentId/metrics", requireSession(deps), requireApiKey(deps, "read:agent-metrics"), async (c) => {
    const { agentId } = pathParams(c, agentPath);
    const { viewer, agent } = await deps.directory.viewerAndAgent(c.get("session").uid, agentId);
    // A missing agent cannot be shown to belong to the caller: 403, like an agent of someone else.
    if (!agent || !canReadAgent(viewer, agent)) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);

    const stored = await deps.agentViews.read(agentId);
    if (stored && isAuthentic(stored.sealed, deps.keyring)) return respondWithView(c, stored.sealed, "store", deps.now());
    if (stored) deps.log.warn("view.signature-invalid", { scope: "agent", id: agentId, keyId: stored.sealed.signature?.keyId ?? null });
    const sealed = await deps.agentViews.recompute(agentId, await viewContext(deps));
    return respondWithView(c, sealed, "computed", deps.now());
  });
}
