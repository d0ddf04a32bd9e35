/**
 * @module agent-written
 * The trigger on `agents/{agentId}`. Rollups look their agents up when they fold, so an owner or
 * organization change needs no write here: the next fold (when the rollup is read and older than
 * `ROLLUP_MAX_LAG_MS`, or hourly) moves the totals, and the move is logged. A deletion removes the
 * agent's view, which also takes the agent out of every fold that still met it; safe to run any number
 * of times, and harmless when the agent id has been created again since.
 */
import type { Logger } from "../config/logger";
import { agentSchema } from "../schemas/source-documents";
import type { DocumentWrittenEvent } from "./agent-document-written";

export interface AgentTriggerDeps {
  removeView: (agentId: string) => Promise<boolean>;
  log: Logger;
}

const placeOf = (data: unknown) => {
  const parsed = agentSchema.safeParse(data);
  return parsed.success ? { ownerId: parsed.data.ownerId, orgId: parsed.data.orgId } : null;
};

/** Handles one delivery of an `agents/{agentId}` write. */
export function handleAgentWritten(deps: AgentTriggerDeps) {
  return async (event: DocumentWrittenEvent): Promise<void> => {
    const agentId = event.params.docId;
    const before = event.data?.before;
    const after = event.data?.after;
    if (after?.exists) {
      const [from, to] = [before?.exists ? placeOf(before.data()) : null, placeOf(after.data())];
      if (from && to && (from.ownerId !== to.ownerId || from.orgId !== to.orgId)) deps.log.info("agent.moved", { agentId, from, to });
      return;
    }
    if (!before?.exists) return;
    const removed = await deps.removeView(agentId);
    deps.log.info("agent.deleted", { agentId, viewRemoved: removed });
  };
}
