/**
 * @module agent-restriction
 * Keys restricted to some agents (`agentIds` on the key): the restriction is read once into the
 * request context (`keyAgents`) and enforced in one place per scope. A route of one agent refuses any
 * other agent before it reads anything; user and organization reads span agents the key may not
 * touch, so a restricted key may not make them at all; the batch read lists other agents under
 * `forbidden` (`keyMayTouch`). The restriction only narrows: the caller must still be entitled to the agent.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

/** True when the request's key may touch `agentId` (an unrestricted key may touch every agent). */
export function keyMayTouch(c: Context<AppEnv>, agentId: string): boolean {
  const agents = c.get("keyAgents");
  return agents === null || agents.has(agentId);
}

/**
 * Which agents a route reaches, for keys restricted to some agents:
 *  - `path-agent`: the one agent of its path (`:agentId`); a key restricted to others is refused;
 *  - `all-agents`: a user's or organization's, which span agents; a restricted key is refused;
 *  - `listed-agents`: the ones its body lists; the route leaves out those the key may not touch (`keyMayTouch`);
 *  - `no-agent`: none (the deployment's cache figures).
 */
export type AgentReach = "path-agent" | "all-agents" | "listed-agents" | "no-agent";

/** Step: refuses with 403 a restricted key on a route that reaches agents it may not touch. */
export function restrictKeyAgents(reach: AgentReach) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (reach === "path-agent" && !keyMayTouch(c, c.req.param("agentId") ?? "")) throw new ApiError("PERMISSION_DENIED", "This API key is restricted to other agents.");
    if (reach === "all-agents" && c.get("keyAgents") !== null) throw new ApiError("PERMISSION_DENIED", "This API key is restricted to some agents; user and organization metrics span other agents.");
    await next();
  });
}
