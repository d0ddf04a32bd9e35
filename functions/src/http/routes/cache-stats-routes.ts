/**
 * @module cache-stats-routes
 * `GET /v1/cache/stats`: what each cache layer of the instance that answers has done since it started
 * (hits, misses, stale serves, evictions, entries, bytes, hit rate). Instances share nothing, so each
 * answer names its instance; the same figures reach the logs once a minute (`cache.stats`).
 */
import { Hono } from "hono";
import type { ApiDeps, AppEnv } from "../app-env";
import { authenticated } from "../auth/authenticated";

export function cacheStatsRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().get("/stats", ...authenticated(deps, "read:cache-stats", "no-agent"), (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(deps.cacheStats.snapshot());
  });
}
