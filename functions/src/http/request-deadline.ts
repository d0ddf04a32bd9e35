/**
 * @module request-deadline
 * A bound on how long one request may wait for its backends. When Firestore cannot be reached, its
 * client does not fail: it reconnects and retries each call for up to a minute (a document read was
 * seen waiting 45 s, a write longer), so without a bound every request of an outage would hang until
 * the function's own timeout. Past the deadline the request answers 503 `UNAVAILABLE` with
 * `Retry-After`, in the contract's envelope; the work it started is left to finish or fail on its own
 * (a write that commits late is safe: ingestion is idempotent by client id, and views are reconciled).
 * Work that retries (the write routes' transactions) asks `c.get("abandoned")` before each attempt
 * and stops once the request has answered: left to retry, abandoned transactions pile up on a store
 * that is already slow and keep later requests past their deadline too.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import type { Logger } from "../config/logger";
import { ApiError } from "./errors";
import * as logs from "../config/logs";

/** Well above a normal request (tens of ms) and a large recompute, well below the function's 60 s timeout. */
export const DEFAULT_REQUEST_DEADLINE_MS = 10_000;

/** Seconds a client is told to wait before retrying a request that ran out of time. */
const RETRY_AFTER_SECONDS = 1;

/** The refusal of a request that ran out of time (also what its abandoned work ends in). */
export const deadlineExceeded = () => new ApiError("UNAVAILABLE", "The metrics store did not answer in time; retry shortly.", undefined, RETRY_AFTER_SECONDS);

/** Fails the request with 503 `UNAVAILABLE` once it has run for `deadlineMs`. */
export function requestDeadline(deadlineMs: number, log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let timer: NodeJS.Timeout | undefined;
    let abandoned = false;
    c.set("abandoned", () => abandoned);
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abandoned = true;
        logs.deadlineExceeded(log, c.req.path, deadlineMs);
        reject(deadlineExceeded());
      }, deadlineMs);
    });
    try {
      // Hono settles `next()` through its own error handler, so work abandoned here that fails later
      // rejects nothing (request-deadline.test.ts checks that no rejection goes unhandled).
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
