/**
 * @module view-codec
 * How a sealed view is laid out in a cache document: the view's fields at the top level (so the
 * Firestore console and client SDK readers see plain metrics), its `signature`, and two maps that are
 * neither signed nor served:
 *  - `_sync`: per kind of source document, the read time of the last full recompute (a write committed
 *    at or before it is already inside the totals), and on rollups when the agents were last summed;
 *  - `_state`: the exact accumulators of agent views (interaction sums, histograms, hourly buckets),
 *    from which the served blocks are rendered;
 *  - `_access`: on agent views, the agent's `ownerId` and `orgId`, kept by every view write and by the
 *    agent trigger, so serving a view needs no read of the agent.
 * Only functions can write these documents.
 */
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import type { AgentOwnership } from "../domain/access-policy";
import type { AgentState } from "../domain/agent-view";
import { emptyInteractionsState } from "../domain/interaction-metrics";
import type { MetricsView, SealedView } from "../domain/metrics-view";
import type { ViewSignature } from "../domain/signing";
import { emptyWindowsState } from "../domain/window-buckets";
import type { StoredView, Watermarks } from "../views/stored-view";

const stamp = (date: Date | null | undefined) => (date ? Timestamp.fromDate(date) : null);
const unstamp = (value: unknown) => (value instanceof Timestamp ? value.toDate() : null);

/**
 * The fields a read that only serves views needs: the view, its signature and the agent's owner. A
 * Firestore field mask of these leaves out `_state` and `_sync`, most of a document's bytes (about
 * 6 of 8 KB for a small agent), and makes a `getAll` of 100 views several times faster.
 */
export const SERVED_VIEW_FIELDS: readonly string[] = ["scope", "id", "sources", "interactions", "windows", "agentCount", "computedAt", "version", "signature", "_access"];

/** The document to write for a sealed view. */
export function encodeView(sealed: SealedView, options: { watermarks?: Watermarks; foldedAt?: Date; state?: AgentState; access?: AgentOwnership | null } = {}): DocumentData {
  const doc: DocumentData = {
    ...sealed.data,
    signature: sealed.signature,
    _sync: {
      sourcesAsOf: stamp(options.watermarks?.source),
      interactionsAsOf: stamp(options.watermarks?.interaction),
      foldedAt: stamp(options.foldedAt),
    },
  };
  if (options.state) doc._state = { interactions: options.state.interactions, windows: options.state.windows };
  if (options.access !== undefined) doc._access = encodeAccess(options.access);
  return doc;
}

/** The `_access` field of an agent view. */
export const encodeAccess = (access: AgentOwnership | null): DocumentData | null => (access ? { ownerId: access.ownerId, orgId: access.orgId } : null);

function decodeAccess(value: unknown): AgentOwnership | null {
  const { ownerId, orgId } = (value ?? {}) as Record<string, unknown>;
  return typeof ownerId === "string" && typeof orgId === "string" ? { ownerId, orgId } : null;
}

/** The stored view in a document, or null when the document is absent. Authenticity is not checked here. */
export function decodeView(doc: DocumentData | undefined): StoredView | null {
  if (!doc) return null;
  const { signature, _sync, _state, _access, ...data } = doc;
  return {
    sealed: { data: data as MetricsView, signature: signature as ViewSignature },
    watermarks: { source: unstamp(_sync?.sourcesAsOf), interaction: unstamp(_sync?.interactionsAsOf) },
    foldedAt: unstamp(_sync?.foldedAt),
    accumulators: _state ? { interactions: _state.interactions ?? emptyInteractionsState(), windows: _state.windows ?? emptyWindowsState() } : null,
    access: decodeAccess(_access),
  };
}
