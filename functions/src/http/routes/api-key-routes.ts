/**
 * @module api-key-routes
 * Developers manage their own keys with a session alone (a key cannot mint keys). The plaintext
 * exists only in the 201 response that creates it; Firestore holds its keyed hash.
 */
import { Hono } from "hono";
import { mintApiKey, publicKeyView } from "../../domain/api-key-policy";
import { keyedHash } from "../../domain/keyed-hash";
import { createApiKeyBody } from "../../schemas/api-requests";
import type { ApiDeps, AppEnv } from "../app-env";
import { requireSession } from "../auth/require-auth";
import { jsonBody } from "../request-body";

export function apiKeyRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>().post("/", requireSession(deps), async (c) => {
    const body = await jsonBody(c, createApiKeyBody);
    const { key, record } = mintApiKey(body, c.get("session").uid, deps.keyEnvironment, deps.now());
    await deps.apiKeys.create(keyedHash(deps.pepper, "api-key", key), record);
    deps.log.info("api-key.created", { keyId: record.id, ownerId: record.ownerId, permissions: record.permissions });
    c.header("Cache-Control", "no-store");
    return c.json({ key, apiKey: publicKeyView(record) }, 201);
  });
}
