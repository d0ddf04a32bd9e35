/**
 * @module agent-write-routes
 * `POST /v1/agents/{agentId}/interactions` and `POST /v1/agents/{agentId}/metrics:refresh`.
 *
 * Ingestion validates every item on its own, then stores the new interactions, each chunk of up to 499
 * with one delta of the agent's totals in one atomic batch of at most 500 writes (idempotent per item:
 * an id already stored for this agent is a duplicate, one held by another agent's interaction is
 * refused), and asks for a fold. It reads nothing of the agent's view but its token totals (from this
 * instance's edge copy when it has one), so any number of concurrent ingests into one agent write
 * without contending. The view shows them after the next fold (at most about a second later).
 * Refresh recomputes the view from source in the request and keeps the result in this instance's edge
 * (a refresh that finds what the view already says writes no new revision); refreshes of one agent
 * coalesce (`agent-views/refresh-coalescer`): within 60 s of this instance's last refresh of it, a
 * refresh answers with the stored view as it stands (`meta.cache` "store") instead of scanning again.
 * Both check the caller's right to write the agent before reading any body. Ingestion also accepts an
 * ingest key alone (`auth/ingest-key.ts`): it writes as the key's owner, who must be allowed to write now.
 */
import { Hono } from "hono";
import { canWriteAgent } from "../../directory/access-policy";
import { sortBatch, type AcceptedItem } from "../../metrics/interaction-batch";
import { PartialIngestError } from "../../agent-views/agent-views";
import { isTransientStoreError } from "../transient-errors";
import { agentPath } from "../../contract/schemas/requests";
import { ingestBody } from "../../contract/schemas/interactions";
import type { ApiDeps, AppEnv } from "../app-env";
import { viewContext } from "../../agent-views/agent-fold";
import { refreshCoalescer } from "../../agent-views/refresh-coalescer";
import { authenticated, authenticatedIngest } from "../auth/authenticated";
import { ApiError } from "../errors";
import { computedView, respondWithView, servedView } from "../metrics-response";
import { jsonBody, MAX_INGEST_BODY_BYTES, pathParams } from "../request-body";
import * as logs from "../../config/logs";

const FORBIDDEN = "You may not write to this agent.";
const FOREIGN_ID = "id: already names an interaction of another agent";
const PARTLY_STORED = "Only some items were stored (their indexes are in details.stored). Send the request again: items already stored count as duplicates.";

export function agentWriteRoutes(deps: ApiDeps) {
  const requireWriter = async (uid: string, agentId: string) => {
    const { viewer, agent } = await deps.directory.viewerAndAgent(uid, agentId);
    if (!agent || !canWriteAgent(viewer, agent)) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
  };
  const refreshes = refreshCoalescer({ now: () => deps.now().getTime() });

  /** The ingest, or, when only some chunks were stored, an error that lists the items they hold (the fold still runs for those). */
  const ingestOrExplain = async (agentId: string, items: AcceptedItem[], abandoned: () => boolean) => {
    try {
      return await deps.agentViews.ingest(agentId, items, { abandoned });
    } catch (error) {
      if (!(error instanceof PartialIngestError)) throw error;
      const stored = new Set(error.stored);
      if (stored.size > 0) await deps.folds.request(agentId);
      const details = { stored: items.filter((item) => stored.has(item.docId)).map((item) => item.index) };
      const retryable = isTransientStoreError(error.cause);
      logs.interactionsPartlyStored(deps.log, { agentId, stored: stored.size, of: items.length, error: error.cause });
      throw new ApiError(retryable ? "UNAVAILABLE" : "INTERNAL", PARTLY_STORED, details, retryable ? 1 : undefined);
    }
  };

  return new Hono<AppEnv>()
    .post("/:agentId/interactions", ...authenticatedIngest(deps), async (c) => {
      const { agentId } = pathParams(c, agentPath);
      const uid = c.get("caller").uid;
      await requireWriter(uid, agentId);
      const body = await jsonBody(c, ingestBody, MAX_INGEST_BODY_BYTES);
      const batch = sortBatch(agentId, body.interactions, uid, deps.now(), await deps.views.tokens(agentId));
      const taken = batch.accepted.length > 0 ? await ingestOrExplain(agentId, batch.accepted, c.get("abandoned")) : new Map();
      const rejected = [...batch.rejected];
      let duplicates = batch.repeated;
      for (const item of batch.accepted) {
        const owner = taken.get(item.docId);
        if (owner === "this-agent") duplicates += 1;
        else if (owner === "another-agent") rejected.push({ index: item.index, reason: FOREIGN_ID });
      }
      rejected.sort((a, b) => a.index - b.index);
      const accepted = batch.accepted.length - taken.size;
      // The view changes with the fold, not now: this instance's copy is replaced as any other (policy.ts).
      if (accepted > 0) await deps.folds.request(agentId);
      logs.interactionsIngested(deps.log, { agentId, accepted, duplicates, rejected: rejected.length });
      return c.json({ accepted, duplicates, rejected }, 202);
    })
    .post("/:agentId/:action{metrics:refresh}", ...authenticated(deps, "write:agent-metrics", "path-agent"), async (c) => {
      const { agentId } = pathParams(c, agentPath);
      await requireWriter(c.get("caller").uid, agentId);
      const refreshed = await refreshes.refresh(agentId, () => deps.agentViews.recompute(agentId, viewContext(deps), { abandoned: c.get("abandoned") }));
      if (refreshed?.kind === "recent") {
        logs.viewRefreshRecent(deps.log, { id: agentId, recomputedAt: refreshed.recomputedAt.toISOString() });
        // The stored view, not a held copy: a refresh asks for now, and one read is what the scan would have started with.
        const served = await deps.views.agent(agentId, { revalidate: true });
        if (served) return respondWithView(c, servedView(served));
      }
      // Deleted since the access check read it.
      if (refreshed?.kind !== "recomputed") throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
      const computed = refreshed.view;
      logs.viewRefreshed(deps.log, { scope: "agent", id: agentId, version: computed.sealed.data.version });
      return respondWithView(c, computedView(deps.views.remember(computed.sealed, "computed", computed.access)));
    });
}
