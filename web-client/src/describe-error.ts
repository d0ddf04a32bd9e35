/**
 * @module describe-error
 * One wording for failed calls across the page: the envelope's code first, since that is what a
 * developer searches the contract for, then its message and any wait the server asked for.
 */
import { ApiRequestError } from "metrics-web-client";

/**
 * A one-line description of `error` for the page.
 * @example describeError(new ApiRequestError(403, "PERMISSION_DENIED", "not yours")) // "PERMISSION_DENIED (403): not yours"
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    const status = error.status ? ` (${error.status})` : "";
    const retry = error.retryAfterSeconds !== undefined ? ` Retry in ${error.retryAfterSeconds} s.` : "";
    return `${error.code}${status}: ${error.message}${retry}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The CSS state class of a failure: rate limits and outages read differently from refusals. */
export function errorState(error: unknown): "rate-limited" | "offline" | "error" {
  if (error instanceof ApiRequestError && error.status === 429) return "rate-limited";
  if (error instanceof ApiRequestError && (error.code === "NETWORK_ERROR" || error.status === 503)) return "offline";
  return "error";
}
