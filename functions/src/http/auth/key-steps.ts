/**
 * @module key-steps
 * The API key half of authentication as middleware steps, each doing one job on the request context
 * (`app-env.ts`): accept the key, hold it to its rate limit, check the route's permission, and
 * record the request in the key's usage. `authenticated.ts` puts them in order.
 */
import { createMiddleware } from "hono/factory";
import type { ApiKeyRecord } from "../../api-keys/api-key-policy";
import { OPERATOR_PERMISSIONS, permits } from "../../api-keys/permissions";
import type { Permission } from "../../contract/permissions";
import { dayOf, outcomeOf } from "../../usage/usage";
import type { ApiDeps, AppEnv } from "../app-env";
import { requestAddressHash } from "../client-address";
import { ApiError } from "../errors";
import { usableKey } from "./key-lookup";

/** Step: requires an API key that the caller may use (`key-lookup.ts`); sets `apiKey` and `keyAgents`. */
export function acceptApiKey(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const record = await usableKey(c, deps, { uid: c.get("caller").uid });
    c.set("apiKey", record);
    c.set("keyAgents", record.agentIds ? new Set(record.agentIds) : null);
    await next();
  });
}

/**
 * Step: counts the request against its key's rate limit and answers the RateLimit headers; 429 with
 * `Retry-After` past the limit. Refused requests count too, so probing without a permission is limited.
 */
export function limitKeyRate(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const record = c.get("apiKey");
    const decision = deps.rateLimiter.take(record.id, record.rateLimitPerMinute, deps.now().getTime());
    c.header("RateLimit-Limit", String(decision.limit));
    c.header("RateLimit-Remaining", String(decision.remaining));
    c.header("RateLimit-Reset", String(decision.resetSeconds));
    if (!decision.allowed) throw new ApiError("RESOURCE_EXHAUSTED", `Rate limit of ${decision.limit} requests a minute exceeded.`, undefined, decision.retryAfterSeconds);
    await next();
  });
}

/** Step: 403 unless the key holds `permission` (an operator permission also needs an operator caller). */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { operator } = c.get("caller");
    if (!permits(c.get("apiKey").permissions, permission, operator)) {
      throw new ApiError("PERMISSION_DENIED", OPERATOR_PERMISSIONS.includes(permission) && !operator ? `"${permission}" is for operators of this deployment.` : `The API key lacks the "${permission}" permission.`);
    }
    await next();
  });
}

/**
 * Step: records the request in its key's usage once it is answered, whatever the outcome, timed from
 * before the key was looked up. A request whose key was refused has no key to record it under.
 */
export function recordKeyUsage(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const startedAt = performance.now();
    const now = deps.now();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const record = c.get("apiKey") as ApiKeyRecord | undefined;
      if (record) {
        deps.usage.record({
          keyId: record.id,
          ownerId: record.ownerId,
          route: `${c.req.method} ${c.req.routePath}`,
          status,
          latencyMs: Math.round(performance.now() - startedAt),
          outcome: outcomeOf(status),
          day: dayOf(now),
          ipHash: requestAddressHash(c, deps),
          at: now,
        });
      }
    }
  });
}
