/**
 * @module agent-written
 * The trigger on `agents/{agentId}`. The agent's view keeps its owner and organization beside it (so
 * serving it needs no read of the agent), and every fold reads the agent document: a creation, a move
 * or a deletion asks for a fold, which brings the view in line with the agent as it is then (a deleted
 * agent's view is removed, which also takes it out of every rollup that still met it; a moved agent's
 * view gets its new owner). Safe to run any number of times and in any order. Rollups look their agents
 * up when they fold, so their totals move at the next fold (when read and older than
 * `ROLLUP_MAX_LAG_MS`, or hourly).
 */
import type { Logger } from "../config/logger";
import { ownershipOf } from "../documents/source-documents";
import type { FoldScheduler } from "../agent-views/fold-scheduler";
import { sameOwnership } from "../agent-views/stored-view";
import type { DocumentWrittenEvent } from "./agent-document-written";
import * as logs from "../config/logs";

export interface AgentTriggerDeps {
  folds: FoldScheduler;
  log: Logger;
}

/** Handles one delivery of an `agents/{agentId}` write. */
export function handleAgentWritten(deps: AgentTriggerDeps) {
  return async (event: DocumentWrittenEvent): Promise<void> => {
    const agentId = event.params.docId;
    const before = event.data?.before;
    const after = event.data?.after;
    const [from, to] = [before?.exists ? ownershipOf(before.data()) : null, after?.exists ? ownershipOf(after.data()) : null];
    // A rename or any other edit that keeps the owner and organization leaves the view as it is.
    if (before?.exists && after?.exists && from && to && sameOwnership(from, to)) return;
    await deps.folds.request(agentId);
    if (!after?.exists) logs.agentDeleted(deps.log, agentId);
    else if (before?.exists) logs.agentMoved(deps.log, { agentId, from, to });
  };
}
