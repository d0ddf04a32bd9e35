/**
 * @module app
 * The HTTPS API as a Hono app, built from its dependencies. The same routes answer under `/v1`
 * (the function's own URL) and `/api/v1` (Firebase Hosting's rewrite keeps the `/api` prefix).
 * Bodies are read, bounded, by the routes that take one, after their permission checks (request-body.ts).
 */
import { Hono } from "hono";
import type { ApiDeps, AppEnv } from "./app-env";
import { ApiError } from "./errors";
import { agentBatchRoutes } from "./routes/agent-batch-routes";
import { agentMetricsRoutes } from "./routes/agent-metrics-routes";
import { cacheStatsRoutes } from "./routes/cache-stats-routes";
import { apiKeyRoutes } from "./routes/api-key-routes";
import { agentWriteRoutes } from "./routes/agent-write-routes";
import { publicRoutes } from "./routes/public-routes";
import { orgMetricsRoutes, userMetricsRoutes } from "./routes/rollup-metrics-routes";
import { agentSeriesRoutes, orgSeriesRoutes, userSeriesRoutes } from "./routes/series-routes";
import { sessionRoutes } from "./routes/session-routes";
import { deadlineExceeded, DEFAULT_REQUEST_DEADLINE_MS, requestDeadline } from "./request-deadline";
import { isTransientStoreError } from "./transient-errors";
import { Abandoned } from "../agent-views/view-transaction";
import * as logs from "../config/logs";

function v1Routes(deps: ApiDeps) {
  return new Hono<AppEnv>()
    .route("/", publicRoutes(deps))
    .route("/session", sessionRoutes(deps))
    .route("/api-keys", apiKeyRoutes(deps))
    .route("/agents", agentBatchRoutes(deps))
    .route("/agents", agentMetricsRoutes(deps))
    .route("/agents", agentWriteRoutes(deps))
    .route("/agents", agentSeriesRoutes(deps))
    .route("/users", userMetricsRoutes(deps))
    .route("/users", userSeriesRoutes(deps))
    .route("/orgs", orgMetricsRoutes(deps))
    .route("/orgs", orgSeriesRoutes(deps))
    .route("/cache", cacheStatsRoutes(deps));
}

/** Builds the API. Every refusal, including unknown routes and unexpected errors, uses the envelope. */
export function createApp(deps: ApiDeps) {
  const app = new Hono<AppEnv>();
  app.use(requestDeadline(deps.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS, deps.log));
  const v1 = v1Routes(deps);
  app.route("/v1", v1);
  app.route("/api/v1", v1);

  app.notFound((c) => c.json(new ApiError("NOT_FOUND", "No such route.").toEnvelope(), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
      return c.json(err.toEnvelope(), err.status);
    }
    // Work that stopped because its request had already answered 503 at the deadline: nothing to report.
    if (err instanceof Abandoned) return c.json(deadlineExceeded().toEnvelope(), 503);
    if (isTransientStoreError(err)) {
      logs.backendUnavailable(deps.log, c.req.path, (err as { code?: unknown }).code);
      c.header("Retry-After", "1");
      return c.json(new ApiError("UNAVAILABLE", "The metrics store is unavailable; retry shortly.", undefined, 1).toEnvelope(), 503);
    }
    logs.unhandled(deps.log, c.req.path, err);
    return c.json(new ApiError("INTERNAL", "An internal error occurred.").toEnvelope(), 500);
  });
  return app;
}
