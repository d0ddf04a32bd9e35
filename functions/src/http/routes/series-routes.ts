/**
 * @module series-routes
 * `GET /v1/agents/{agentId}/metrics/series`, `GET /v1/users/{uid}/metrics/series` and
 * `GET /v1/orgs/{orgId}/metrics/series`: hourly or daily points rendered from the stored state
 * (serving/series-cache), with the same authentication, permissions, access rules, ETag and caching as
 * the metrics reads of the same scope. A range the series cannot serve is a 400 naming the parameter.
 * `format=csv` or `Accept: text/csv` answers the same points as CSV (metrics/series-csv), same ETag.
 */
import { Hono, type Context } from "hono";
import { canReadAgent, canReadOrg, canReadUser } from "../../directory/access-policy";
import type { Served } from "../../cache/edge-cache";
import type { ViewEntry } from "../../serving/view-entry";
import { readableIds } from "../agent-view-access";
import type { Scope } from "../../metrics/metrics-view";
import { seriesRange, type SeriesRange } from "../../metrics/series";
import { CSV_MEDIA_TYPE, seriesCsv } from "../../metrics/series-csv";
import type { SeriesData } from "../../contract/schemas/series";
import { seriesFormatOf } from "../series-format";
import { requestHeader } from "../request-headers";
import { agentPath, orgPath, seriesQuery, userPath } from "../../contract/schemas/requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { authenticated } from "../auth/authenticated";
import { ApiError } from "../errors";
import { readOptionsOf, respondWithView, servedView, type ViewRendering } from "../metrics-response";
import { pathParams, queryParams } from "../request-body";

/** What a series read asks for: the range (or a 400) and the form of the answer (JSON unless CSV is asked for). */
function seriesRequestOf(c: Context, deps: ApiDeps): { range: SeriesRange; rendering: ViewRendering | undefined } {
  const query = queryParams(c, seriesQuery);
  const found = seriesRange(query.granularity, query.from ? new Date(query.from) : undefined, query.to ? new Date(query.to) : undefined, deps.now());
  if ("error" in found) throw new ApiError("INVALID_ARGUMENT", `The query is invalid: ${found.error}.`);
  return { range: found.range, rendering: seriesFormatOf(query.format, requestHeader(c, "accept")) === "csv" ? CSV : undefined };
}

/** CSV of each served series entry, made once per entry (entries are immutable, one per signed revision and range). */
const csvOfEntry = new WeakMap<ViewEntry, string>();
const CSV: ViewRendering = {
  contentType: CSV_MEDIA_TYPE,
  render(entry) {
    let text = csvOfEntry.get(entry);
    if (text === undefined) {
      // The entry holds `{"data":…,"signature":…` without its closing brace (view-entry).
      const { data } = JSON.parse(`${entry.payload}}`) as { data: SeriesData };
      text = seriesCsv(data.points);
      csvOfEntry.set(entry, text);
    }
    return text;
  },
};

async function serveSeries(c: Context, deps: ApiDeps, scope: Exclude<Scope, "agent">, id: string) {
  const { range, rendering } = seriesRequestOf(c, deps);
  const served = await deps.series.get(scope, id, range, readOptionsOf(c));
  if (!served) throw new Error(`no ${scope} series of ${id}`);
  return respondWithView(c, servedView(served), rendering);
}

export function agentSeriesRoutes(deps: ApiDeps) {
  const FORBIDDEN = "You may not read this agent's metrics.";
  return new Hono<AppEnv>().get("/:agentId/metrics/series", ...authenticated(deps, "read:agent-metrics", "path-agent"), async (c) => {
    const { agentId } = pathParams(c, agentPath);
    const { range, rendering } = seriesRequestOf(c, deps);
    // Rights first: the series of an agent the caller may not read is never read nor recomputed.
    const viewer = await deps.directory.viewer(c.get("caller").uid);
    const loaded: { series: Served<ViewEntry> | null } = { series: null };
    const readable = await readableIds(deps, viewer, [agentId], async () => {
      loaded.series = await deps.series.loadReadable(viewer, agentId, range);
      return new Set(loaded.series ? [agentId] : []);
    });
    if (!readable.has(agentId)) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
    const served = loaded.series ?? (await deps.series.get("agent", agentId, range, readOptionsOf(c)));
    // Deleted, or moved away from the caller, as the series just read says.
    if (!served || (served.value.access !== null && !canReadAgent(viewer, served.value.access))) throw new ApiError("PERMISSION_DENIED", FORBIDDEN);
    return respondWithView(c, servedView(served), rendering);
  });
}

export function userSeriesRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:uid/metrics/series", ...authenticated(deps, "read:user-metrics", "all-agents"), async (c) => {
    const { uid } = pathParams(c, userPath);
    const { viewer, target } = await deps.directory.viewerAndUser(c.get("caller").uid, uid);
    if (!(uid === viewer.uid || (target !== null && canReadUser(viewer, target)))) throw new ApiError("PERMISSION_DENIED", "You may not read this user's metrics.");
    return serveSeries(c, deps, "user", uid);
  });
}

export function orgSeriesRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/:orgId/metrics/series", ...authenticated(deps, "read:org-metrics", "all-agents"), async (c) => {
    const { orgId } = pathParams(c, orgPath);
    const { viewer, orgExists } = await deps.directory.viewerAndOrg(c.get("caller").uid, orgId);
    if (!canReadOrg(viewer, orgId)) throw new ApiError("PERMISSION_DENIED", "You may not read this organization's metrics.");
    if (!orgExists) throw new ApiError("NOT_FOUND", "No such organization.");
    return serveSeries(c, deps, "org", orgId);
  });
}
