/**
 * @module view-codec
 * How a sealed view is laid out in a cache document: the view's fields at the top level (so the
 * Firestore console and client SDK readers see plain metrics), its `signature`, and fields that are
 * neither signed nor served:
 *  - `_state`: the exact state the view was rendered from (accumulators, buckets, model registry),
 *    deflated in one Bytes value (state-codec);
 *  - `_sync`: the read time of the last full recompute (`watermark`: a write committed at or before it
 *    is in the state), when the view's content last changed (`changedAt`, the reconcile's change
 *    feed), when its windows next roll (`rollAt`), the digest of the prices its costs were computed
 *    with (`pricedWith`), and on rollups when the agents were last summed (`foldedAt`);
 *  - `_models`: the model names its costs were priced for (at most 100, and "*" past that), so a change
 *    of prices finds the views it affects with one `array-contains-any` query;
 *  - `_access`: on agent views, the agent's `ownerId` and `orgId`, kept by every fold, so serving a
 *    view needs no read of the agent, with the server's signature over them and the revision
 *    (`metrics/access-seal`): readers verify it before deciding on it.
 * Only functions can write these documents.
 */
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import type { SealedAccess, StoredAccess } from "../metrics/access-seal";
import type { MetricsView, SealedView } from "../metrics/metrics-view";
import type { ViewSignature } from "../signing/signing";
import type { StoredView } from "./stored-view";
import type { ViewBookkeeping } from "./view-transaction";
import { decodeState, encodeState } from "./state-codec";
import type { AgentState } from "../metrics/agent-view";

/** The `_models` entry that stands for "any model": the view priced more names than it lists. */
export const ANY_MODEL = "*";

const stamp = (date: Date | null | undefined) => (date ? Timestamp.fromDate(date) : null);
const unstamp = (value: unknown) => (value instanceof Timestamp ? value.toDate() : null);

/**
 * The fields a read that only serves views needs: the view, its signature and the agent's owner. A
 * Firestore field mask of these leaves out `_state`, most of a document's bytes, and makes a `getAll`
 * of 100 views several times faster.
 */
export const SERVED_VIEW_FIELDS: readonly string[] = ["scope", "id", "sources", "interactions", "windows", "agentCount", "computedAt", "version", "signature", "_access"];

/**
 * The fields a series read needs: the served fields, whose signature tells the stored revision is
 * authentic (a signature cannot be checked over part of what it signed), and the state the series
 * is rendered from.
 */
export const SERIES_VIEW_FIELDS: readonly string[] = [...SERVED_VIEW_FIELDS, "_state"];

/** The names a state's costs were priced for, as `_models` lists them. */
function pricedModelsOf(state: AgentState): string[] {
  return state.models.seenOverflow ? [...state.models.seen, ANY_MODEL] : state.models.seen;
}

/** The document of an agent view. */
export function encodeAgentView(sealed: SealedView, b: ViewBookkeeping): DocumentData {
  return {
    ...sealed.data,
    signature: sealed.signature,
    _sync: { watermark: stamp(b.watermark), changedAt: stamp(b.changedAt), rollAt: stamp(b.rollAt), pricedWith: b.pricedWith },
    _models: pricedModelsOf(b.state),
    _state: encodeState(b.state),
    _access: encodeAccess(b.access),
  };
}

/** The document of a user or organization rollup. */
export function encodeRollupView(sealed: SealedView, b: { state: AgentState; foldedAt: Date; changedAt: Date; rollAt: Date | null }): DocumentData {
  return {
    ...sealed.data,
    signature: sealed.signature,
    _sync: { foldedAt: stamp(b.foldedAt), changedAt: stamp(b.changedAt), rollAt: stamp(b.rollAt) },
    _state: encodeState(b.state),
  };
}

/** The `_access` field of an agent view. */
const encodeAccess = (access: SealedAccess | null): DocumentData | null => (access ? { ownerId: access.ownerId, orgId: access.orgId, signature: access.signature } : null);

/** `_access` as stored, its signature not checked (`verifiedAccess` does that). */
function decodeAccess(value: unknown): StoredAccess | null {
  const { ownerId, orgId, signature } = (value ?? {}) as Record<string, unknown>;
  if (typeof ownerId !== "string" || typeof orgId !== "string") return null;
  return signature && typeof signature === "object" ? { ownerId, orgId, signature: signature as SealedAccess["signature"] } : { ownerId, orgId };
}

/** The stored view in a document, or null when the document is absent. Authenticity is not checked here. */
export function decodeView(doc: DocumentData | undefined): StoredView | null {
  if (!doc) return null;
  const { signature, _sync, _state, _access, _models: _ignored, ...data } = doc;
  return {
    sealed: { data: data as MetricsView, signature: signature as ViewSignature },
    watermark: unstamp(_sync?.watermark),
    foldedAt: unstamp(_sync?.foldedAt),
    changedAt: unstamp(_sync?.changedAt),
    pricedWith: typeof _sync?.pricedWith === "string" ? _sync.pricedWith : null,
    state: decodeState(_state),
    access: decodeAccess(_access),
  };
}
