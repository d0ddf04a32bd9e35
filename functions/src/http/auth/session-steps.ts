/**
 * @module session-steps
 * The session half of authentication as middleware steps: who the caller is (a verified Firebase
 * session: an ID token as a Bearer token, or the `__session` cookie), the cookie's cross-site lock,
 * and the account limit of session-only routes.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiDeps, AppEnv } from "../app-env";
import { takeAccountRequest } from "../caller-limits";
import { ApiError } from "../errors";
import { requestCookie, requestHeader } from "../request-headers";
import { sessionCredential, type SessionCredential } from "./credentials";
import { isCrossSite } from "./same-origin";

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

/** The session credential the request carries (valid or not), or null. */
export const presentedSession = (c: Context): SessionCredential | null => sessionCredential(requestHeader(c, "authorization"), requestCookie(c, "__session"));

/** The 401 of a request without a session. */
export const sessionRequired = (why = "") => new ApiError("UNAUTHENTICATED", `A session is required${why}: send a Firebase ID token as a Bearer token or the __session cookie.`);

/** Verifies `credential` and sets `caller` to its user; 401 when it is invalid, expired or revoked. */
export async function acceptSession(c: Context<AppEnv>, deps: ApiDeps, credential: SessionCredential): Promise<void> {
  if (credential.kind === "sessionCookie") refuseCrossSiteWrite(c, deps);
  const session = await deps.sessions.verify(credential);
  if (!session) throw new ApiError("UNAUTHENTICATED", "The session is invalid, expired or revoked.");
  c.set("caller", { uid: session.uid, operator: session.operator });
}

/** Step: requires a verified Firebase session; sets `caller` to its user. */
export function requireSession(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedSession(c);
    if (!credential) throw sessionRequired();
    await acceptSession(c, deps, credential);
    await next();
  });
}

/** Step: counts a session-only request (no API key limits it) against the user's account limit; use after `requireSession`. */
export function limitAccountRequests(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    takeAccountRequest(deps.rateLimiter, c.get("caller").uid, deps.now().getTime());
    await next();
  });
}
