/**
 * @module limits
 * The request sizes the contract fixes, for the schemas that enforce them and the clients that split
 * their work by them.
 */

/** Most agent ids one `POST /v1/agents/metrics:batchGet` takes. */
export const MAX_BATCH_IDS = 100;

/** Most items one `POST /v1/agents/{agentId}/interactions` takes. */
export const MAX_INTERACTIONS_PER_REQUEST = 1000;
