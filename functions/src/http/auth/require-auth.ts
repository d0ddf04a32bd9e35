/**
 * @module require-auth
 * The two halves of the contract's dual authentication as Hono middleware: a verified session, then
 * an API key that belongs to that session's user and holds the route's permission. A missing or bad
 * credential of either kind is 401; a valid key without the permission is 403. Malformed keys are
 * refused on their checksum before any read.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { isWellFormedApiKey } from "../../api-keys/api-key-format";
import { refuseKey, type ApiKeyRecord } from "../../api-keys/api-key-policy";
import { candidateHashes } from "../../signing/keyed-hash";
import type { Permission } from "../../contract/permissions";
import { OPERATOR_PERMISSIONS, permits } from "../../api-keys/permissions";
import { dayOf, outcomeOf } from "../../usage/usage";
import type { ApiDeps, AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { requestCookie, requestHeader } from "../request-headers";
import { clientAddressHash } from "../client-address";
import { countRefusedKey, refuseKeyLookup, settleStoreRequests, takeAccountRequest, takeStoreRequests, USER_STORE_REQUESTS_PER_MINUTE } from "../caller-limits";
import { sessionCredential } from "./credentials";
import { isCrossSite } from "./same-origin";
import * as logs from "../../config/logs";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request from another site's page (`same-origin.ts`). A cookie is sent by
 * the browser on its own, so every write it authenticates must come from this site (SameSite=Strict
 * already stops most cross-site sends; this is the second lock). Bearer tokens are added by scripts
 * and need no such check. `POST /v1/session` calls it too: it sets the cookie.
 */
export function refuseCrossSiteWrite(c: Context, deps: Pick<ApiDeps, "allowedOrigins">): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const headers = { origin: requestHeader(c, "origin"), host: requestHeader(c, "host"), forwardedHost: requestHeader(c, "x-forwarded-host"), fetchSite: requestHeader(c, "sec-fetch-site") };
  if (isCrossSite(headers, deps.allowedOrigins)) throw new ApiError("PERMISSION_DENIED", "Cross-site requests may not use the session cookie.");
}

/**
 * Counts a session-only request (no API key limits it) against the user's account limit; use after
 * `requireSession`.
 */
export function limitAccountRequests(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    takeAccountRequest(deps.rateLimiter, c.get("session").uid, deps.now().getTime());
    await next();
  });
}

/** Requires a verified Firebase session; sets `session`. */
export function requireSession(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = sessionCredential(requestHeader(c, "authorization"), requestCookie(c, "__session"));
    if (!credential) throw new ApiError("UNAUTHENTICATED", "A session is required: send a Firebase ID token as a Bearer token or the __session cookie.");
    if (credential.kind === "sessionCookie") refuseCrossSiteWrite(c, deps);
    const session = await deps.sessions.verify(credential);
    if (!session) throw new ApiError("UNAUTHENTICATED", "The session is invalid, expired or revoked.");
    c.set("session", { uid: session.uid, operator: session.operator });
    await next();
  });
}

/** The client's address as `clientAddressHash` finds it, from the request's forwarding header. */
export const requestAddressHash = (c: Context, deps: Pick<ApiDeps, "peppers" | "trustedHops">): string | null => clientAddressHash(deps.peppers, requestHeader(c, "x-forwarded-for"), deps.trustedHops ?? 0);

/**
 * The stored record of `presented`, looked up under the current pepper, then under each older one
 * still in the ring. `beforeRead` runs before the first lookup that would cost a read (none when
 * this instance holds the answer): forged keys are cheap to make, so past the user's budget of
 * refused keys it refuses the request instead.
 */
