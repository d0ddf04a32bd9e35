/**
 * @module view-codec
 * How a sealed view is laid out in a cache document: the view's fields at the top level (so the
 * Firestore console and client SDK readers see plain metrics), its `signature`, and a `_sync` map of
 * bookkeeping that is neither signed nor served. On agent views `_sync.sourcesAsOf` is the read time of
 * the last full recompute: a source write committed at or before it is already inside the totals. On
 * user and organization views `_sync.foldedAt` is when the agents were last summed.
 */
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import type { MetricsView, SealedView } from "../domain/metrics-view";
import type { ViewSignature } from "../domain/signing";

export interface StoredView {
  sealed: SealedView;
  sourcesAsOf: Date | null;
  foldedAt?: Date | null;
}

const stamp = (date: Date | null | undefined) => (date ? Timestamp.fromDate(date) : null);
const unstamp = (value: unknown) => (value instanceof Timestamp ? value.toDate() : null);

/** The document to write for a sealed view. */
export function encodeView(sealed: SealedView, sourcesAsOf: Date | null, foldedAt?: Date): DocumentData {
  return { ...sealed.data, signature: sealed.signature, _sync: { sourcesAsOf: stamp(sourcesAsOf), foldedAt: stamp(foldedAt) } };
}

/** The stored view in a document, or null when the document is absent. Authenticity is not checked here. */
export function decodeView(doc: DocumentData | undefined): StoredView | null {
  if (!doc) return null;
  const { signature, _sync, ...data } = doc;
  return {
    sealed: { data: data as MetricsView, signature: signature as ViewSignature },
    sourcesAsOf: unstamp(_sync?.sourcesAsOf),
    foldedAt: unstamp(_sync?.foldedAt),
  };
}
