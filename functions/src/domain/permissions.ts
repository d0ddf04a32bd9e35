/**
 * @module permissions
 * The closed list of API key permissions and the one rule that reads them.
 */
export const PERMISSIONS = [
  "read:agent-metrics",
  "write:agent-metrics",
  "read:user-metrics",
  "read:org-metrics",
  "write:interactions",
  "read:cache-stats",
  "admin:all",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** True when a key holding `granted` may act with `needed`; `admin:all` grants everything. */
export function permits(granted: readonly Permission[], needed: Permission): boolean {
  return granted.includes("admin:all") || granted.includes(needed);
}