async function findKey(deps: ApiDeps, presented: string, beforeRead: () => void): Promise<ApiKeyRecord | null> {
  const candidates = candidateHashes(deps.peppers, "api-key", presented);
  const held = candidates.map(({ hash }) => deps.apiKeys.held(hash));
  if (!held.some(Boolean) && held.some((record) => record === undefined)) beforeRead();
  // Through the key cache, hit or miss, so a held key is revalidated as any other (revocation within 5 s).
  for (const { version, hash } of candidates) {
    const record = await deps.apiKeys.findByHash(hash);
    if (!record) continue;
    if (version !== deps.peppers.current) logs.apiKeyOlderPepper(deps.log, { keyId: record.id, pepperVersion: version });
    return record;
  }
  return null;
}

const storeBudgetOf = (deps: Pick<ApiDeps, "keyLimits">) => deps.keyLimits?.userStoreRequestsPerMinute ?? USER_STORE_REQUESTS_PER_MINUTE;

/** Takes `units` more of the caller's store budget for work about to start (after `requireApiKey`); throws 429 when they do not fit. */
export function takeMoreStoreRequests(c: Context<AppEnv>, deps: Pick<ApiDeps, "rateLimiter" | "keyLimits" | "now">, units: number): void {
  if (units <= 0) return;
  takeStoreRequests(deps.rateLimiter, c.get("session").uid, storeBudgetOf(deps), deps.now().getTime(), units);
  c.set("storeTaken", c.get("storeTaken") + units);
}

/**
 * Requires an API key of the session's user holding `permission`; sets `apiKey`. Use after
 * `requireSession`. Once the key is known, the request counts against its rate limit (refused ones
 * too, so probing without the permission is limited as well), carries the RateLimit headers, and is
 * recorded in the key's usage whatever its outcome. A permitted request then passes the user's store
 * budget (across all their keys), and what it cost the store is counted against it once answered.
 */
export function requireApiKey(deps: ApiDeps, permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const startedAt = performance.now();
    const presented = requestHeader(c, "x-api-key");
    if (!presented) throw new ApiError("UNAUTHENTICATED", "An API key is required in the X-API-Key header.");
    if (!isWellFormedApiKey(presented)) throw new ApiError("UNAUTHENTICATED", "The API key is malformed.");
    const uid = c.get("session").uid;
    const now = deps.now();
    const record = await findKey(deps, presented, () => refuseKeyLookup(deps.rateLimiter, uid, now.getTime()));
    const refusal = refuseKey(record, uid, now);
    if (refusal || !record) {
      countRefusedKey(deps.rateLimiter, uid, now.getTime());
      logs.apiKeyRefused(deps.log, { reason: refusal, keyId: record?.id ?? null });
      throw new ApiError("UNAUTHENTICATED", "The API key is invalid, revoked or expired, or belongs to another user.");
    }

    const decision = deps.rateLimiter.take(record.id, record.rateLimitPerMinute, now.getTime());
    c.header("RateLimit-Limit", String(decision.limit));
    c.header("RateLimit-Remaining", String(decision.remaining));
    c.header("RateLimit-Reset", String(decision.resetSeconds));
    c.set("apiKey", record);
    let status = 500;
    try {
      if (!decision.allowed) {
        throw new ApiError("RESOURCE_EXHAUSTED", `Rate limit of ${decision.limit} requests a minute exceeded.`, undefined, decision.retryAfterSeconds);
      }
      if (!permits(record.permissions, permission, c.get("session").operator)) {
        throw new ApiError("PERMISSION_DENIED", OPERATOR_PERMISSIONS.includes(permission) && !c.get("session").operator ? `"${permission}" is for operators of this deployment.` : `The API key lacks the "${permission}" permission.`);
      }
      takeStoreRequests(deps.rateLimiter, uid, storeBudgetOf(deps), now.getTime());
      c.set("storeRequests", 1);
      c.set("storeTaken", 1);
      try {
        await next();
      } finally {
        settleStoreRequests(deps.rateLimiter, uid, c.get("storeRequests") - c.get("storeTaken"), now.getTime());
      }
      status = c.res.status;
    } catch (error) {
      status = error instanceof ApiError ? error.status : 500;
      throw error;
    } finally {
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
  });
}
