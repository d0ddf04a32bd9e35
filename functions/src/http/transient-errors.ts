/**
 * @module transient-errors
 * Which Firestore failures are the store's momentary state rather than a bug: the client may retry
 * them, so the API answers 503 UNAVAILABLE with `Retry-After` instead of 500 INTERNAL.
 *  - UNAVAILABLE (14): the backend cannot be reached;
 *  - ABORTED (10): a transaction lost to contention after the SDK's own retries;
 *  - DEADLINE_EXCEEDED (4): the backend did not answer in time;
 *  - RESOURCE_EXHAUSTED (8) from Firestore: a quota or write-rate limit of the backend;
 *  - the emulator's INVALID_ARGUMENT "Transaction is invalid or closed", its way of reporting a
 *    transaction that lost a lock (firebase-tools#4473), where production says ABORTED.
 */
const TRANSIENT_CODES = new Set([4, 8, 10, 14]);
const GRPC_INVALID_ARGUMENT = 3;

/** Whether `error` (as thrown by firebase-admin's Firestore client) is worth retrying. */
export function isTransientStoreError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, details } = error as { code?: unknown; details?: unknown };
  if (typeof code !== "number") return false;
  if (TRANSIENT_CODES.has(code)) return true;
  return code === GRPC_INVALID_ARGUMENT && typeof details === "string" && details.includes("Transaction is invalid or closed");
}
