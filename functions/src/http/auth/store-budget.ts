/**
 * @module store-budget
 * The user's budget of requests answered by the store, across all their keys (`caller-limits.ts`), as
 * a middleware step: a permitted keyed request takes one unit before it runs and, once answered,
 * settles what it cost (`storeRequests`, which an edge hit sets to 0) against what it took.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiDeps, AppEnv } from "../app-env";
import { settleStoreRequests, takeStoreRequests, USER_STORE_REQUESTS_PER_MINUTE } from "../caller-limits";

const storeBudgetOf = (deps: Pick<ApiDeps, "keyLimits">) => deps.keyLimits?.userStoreRequestsPerMinute ?? USER_STORE_REQUESTS_PER_MINUTE;

/** Step: takes one unit of the caller's store budget (429 when it does not fit) and settles it once answered. */
export function takeStoreBudget(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const uid = c.get("caller").uid;
    const now = deps.now().getTime();
    takeStoreRequests(deps.rateLimiter, uid, storeBudgetOf(deps), now);
    c.set("storeRequests", 1);
    c.set("storeTaken", 1);
    try {
      await next();
    } finally {
      settleStoreRequests(deps.rateLimiter, uid, c.get("storeRequests") - c.get("storeTaken"), now);
    }
  });
}

/** Takes `units` more of the caller's store budget for work about to start (after `takeStoreBudget`); throws 429 when they do not fit. */
export function takeMoreStoreRequests(c: Context<AppEnv>, deps: Pick<ApiDeps, "rateLimiter" | "keyLimits" | "now">, units: number): void {
  if (units <= 0) return;
  takeStoreRequests(deps.rateLimiter, c.get("caller").uid, storeBudgetOf(deps), deps.now().getTime(), units);
  c.set("storeTaken", c.get("storeTaken") + units);
}
