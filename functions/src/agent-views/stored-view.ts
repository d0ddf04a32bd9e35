/**
 * @module stored-view
 * A stored agent, user or organization view as the view logic sees it, whatever holds it (a Firestore
 * document, see `agent-views/view-codec`, or a map in a test): the sealed view, the watermark of the last
 * full recompute, the exact state it was rendered from, the digest of the prices that state was priced
 * with, and the agent's owner and organization, so that one read of the view is enough to decide who
 * may read it.
 */
import type { AgentOwnership } from "../documents/source-documents";
import type { StoredAccess } from "../metrics/access-seal";
import type { AgentState } from "../metrics/agent-view";
import type { SealedView } from "../metrics/metrics-view";

export interface StoredView {
  sealed: SealedView;
  /** When the last full recompute read the documents (null when there was none). */
  watermark: Date | null;
  /** Rollups: when the agents were last summed. */
  foldedAt: Date | null;
  /** The state the view was rendered from; null when the read left it out (a serving read's field mask). */
  state: AgentState | null;
  /** The digest of the prices the state was priced with (null when unknown). */
  pricedWith: string | null;
  /** When the served content last changed (null when unknown). */
  changedAt: Date | null;
  /**
   * Agent views: the agent's owner and organization as of the last write of the view (null when
   * unknown: an agent document that does not parse), as stored. Never served, and signed apart from
   * the view: a reader decides on it only once `verifiedAccess` has checked it, and otherwise falls
   * back to the agent document.
   */
  access: StoredAccess | null;
}

/** Whether two ownership records name the same owner and organization (both null counts as the same). */
export function sameOwnership(a: AgentOwnership | null, b: AgentOwnership | null): boolean {
  if (!a || !b) return a === b;
  return a.ownerId === b.ownerId && a.orgId === b.orgId;
}
