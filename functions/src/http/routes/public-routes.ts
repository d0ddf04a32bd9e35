/**
 * @module public-routes
 * The routes that need no credentials: health, the public keys that verify view signatures, and the
 * OpenAPI document of the API.
 * Health answers 200 with its report when Firestore answered, and 503 `UNAVAILABLE` in the contract's
 * envelope, the same report as `details`, when it did not: a load balancer needs only the status,
 * a person reads why.
 */
import { Hono } from "hono";
import type { ApiDeps, AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { buildOpenApiDocument, type OpenApiDocument } from "../../contract/openapi";

/** Built on the first request of an instance: the same for every request after. */
let built: OpenApiDocument | undefined;
const openApiDocument = () => (built ??= buildOpenApiDocument());

/** What a client is told to wait before asking again: about the time a failed probe is remembered. */
const HEALTH_RETRY_AFTER_SECONDS = 5;

export function publicRoutes(deps: ApiDeps) {
  return new Hono<AppEnv>()
    .get("/health", async (c) => {
      const report = await deps.health.report();
      c.header("Cache-Control", "no-store");
      if (report.status !== "ok") throw new ApiError("UNAVAILABLE", "Firestore did not answer the health probe.", report, HEALTH_RETRY_AFTER_SECONDS);
      return c.json(report);
    })
    .get("/signing-keys", (c) => {
      c.header("Cache-Control", "public, max-age=300");
      return c.json({ keys: deps.keyring.publicKeys });
    })
    .get("/openapi.json", (c) => {
      c.header("Cache-Control", "public, max-age=300");
      return c.json(openApiDocument());
    });
}
