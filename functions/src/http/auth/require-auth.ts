/**
 * @module require-auth
 * The two halves of the contract's dual authentication as Hono middleware: a verified session, then
 * an API key that belongs to that session's user and holds the route's permission. A missing or bad
 * credential of either kind is 401; a valid key without the permission is 403. Malformed keys are
 * refused on their checksum before any read.
 */
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { isWellFormedApiKey } from "../../domain/api-key-format";
import { refuseKey } from "../../domain/api-key-policy";
import { keyedHash } from "../../domain/keyed-hash";
import { permits, type Permission } from "../../domain/permissions";
import type { ApiDeps, AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { sessionCredential } from "./credentials";

/** Requires a verified Firebase session; sets `session`. */
export function requireSession(deps: ApiDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = sessionCredential(c.req.header("authorization"), getCookie(c, "__session"));
    if (!credential) throw new ApiError("UNAUTHENTICATED", "A session is required: send a Firebase ID token as a Bearer token or the __session cookie.");
    const uid = await deps.sessions.verify(credential);
    if (!uid) throw new ApiError("UNAUTHENTICATED", "The session is invalid, expired or revoked.");
    c.set("session", { uid });
    await next();
  });
}

/** Requires an API key of the session's user holding `permission`; sets `apiKey`. Use after `requireSession`. */
export function requireApiKey(deps: ApiDeps, permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = c.req.header("x-api-key");
    if (!presented) throw new ApiError("UNAUTHENTICATED", "An API key is required in the X-API-Key header.");
    if (!isWellFormedApiKey(presented)) throw new ApiError("UNAUTHENTICATED", "The API key is malformed.");
    const record = await deps.apiKeys.findByHash(keyedHash(deps.pepper, "api-key", presented));
    const refusal = refuseKey(record, c.get("session").uid, deps.now());
    if (refusal || !record) {
      deps.log.warn("api-key.refused", { reason: refusal, keyId: record?.id ?? null });
      throw new ApiError("UNAUTHENTICATED", "The API key is invalid, revoked or expired, or belongs to another user.");
    }
    if (!permits(record.permissions, permission)) {
      throw new ApiError("PERMISSION_DENIED", `The API key lacks the "${permission}" permission.`);
    }
    c.set("apiKey", record);
    await next();
  });
}
