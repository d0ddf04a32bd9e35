/**
 * @module caller-limits
 * Limits per caller in front of what costs a read before any API key's own limit applies:
 *  - a signed-in user's failed API key lookups (unknown, revoked, expired or someone else's key):
 *    well-formed keys are easy to forge (the checksum is public), and each unknown one costs a read
 *    and a place in the key cache. Past `BAD_KEYS_PER_MINUTE` failures, a key this instance does not
 *    already hold is refused with 429 before it is looked up, so forged keys cost at most that many
 *    reads a minute per user; keys already held (the user's real ones) keep working;
 *  - a signed-in user's requests to the session-only routes (`/v1/api-keys…`, `DELETE /v1/session`),
 *    which have no key to limit them: `ACCOUNT_REQUESTS_PER_MINUTE`;
 *  - a client address's `POST /v1/session` (a token check with Auth before there is a user):
 *    `SESSION_MINTS_PER_MINUTE`.
 * They share the per-key limiter's arithmetic and cross-instance sync (`rate-limiter.ts`), under
 * counter ids that name neither the user nor the address: both are keyed-hashed first.
 */
import { createHash } from "node:crypto";
import type { RateDecision } from "../rate-limits/rate-limit";
import type { RateLimiter } from "../rate-limits/rate-limiter";
import { ApiError } from "./errors";

export const BAD_KEYS_PER_MINUTE = 20;
export const ACCOUNT_REQUESTS_PER_MINUTE = 60;
export const SESSION_MINTS_PER_MINUTE = 20;

/** The counter id of a limit: a purpose and a digest of who it limits. */
const counterId = (purpose: string, who: string) => `caller-${purpose}-${createHash("sha256").update(`${purpose}\u0000${who}`).digest("base64url").slice(0, 22)}`;

const refusal = (decision: RateDecision, what: string) => new ApiError("RESOURCE_EXHAUSTED", `Too many ${what}; retry in ${decision.retryAfterSeconds} s.`, undefined, decision.retryAfterSeconds);

/** Throws 429 when `uid` has used up its failed key lookups (call only before a lookup that costs a read). */
export function refuseKeyLookup(limiter: RateLimiter, uid: string, nowMs: number): void {
  const decision = limiter.check(counterId("bad-keys", uid), BAD_KEYS_PER_MINUTE, nowMs);
  if (!decision.allowed) throw refusal(decision, "requests with an invalid API key");
}

/** Counts one refused API key of `uid`. */
export function countRefusedKey(limiter: RateLimiter, uid: string, nowMs: number): void {
  limiter.count(counterId("bad-keys", uid), nowMs);
}

/** Counts a session-only request of `uid`; throws 429 past the limit. */
export function takeAccountRequest(limiter: RateLimiter, uid: string, nowMs: number): void {
  const decision = limiter.take(counterId("account", uid), ACCOUNT_REQUESTS_PER_MINUTE, nowMs);
  if (!decision.allowed) throw refusal(decision, "account requests");
}

/** Counts a `POST /v1/session` from the client address `addressHash` (null: unknown); throws 429 past the limit. */
export function takeSessionMint(limiter: RateLimiter, addressHash: string | null, nowMs: number): void {
  const decision = limiter.take(counterId("session-mint", addressHash ?? "unknown"), SESSION_MINTS_PER_MINUTE, nowMs);
  if (!decision.allowed) throw refusal(decision, "sign-ins from this address");
}
