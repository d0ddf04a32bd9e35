/**
 * @module api-key-routes
 * Developers manage their own keys with a session alone (a key cannot mint keys). The plaintext
 * exists only in the 201 response that creates it; Firestore holds its keyed hash.
 */
import { Hono } from "hono";
import { displayPrefix, generateApiKey, generateKeyId } from "../../domain/api-key-format";
import { publicKeyView, type ApiKeyRecord } from "../../domain/api-key-policy";
import { keyedHash } from "../../domain/keyed-hash";
import { createApiKeyBody, DEFAULT_RATE_LIMIT_PER_MINUTE } from "../../schemas/api-requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { requireSession } from "../auth/require-auth";
import { jsonBody } from "../request-body";

const DAY_MS = 86_400_000;

export function apiKeyRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().post("/", requireSession(deps), async (c) => {
    const body = await jsonBody(c, createApiKeyBody);
    const now = deps.now();
    const key = generateApiKey(deps.keyEnvironment);
    const record: ApiKeyRecord = {
      id: generateKeyId(),
      ownerId: c.get("session").uid,
      name: body.name,
      prefix: displayPrefix(key),
      permissions: body.permissions,
      createdAt: now,
      expiresAt: body.expiresInDays ? new Date(now.getTime() + body.expiresInDays * DAY_MS) : null,
      revokedAt: null,
      rateLimitPerMinute: body.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    };
    await deps.apiKeys.create(keyedHash(deps.pepper, "api-key", key), record);
    deps.log.info("api-key.created", { keyId: record.id, ownerId: record.ownerId, permissions: record.permissions });
    c.header("Cache-Control", "no-store");
    return c.json({ key, apiKey: publicKeyView(record) }, 201);
  });
}
