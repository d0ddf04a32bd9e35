/**
 * @module errors
 * Errors meant for the client. Handlers throw `ApiError`; the app's error handler turns it (and
 * anything unexpected) into the contract's envelope, so no stack trace or internal message ever
 * reaches a client.
 */
import type { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../contract/error-codes";
import type { ErrorEnvelope } from "../contract/schemas/errors";

/** An error meant for the client: its code, message and details are shown as they are. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }

  toEnvelope(): ErrorEnvelope {
    const error: ErrorEnvelope["error"] = { code: this.code, message: this.message };
    if (this.retryAfterSeconds !== undefined) error.retryAfterSeconds = this.retryAfterSeconds;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** A 400 listing each zod issue as `{ path, message }`, never echoing the rejected value. */
export function invalidArgument(what: string, error: z.ZodError): ApiError {
  const details = error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
  return new ApiError("INVALID_ARGUMENT", `${what} is invalid`, details);
}
