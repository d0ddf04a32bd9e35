/**
 * @module view-codec
 * How a sealed view is laid out in a cache document: the view's fields at the top level (so the
 * Firestore console and client SDK readers see plain metrics), its `signature`, and a `_sync` map of
 * bookkeeping that is neither signed nor served. `_sync.sourcesAsOf` is the read time of the last full
 * recompute: a source write committed at or before it is already inside the totals.
 */
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import type { MetricsView, SealedView } from "../domain/metrics-view";
import type { ViewSignature } from "../domain/signing";

export interface StoredView {
  sealed: SealedView;
  sourcesAsOf: Date | null;
}

/** The document to write for a sealed view. */
export function encodeView(sealed: SealedView, sourcesAsOf: Date | null): DocumentData {
  return { ...sealed.data, signature: sealed.signature, _sync: { sourcesAsOf: sourcesAsOf ? Timestamp.fromDate(sourcesAsOf) : null } };
}

/** The stored view in a document, or null when the document is absent. Authenticity is not checked here. */
export function decodeView(doc: DocumentData | undefined): StoredView | null {
  if (!doc) return null;
  const { signature, _sync, ...data } = doc;
  const asOf = _sync?.sourcesAsOf;
  return {
    sealed: { data: data as MetricsView, signature: signature as ViewSignature },
    sourcesAsOf: asOf instanceof Timestamp ? asOf.toDate() : null,
  };
}
