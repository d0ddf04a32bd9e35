/**
 * @module api-key-routes
 * Developers manage their own keys with a session alone (a key cannot mint or revoke keys). The
 * plaintext exists only in the 201 response that creates it; Firestore holds its keyed hash, and
 * lists show the public id and display prefix. Another user's key id answers 404, like an unknown one.
 */
import { Hono } from "hono";
import { DEFAULT_KEY_LIMITS, keyStatus, mintApiKey, publicKeyView } from "../../api-keys/api-key-policy";
import { keyedHash } from "../../signing/keyed-hash";
import { operatorOnly } from "../../api-keys/permissions";
import { decodePageToken, encodePageToken } from "../../api-keys/page-token";
import { createApiKeyBody, keyPath, listApiKeysQuery, usageQuery } from "../../contract/schemas/requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { limitAccountRequests, requireSession } from "../auth/session-steps";
import { ApiError, invalidArgument } from "../errors";
import { jsonBody, pathParams } from "../request-body";
import * as logs from "../../config/logs";

export function apiKeyRoutes(deps: ApiDeps) {
  const ownedKey = async (uid: string, keyId: string) => {
    const found = await deps.apiKeys.findOwned(uid, keyId);
    if (!found) throw new ApiError("NOT_FOUND", "No such API key.");
    return found;
  };

  return new Hono<AppEnv>()
    .use(requireSession(deps), limitAccountRequests(deps))
    .post("/", async (c) => {
      const body = await jsonBody(c, createApiKeyBody);
      const limits = deps.keyLimits ?? DEFAULT_KEY_LIMITS;
      if (body.rateLimitPerMinute !== undefined && body.rateLimitPerMinute > limits.maxRateLimitPerMinute) {
        throw new ApiError("INVALID_ARGUMENT", `rateLimitPerMinute: at most ${limits.maxRateLimitPerMinute} on this deployment.`, { field: "rateLimitPerMinute", max: limits.maxRateLimitPerMinute });
      }
      const reserved = c.get("caller").operator ? [] : operatorOnly(body.permissions);
      if (reserved.length > 0) throw new ApiError("PERMISSION_DENIED", `Only an operator of this deployment may grant ${reserved.join(", ")}.`, { permissions: reserved });
      const { key, record } = mintApiKey(body, c.get("caller").uid, deps.keyEnvironment, deps.now());
      const created = await deps.apiKeys.create(keyedHash(deps.peppers, "api-key", key), record, limits.maxActiveKeys);
      if (created === "limit-reached") {
        throw new ApiError("RESOURCE_EXHAUSTED", `A user holds at most ${limits.maxActiveKeys} active API keys: revoke one before creating another.`);
      }
      logs.apiKeyCreated(deps.log, { keyId: record.id, ownerId: record.ownerId, permissions: record.permissions });
      c.header("Cache-Control", "no-store");
      return c.json({ key, apiKey: publicKeyView(record) }, 201);
    })
    .get("/", async (c) => {
      const query = listApiKeysQuery.safeParse(c.req.query());
      if (!query.success) throw invalidArgument("The listing query", query.error);
      const { pageSize, pageToken } = query.data;
      const after = pageToken ? decodePageToken(pageToken) : null;
      if (pageToken && !after) throw new ApiError("INVALID_ARGUMENT", "`pageToken` is not a token this listing gave; start again without it.");
      const now = deps.now();
      const page = await deps.apiKeys.listByOwner(c.get("caller").uid, { size: pageSize, after });
      c.header("Cache-Control", "no-store");
      return c.json({
        apiKeys: page.records.map((r) => ({ ...publicKeyView(r), status: keyStatus(r, now), revokedAt: r.revokedAt?.toISOString() ?? null })),
        ...(page.next ? { nextPageToken: encodePageToken(page.next) } : {}),
      });
    })
    .delete("/:keyId", async (c) => {
      const { keyId } = pathParams(c, keyPath);
      const { hash } = await ownedKey(c.get("caller").uid, keyId);
      const revoked = await deps.apiKeys.revoke(hash, deps.now());
      logs.apiKeyRevoked(deps.log, { keyId, ownerId: revoked.ownerId });
      return c.json({ apiKey: { ...publicKeyView(revoked), status: "revoked", revokedAt: revoked.revokedAt?.toISOString() ?? null } });
    })
    .get("/:keyId/usage", async (c) => {
      const { keyId } = pathParams(c, keyPath);
      const query = usageQuery.safeParse(c.req.query());
      if (!query.success) throw new ApiError("INVALID_ARGUMENT", "`days` must be an integer from 1 to 30.");
      await ownedKey(c.get("caller").uid, keyId);
      const report = await deps.usageStore.report(keyId, query.data.days, deps.now());
      c.header("Cache-Control", "no-store");
      return c.json({ keyId, days: report.days, lastUsedAt: report.lastUsedAt?.toISOString() ?? null });
    });
}
