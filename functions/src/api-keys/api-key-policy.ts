/**
 * @module api-key-policy
 * Whether a stored API key may authenticate a request. Every refusal is reported to the client as
 * the same 401 so a caller learns nothing about other people's keys; the reason goes to the logs.
 */
import { displayPrefix, generateApiKey, generateKeyId, type KeyEnvironment } from "./api-key-format";
import type { Permission } from "../contract/permissions";

const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;

/**
 * What a deployment lets its users ask for: the contract's 50 active keys a user, and a ceiling on a
 * key's own rate limit (the caller chooses a limit under it, never above: like Stripe's or Google's
 * quotas, a higher one is the operator's decision, made in the deployment's configuration).
 */
export interface KeyLimits {
  maxActiveKeys: number;
  maxRateLimitPerMinute: number;
  /** Requests a minute one user may have answered by the store, across all their keys (`USER_STORE_REQUESTS_PER_MINUTE` when absent). */
  userStoreRequestsPerMinute?: number;
}

export const DEFAULT_KEY_LIMITS: KeyLimits = { maxActiveKeys: 50, maxRateLimitPerMinute: 10_000 };
const DAY_MS = 86_400_000;

/** An API key as stored (its plaintext is never stored; `id` is the public identifier). */
export interface ApiKeyRecord {
  id: string;
  ownerId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  rateLimitPerMinute: number;
  /** The only agents the key may touch; absent for every agent its owner may. */
  agentIds?: string[];
}

export type KeyRefusal = "unknown" | "revoked" | "expired" | "not-owner";

/** What a developer asks for when creating a key (already validated). */
export interface KeyRequest {
  name: string;
  permissions: Permission[];
  expiresInDays?: number;
  rateLimitPerMinute?: number;
  agentIds?: string[];
}

/** A new key: the plaintext (to show once) and the record to store under its keyed hash. */
export function mintApiKey(request: KeyRequest, ownerId: string, env: KeyEnvironment, now: Date): { key: string; record: ApiKeyRecord } {
  const key = generateApiKey(env);
  return {
    key,
    record: {
      id: generateKeyId(),
      ownerId,
      name: request.name,
      prefix: displayPrefix(key),
      permissions: request.permissions,
      createdAt: now,
      expiresAt: request.expiresInDays ? new Date(now.getTime() + request.expiresInDays * DAY_MS) : null,
      revokedAt: null,
      rateLimitPerMinute: request.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      ...(request.agentIds && { agentIds: request.agentIds }),
    },
  };
}

/**
 * Why `record` may not be used at `now` by the session user `uid` (null: by no session, the key acting
 * alone for its owner), or null when it may.
 */
export function refuseKey(record: ApiKeyRecord | null, uid: string | null, now: Date): KeyRefusal | null {
  if (!record) return "unknown";
  if (record.revokedAt) return "revoked";
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) return "expired";
  if (uid !== null && record.ownerId !== uid) return "not-owner";
  return null;
}

/** The key as `POST /v1/api-keys` and `GET /v1/api-keys` show it: never the plaintext or the hash. */
export function publicKeyView(record: ApiKeyRecord) {
  return {
    id: record.id,
    prefix: record.prefix,
    name: record.name,
    permissions: record.permissions,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt ? record.expiresAt.toISOString() : null,
    rateLimitPerMinute: record.rateLimitPerMinute,
    ...(record.agentIds && { agentIds: record.agentIds }),
  };
}

/** A key's state as its owner sees it in lists. */
export function keyStatus(record: ApiKeyRecord, now: Date): "active" | "revoked" | "expired" {
  if (record.revokedAt) return "revoked";
  return record.expiresAt && record.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}
