/**
 * @module permissions
 * The one rule that reads API key permissions (the list itself is the contract's).
 */
import type { Permission } from "../contract/permissions";

/**
 * Permissions over the deployment rather than the user's own data (`read:cache-stats`: figures of an
 * instance that serves every tenant). Only an operator (a user whose Firebase token carries the custom
 * claim `operator: true`) may grant them to a key or use them; `admin:all` in anyone else's key grants
 * every permission but these.
 */
export const OPERATOR_PERMISSIONS: readonly Permission[] = ["read:cache-stats"];

/** True when a key holding `granted` may act with `needed` for a user who is (or is not) an `operator`; `admin:all` grants everything that user may do. */
export function permits(granted: readonly Permission[], needed: Permission, operator = false): boolean {
  if (OPERATOR_PERMISSIONS.includes(needed) && !operator) return false;
  return granted.includes("admin:all") || granted.includes(needed);
}

/**
 * True for an ingest key: permissions exactly `["write:interactions"]`. Such a key authenticates alone
 * on the ingestion routes, acting for its owner (http/auth/ingest-key.ts); `admin:all` does not.
 */
export const isIngestKey = (granted: readonly Permission[]): boolean => granted.length === 1 && granted[0] === "write:interactions";

/** The operator permissions in `requested`: what a user who is not an operator may not grant. */
export const operatorOnly = (requested: readonly Permission[]): Permission[] => requested.filter((p) => OPERATOR_PERMISSIONS.includes(p));
