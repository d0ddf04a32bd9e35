/**
 * @module agent-write-routes
 * `POST /v1/agents/{agentId}/interactions` and `POST /v1/agents/{agentId}/metrics:refresh`.
 *
 * Ingestion validates every item on its own, then stores the new interactions and counts them in
 * the agent's view in one transaction: a batch of 1000 for one busy agent is one contended write,
 * not 1000, and it is all or nothing (the triggers skip documents the route already counted).
 * Both routes change the agent's view, so this instance's edge copy is replaced (refresh) or dropped
 * (ingest: the next read loads the new revision) at once.
 */
import { Hono } from "hono";
import { canWriteAgent } from "../../domain/access-policy";
import { sortBatch } from "../../domain/interaction-batch";
import { agentPath } from "../../schemas/api-requests";
import { ingestBody } from "../../schemas/interaction-documents";
import { viewContext, type ApiDeps, type AppEnv } from "../app-env";
import { requireApiKey, requireSession } from "../auth/require-auth";
import { ApiError } from "../errors";
import { computedView, respondWithView } from "../metrics-response";
import { jsonBody, pathParams } from "../request-body";

const FORBIDDEN = "You may not write to this agent.";

export function agentWriteRoutes(deps: ApiDeps) {
  const requireWriter = async (uid: string, agentId: string) => {
    const { viewer, agent } = await deps.directory.viewerAndAgent(uid, agentId);
    if (!agent || !canWriteAgent(viewer, agent)) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
  };

  return new Hono<AppEnv>()
    .post("/:agentId/interactions", requireSession(deps), requireApiKey(deps, "write:interactions"), async (c) => {
      const { agentId } = pathParams(c, agentPath);
      const body = await jsonBody(c, ingestBody);
      const uid = c.get("session").uid;
      await requireWriter(uid, agentId);
      const batch = sortBatch(agentId, body.interactions, uid, deps.now());
      const { duplicates } = batch.accepted.length > 0 ? await deps.agentViews.ingest(agentId, batch.accepted, await viewContext(deps), { abandoned: c.get("abandoned") }) : { duplicates: new Set<string>() };
      const accepted = batch.accepted.length - duplicates.size;
      if (accepted > 0) deps.views.forget("agent", agentId);
      deps.log.info("interactions.ingested", { agentId, accepted, duplicates: duplicates.size + batch.repeated, rejected: batch.rejected.length });
      return c.json({ accepted, duplicates: duplicates.size + batch.repeated, rejected: batch.rejected }, 202);
    })
    .post("/:agentId/:action{metrics:refresh}", requireSession(deps), requireApiKey(deps, "write:agent-metrics"), async (c) => {
      const { agentId } = pathParams(c, agentPath);
      await requireWriter(c.get("session").uid, agentId);
      const computed = await deps.agentViews.recompute(agentId, await viewContext(deps), { abandoned: c.get("abandoned") });
      // Deleted since the access check read it.
      if (!computed) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
      deps.log.info("view.refreshed", { scope: "agent", id: agentId, version: computed.sealed.data.version });
      return respondWithView(c, computedView(deps.views.remember(computed.sealed, "computed", computed.access)));
    });
}
