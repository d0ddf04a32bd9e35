/**
 * @module caller-limits
 * Limits per caller in front of what costs a read before any API key's own limit applies:
 *  - a signed-in user's failed API key lookups (unknown, revoked, expired or someone else's key):
 *    well-formed keys are easy to forge (the checksum is public), and each unknown one costs a read
 *    and a place in the key cache. Past `BAD_KEYS_PER_MINUTE` failures, a key this instance does not
 *    already hold is refused with 429 before it is looked up, so forged keys cost at most that many
 *    reads a minute per user; keys already held (the user's real ones) keep working. A key presented
 *    alone (an ingest key, with no session) has no user yet: its client address has the same budget;
 *  - a signed-in user's requests to the session-only routes (`/v1/api-keys…`, `DELETE /v1/session`),
 *    which have no key to limit them: `ACCOUNT_REQUESTS_PER_MINUTE`;
 *  - a client address's `POST /v1/session` (a token check with Auth before there is a user):
 *    `SESSION_MINTS_PER_MINUTE`;
 *  - a signed-in user's keyed requests that reach the store or sign, across all of the user's keys:
 *    `USER_STORE_REQUESTS_PER_MINUTE`. Each key has its own limit (up to 10,000 a minute), and a user
 *    holds up to 50 keys, so without this a `no-cache` read or a series read with a fresh range could
 *    make one account cost about 500,000 reads and signatures a minute. An answer from this instance's
 *    memory (an edge hit, a 304 on one) costs nothing and is not counted; any other answer counts one,
 *    a batchGet one per view it did not find in memory, and one for any refusals. Each request takes a unit before it runs (a
 *    batchGet one per id it asks for) and settles after it is answered, so concurrent requests cannot
 *    overrun the budget together.
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
export const USER_STORE_REQUESTS_PER_MINUTE = 1_000;

/** The counter id of a limit: a purpose and a digest of who it limits. */
const counterId = (purpose: string, who: string) => `caller-${purpose}-${createHash("sha256").update(`${purpose}\u0000${who}`).digest("base64url").slice(0, 22)}`;

const refusal = (decision: RateDecision, what: string) => new ApiError("RESOURCE_EXHAUSTED", `Too many ${what}; retry in ${decision.retryAfterSeconds} s.`, undefined, decision.retryAfterSeconds);

/** Who asks for a key lookup: the session's user, or, for a key presented alone, the client's address (null: unknown). */
export type KeyAsker = { uid: string } | { addressHash: string | null };

const badKeysCounter = (asker: KeyAsker) => ("uid" in asker ? counterId("bad-keys", asker.uid) : counterId("bad-keys-address", asker.addressHash ?? "unknown"));

/** Throws 429 when `asker` has used up its failed key lookups (call only before a lookup that costs a read). */
export function refuseKeyLookup(limiter: RateLimiter, asker: KeyAsker, nowMs: number): void {
  const decision = limiter.check(badKeysCounter(asker), BAD_KEYS_PER_MINUTE, nowMs);
  if (!decision.allowed) throw refusal(decision, "requests with an invalid API key");
}

/** Counts one refused API key of `asker`. */
export function countRefusedKey(limiter: RateLimiter, asker: KeyAsker, nowMs: number): void {
  limiter.count(badKeysCounter(asker), nowMs);
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

/**
 * Takes `units` of `uid`'s budget of requests answered by the store (`limit` a minute, all its keys
 * together) before the work they pay for; throws 429 when they do not fit. Taken first, so concurrent
 * requests cannot all pass a budget that only one of them fits in.
 */
export function takeStoreRequests(limiter: RateLimiter, uid: string, limit: number, nowMs: number, units = 1): void {
  const decision = limiter.take(counterId("store", uid), limit, nowMs, units);
  if (decision.allowed) return;
  const message = `This account's requests answered by the metrics store exceed ${limit} a minute across all its API keys (answers from the edge cache do not count); retry in ${decision.retryAfterSeconds} s.`;
  throw new ApiError("RESOURCE_EXHAUSTED", message, undefined, decision.retryAfterSeconds);
}

/** Settles `uid`'s budget once a request is answered: `delta` is what it cost minus what it took (an edge hit gives its unit back). */
export function settleStoreRequests(limiter: RateLimiter, uid: string, delta: number, nowMs: number): void {
  if (delta !== 0) limiter.count(counterId("store", uid), nowMs, delta);
}
