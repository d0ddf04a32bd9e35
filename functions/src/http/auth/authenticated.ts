/**
 * @module authenticated
 * The contract's dual authentication as one chain of small steps, each filling its part of the
 * request context (`app-env.ts`), in this order:
 *
 *  1. `requireSession`    who: the session's user (401 without a valid one)            → `caller`
 *     (`sessionOrIngestKey` on the ingestion routes: or an ingest key's owner, the key sent alone)
 *  2. `recordKeyUsage`    once answered, the request goes into its key's usage
 *  3. `acceptApiKey`      which key: known, live and the caller's (401 otherwise)      → `apiKey`, `keyAgents`
 *  4. `limitKeyRate`      the key's rate limit and RateLimit headers (429 past it)
 *  5. `requirePermission` the route's permission on the key (403 without it)
 *  6. `restrictKeyAgents` a key restricted to some agents, against what the route reaches (403)
 *  7. `takeStoreBudget`   the user's store budget, taken now and settled once answered → `storeRequests`
 *
 * A route declares what it needs in one line:
 * `.get("/:agentId/metrics", ...authenticated(deps, "read:agent-metrics", "path-agent"), handler)`.
 */
import type { Permission } from "../../contract/permissions";
import type { ApiDeps } from "../app-env";
import { restrictKeyAgents, type AgentReach } from "./agent-restriction";
import { sessionOrIngestKey } from "./ingest-key";
import { acceptApiKey, limitKeyRate, recordKeyUsage, requirePermission } from "./key-steps";
import { requireSession } from "./session-steps";
import { takeStoreBudget } from "./store-budget";

/** Steps 2 to 7: the API key's, once the caller is known. */
const keySteps = (deps: ApiDeps, permission: Permission, reach: AgentReach) =>
  [recordKeyUsage(deps), acceptApiKey(deps), limitKeyRate(deps), requirePermission(permission), restrictKeyAgents(reach), takeStoreBudget(deps)] as const;

/** The steps of a route that needs a session and an API key holding `permission`, reaching `reach`. */
export function authenticated(deps: ApiDeps, permission: Permission, reach: AgentReach) {
  return [requireSession(deps), ...keySteps(deps, permission, reach)] as const;
}

/** The steps of an ingestion route into the agent of its path: a session and a key, or an ingest key alone (`ingest-key.ts`). */
export function authenticatedIngest(deps: ApiDeps) {
  return [sessionOrIngestKey(deps), ...keySteps(deps, "write:interactions", "path-agent")] as const;
}
