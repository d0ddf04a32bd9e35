/**
 * @module prefetched-transaction
 * A read-only `ViewTransaction` over documents already read, so the reconcile can judge a whole page
 * of agents from one consistent read (a few range queries) instead of querying per agent. Only what a
 * verdict reads is available; anything else is a programming error.
 */
import type { StoredView } from "./stored-view";
import type { AgentDocuments, ViewTransaction } from "./view-transaction";

/** One agent's stored view and documents, as read together. */
export interface AgentSnapshot {
  view: StoredView | null;
  documents: AgentDocuments;
}

export function prefetchedTransaction(agentId: string, snapshot: AgentSnapshot): ViewTransaction {
  const unavailable = (what: string) => () => {
    throw new Error(`${what} is not part of the prefetched snapshot of agent ${agentId}`);
  };
  const only = (id: string) => {
    if (id !== agentId) throw new Error(`the prefetched snapshot holds agent ${agentId}, not ${id}`);
  };
  return {
    readView: async (id) => (only(id), snapshot.view),
    readAgentDocuments: async (id) => (only(id), snapshot.documents),
    readMarkerAndViews: unavailable("readMarkerAndViews"),
    readViewAndInteractions: unavailable("readViewAndInteractions"),
    agentExists: unavailable("agentExists"),
    lastAddedAt: unavailable("lastAddedAt"),
    interactionExtremes: unavailable("interactionExtremes"),
    writeView: unavailable("writeView"),
    deleteView: unavailable("deleteView"),
    writeMarker: unavailable("writeMarker"),
    createIngestedInteraction: unavailable("createIngestedInteraction"),
  };
}
