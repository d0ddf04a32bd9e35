/**
 * @module key-lookup
 * Finding the stored record of the API key a request presents. Malformed keys are refused on their
 * checksum before any read. A well-formed key is looked up under the current pepper, then under each
 * older one still in the ring; forged keys are cheap to make, so a lookup that would cost a read is
 * first checked against the asker's budget of refused keys (`caller-limits.ts`: the session's user,
 * or the client's address for a key presented alone). Every refusal
 * is the same 401, so a caller learns nothing about other people's keys; the reason goes to the logs.
 */
import type { Context } from "hono";
import { isWellFormedApiKey } from "../../api-keys/api-key-format";
import { refuseKey, type ApiKeyRecord } from "../../api-keys/api-key-policy";
import { candidateHashes } from "../../signing/keyed-hash";
import type { ApiDeps } from "../app-env";
import { countRefusedKey, refuseKeyLookup, type KeyAsker } from "../caller-limits";
import { ApiError } from "../errors";
import { requestHeader } from "../request-headers";
import * as logs from "../../config/logs";

/**
 * The stored record of `presented`, or null. `beforeRead` runs before the first lookup that would
 * cost a read (none when this instance holds the answer), and may refuse the request instead.
 */
async function findKey(deps: ApiDeps, presented: string, beforeRead: () => void): Promise<ApiKeyRecord | null> {
  const candidates = candidateHashes(deps.peppers, "api-key", presented);
  const held = candidates.map(({ hash }) => deps.apiKeys.held(hash));
  if (!held.some(Boolean) && held.some((record) => record === undefined)) beforeRead();
  // Through the key cache, hit or miss, so a held key is revalidated as any other (revocation within 5 s).
  for (const { version, hash } of candidates) {
    const record = await deps.apiKeys.findByHash(hash);
    if (!record) continue;
    if (version !== deps.peppers.current) logs.apiKeyOlderPepper(deps.log, { keyId: record.id, pepperVersion: version });
    return record;
  }
  return null;
}

/**
 * The record of the request's `X-API-Key` if it may be used now by `asker` (a session's user: only
 * their own key; a key presented alone: any live key, acting for its owner); otherwise 401 (and, for
 * a well-formed key, one more refused key counted against `asker`).
 */
export async function usableKey(c: Context, deps: ApiDeps, asker: KeyAsker): Promise<ApiKeyRecord> {
  const presented = requestHeader(c, "x-api-key");
  if (!presented) throw new ApiError("UNAUTHENTICATED", "An API key is required in the X-API-Key header.");
  if (!isWellFormedApiKey(presented)) throw new ApiError("UNAUTHENTICATED", "The API key is malformed.");
  const now = deps.now();
  const record = await findKey(deps, presented, () => refuseKeyLookup(deps.rateLimiter, asker, now.getTime()));
  const refusal = refuseKey(record, "uid" in asker ? asker.uid : null, now);
  if (refusal || !record) {
    countRefusedKey(deps.rateLimiter, asker, now.getTime());
    logs.apiKeyRefused(deps.log, { reason: refusal, keyId: record?.id ?? null });
    throw new ApiError("UNAUTHENTICATED", "The API key is invalid, revoked or expired, or belongs to another user.");
  }
  return record;
}
