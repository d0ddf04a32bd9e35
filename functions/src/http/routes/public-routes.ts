/**
 * @module public-routes
 * The two routes that need no credentials: health, and the public keys that verify view signatures.
 */
import { Hono } from "hono";
import type { ApiDeps, AppEnv } from "../app-env";

export function publicRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>()
    .get("/health", (c) => c.json({ status: "ok", time: deps.now().toISOString() }))
    .get("/signing-keys", (c) => {
      c.header("Cache-Control", "public, max-age=300");
      return c.json({ keys: deps.keyring.publicKeys });
    });
}
