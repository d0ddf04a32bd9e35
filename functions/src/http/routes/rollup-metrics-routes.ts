/**
 * @module rollup-metrics-routes
 * `GET /v1/users/{uid}/metrics` and `GET /v1/orgs/{orgId}/metrics`, through the edge cache: on a miss
 * a rollup is served from its cache document when it verifies and was folded within
 * `ROLLUP_MAX_LAG_MS`; otherwise the agents are folded again first (`serving/view-cache.ts`). 404 goes
 * only to a caller who could have read the target (the user themself, a member of the organization);
 * everyone else gets 403, so ids cannot be probed.
 */
import { Hono } from "hono";
import { canReadOrg, canReadUser } from "../../directory/access-policy";
import { orgPath, userPath } from "../../contract/schemas/requests";
import type { RollupScope } from "../../rollups/rollup-store";
import type { ApiDeps, AppEnv } from "../app-env";
import { authenticated } from "../auth/authenticated";
import { ApiError } from "../errors";
import { readOptionsOf, respondWithView, servedView } from "../metrics-response";
import { pathParams } from "../request-body";
import type { Context } from "hono";

const serveRollup = async (c: Context, deps: ApiDeps, scope: RollupScope, id: string) => respondWithView(c, servedView(await deps.views.rollup(scope, id, readOptionsOf(c))));

export function userMetricsRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:uid/metrics", ...authenticated(deps, "read:user-metrics", "all-agents"), async (c) => {
    const { uid } = pathParams(c, userPath);
    const { viewer, target } = await deps.directory.viewerAndUser(c.get("caller").uid, uid);
    // The caller may always read their own metrics, profile or not.
    const allowed = uid === viewer.uid || (target !== null && canReadUser(viewer, target));
    if (!allowed) throw new ApiError("PERMISSION_DENIED", "You may not read this user's metrics.");
    return serveRollup(c, deps, "user", uid);
  });
}

export function orgMetricsRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:orgId/metrics", ...authenticated(deps, "read:org-metrics", "all-agents"), async (c) => {
    const { orgId } = pathParams(c, orgPath);
    const { viewer, orgExists } = await deps.directory.viewerAndOrg(c.get("caller").uid, orgId);
    if (!canReadOrg(viewer, orgId)) throw new ApiError("PERMISSION_DENIED", "You may not read this organization's metrics.");
    if (!orgExists) throw new ApiError("NOT_FOUND", "No such organization.");
    return serveRollup(c, deps, "org", orgId);
  });
}
