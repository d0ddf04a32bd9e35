/**
 * @module stored-view
 * A stored agent, user or organization view as the view logic sees it, whatever holds it (a Firestore
 * document, see `store/view-codec`, or a map in a test): the sealed view, the watermarks of the last
 * full recompute, the exact accumulators an agent view is rendered from, and the agent's owner and
 * organization, so that one read of the view is enough to decide who may read it.
 */
import type { AgentOwnership } from "../domain/access-policy";
import type { ChangeKind } from "../domain/agent-change";
import type { AgentState } from "../domain/agent-view";
import { emptyInteractionsState, type InteractionsState } from "../domain/interaction-metrics";
import type { SealedView } from "../domain/metrics-view";
import { emptyWindowsState, type WindowsState } from "../domain/window-buckets";

/** Per kind of source document, the read time of the last full recompute (null when there was none). */
export type Watermarks = Record<ChangeKind, Date | null>;

export interface StoredView {
  sealed: SealedView;
  watermarks: Watermarks;
  foldedAt: Date | null;
  accumulators: { interactions: InteractionsState; windows: WindowsState } | null;
  /**
   * Agent views: the agent's owner and organization as of the last write of the view or of the agent
   * (null when unknown: a view written before this field existed, or an agent document that does not
   * parse). Not signed and never served: only functions write it, and readers fall back to the agent
   * document when it is null.
   */
  access: AgentOwnership | null;
}

/** Whether two ownership records name the same owner and organization (both null counts as the same). */
export function sameOwnership(a: AgentOwnership | null, b: AgentOwnership | null): boolean {
  if (!a || !b) return a === b;
  return a.ownerId === b.ownerId && a.orgId === b.orgId;
}

/** The agent state a stored (and verified) agent view was rendered from. */
export function agentStateOf(stored: StoredView): AgentState {
  const data = stored.sealed.data;
  return {
    sources: data.sources,
    interactions: stored.accumulators?.interactions ?? emptyInteractionsState(),
    windows: stored.accumulators?.windows ?? emptyWindowsState(),
    extremes: {
      lastAt: data.interactions?.lastAt ? new Date(data.interactions.lastAt) : null,
      maxLatencyMs: data.interactions?.latencyMs.max ?? 0,
    },
  };
}
