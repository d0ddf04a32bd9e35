/**
 * @module session-routes
 * `POST /v1/session` trades a fresh Firebase ID token for an HttpOnly, Secure, SameSite=Strict
 * `__session` cookie (the only cookie Hosting forwards); `DELETE /v1/session` clears it and revokes
 * every session of the user, effective at once on this instance and within the session cache's
 * recheck bound elsewhere.
 */
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { ApiDeps, AppEnv } from "../app-env";
import { limitAccountRequests, refuseCrossSiteWrite, requireSession } from "../auth/session-steps";
import { requestAddressHash } from "../client-address";
import { takeSessionMint } from "../caller-limits";
import { RECENT_SIGN_IN_MS, SESSION_COOKIE_TTL_MS } from "../auth/session-issuer";
import { ApiError } from "../errors";
import { jsonBody } from "../request-body";
import { createSessionBody } from "../../contract/schemas/requests";
import * as logs from "../../config/logs";

const COOKIE = { path: "/", httpOnly: true, secure: true, sameSite: "Strict" } as const;

export function sessionRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>()
    .post("/", async (c) => {
      // A page of another site must not sign the browser in (login CSRF) any more than use the cookie.
      refuseCrossSiteWrite(c, deps);
      // Each attempt costs Auth a token check before there is a user to limit: limited per client address.
      takeSessionMint(deps.rateLimiter, requestAddressHash(c, deps), deps.now().getTime());
      const { idToken } = await jsonBody(c, createSessionBody);
      const token = await deps.sessionIssuer.inspectIdToken(idToken);
      if (!token) throw new ApiError("UNAUTHENTICATED", "The ID token is invalid, expired or revoked.");
      if (deps.now().getTime() - token.authTimeMs > RECENT_SIGN_IN_MS) {
        throw new ApiError("UNAUTHENTICATED", "Sign in again: a session cookie needs a sign-in from the last 5 minutes.");
      }
      const cookie = await deps.sessionIssuer.createSessionCookie(idToken, SESSION_COOKIE_TTL_MS);
      setCookie(c, "__session", cookie, { ...COOKIE, maxAge: SESSION_COOKIE_TTL_MS / 1000 });
      // Hosting drops Set-Cookie from any response not marked private (so a CDN cannot cache a cookie).
      c.header("Cache-Control", "private, no-store");
      return c.json({ uid: token.uid, expiresAt: new Date(deps.now().getTime() + SESSION_COOKIE_TTL_MS).toISOString() });
    })
    .delete("/", requireSession(deps), limitAccountRequests(deps), async (c) => {
      const { uid } = c.get("caller");
      await deps.sessionIssuer.revokeSessions(uid);
      deps.sessions.forgetUser(uid);
      deleteCookie(c, "__session", COOKIE);
      logs.sessionRevoked(deps.log, uid);
      return c.body(null, 204);
    });
}
