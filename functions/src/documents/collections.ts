/**
 * @module collections
 * Every Firestore collection name the functions touch, in one place (the rules file mirrors it).
 */
export const COLLECTIONS = {
  organizations: "organizations",
  users: "users",
  agents: "agents",
  contextSources: "context_sources",
  interactions: "agent_interactions",
  config: "metrics_config",
  agentViews: "agent_metrics_cache",
  userViews: "user_metrics_cache",
  orgViews: "org_metrics_cache",
  apiKeys: "api_keys",
  /** One document per key owner (a digest of the uid), written with each new key so creations serialize. */
  apiKeyOwners: "api_key_owners",
  apiKeyUsage: "api_key_usage",
  apiKeyUsageDaily: "api_key_usage_daily",
  rateLimits: "rate_limits",
  /** Subcollection of each agent view: the deltas its writers recorded (and, once applied, events' markers). */
  deltas: "deltas",
  reconcileState: "reconcile_state",
} as const;
