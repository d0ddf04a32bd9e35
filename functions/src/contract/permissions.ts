/**
 * @module permissions
 * The closed list of API key permissions. Who may grant and use which is the server's rule
 * (`api-keys/permissions.ts`).
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
