/**
 * @module drift-audit
 * The reconcile's cheap check of a view against its documents: counts and sums that Firestore's
 * `count()` and `sum()` aggregations compute from the index (one billed read per 1,000 documents)
 * compared with the view's totals. Equal figures make drift very unlikely, and then no document is
 * read; a difference is confirmed (or explained) by a fold and, failing that, a full recompute.
 * Documents that do not parse are in the aggregations but not in the view (firestore.rules admit
 * none, but the Admin SDK can write them), so an agent that has some always differs. Once a recompute
 * leaves such a difference as it was, the audit records it (`UncountedRecord`) and later passes accept
 * exactly that difference without a recompute: an agent is recomputed again only when its documents
 * or its view change, never every pass over documents it cannot count.
 */
import type { MetricsView } from "../metrics/metrics-view";

/** What the aggregations say of an agent's documents. */
export interface DocumentTotals {
  sources: { count: number; sizeBytes: number; tokenCount: number };
  interactions: { count: number; inputTokens: number; outputTokens: number };
}

/** A view's totals in the aggregations' terms. */
export function totalsOfView(view: Pick<MetricsView, "sources" | "interactions">): DocumentTotals {
  const { sources: s, interactions: i } = view;
  return {
    sources: { count: s.count, sizeBytes: s.totalBytes, tokenCount: s.totalTokens },
    interactions: { count: i.count, inputTokens: i.inputTokens, outputTokens: i.outputTokens },
  };
}

/** The figures that differ between a view and its documents' aggregations (empty when they agree). */
export function driftBetween(view: Pick<MetricsView, "sources" | "interactions"> | null, totals: DocumentTotals): string[] {
  const expected: Array<[string, number, number]> = [
    ["sources.count", view?.sources.count ?? 0, totals.sources.count],
    ["sources.totalBytes", view?.sources.totalBytes ?? 0, totals.sources.sizeBytes],
    ["sources.totalTokens", view?.sources.totalTokens ?? 0, totals.sources.tokenCount],
    ["interactions.count", view?.interactions.count ?? 0, totals.interactions.count],
    ["interactions.inputTokens", view?.interactions.inputTokens ?? 0, totals.interactions.inputTokens],
    ["interactions.outputTokens", view?.interactions.outputTokens ?? 0, totals.interactions.outputTokens],
  ];
  return expected.filter(([, stored, counted]) => stored !== counted).map(([field]) => field);
}

/**
 * Which agents of the `total` ordered agents one pass audits so that `passesPerCycle` passes audit
 * them all: a slice of ⌈total / passesPerCycle⌉ from the cursor, wrapping round.
 */
export function auditSliceSize(total: number, passesPerCycle: number): number {
  return total === 0 ? 0 : Math.ceil(total / passesPerCycle);
}

/** A difference a recompute could not explain: the view's totals and the aggregations' as they were then. */
export interface UncountedRecord {
  stored: DocumentTotals;
  counted: DocumentTotals;
}

const sameTotals = (a: DocumentTotals, b: DocumentTotals) =>
  a.sources.count === b.sources.count &&
  a.sources.sizeBytes === b.sources.sizeBytes &&
  a.sources.tokenCount === b.sources.tokenCount &&
  a.interactions.count === b.interactions.count &&
  a.interactions.inputTokens === b.interactions.inputTokens &&
  a.interactions.outputTokens === b.interactions.outputTokens;

/** Whether the view and the aggregations still stand exactly as when `record` was taken: nothing new to explain. */
export function isKnownDifference(record: UncountedRecord | null, stored: DocumentTotals, counted: DocumentTotals): boolean {
  return record !== null && sameTotals(record.stored, stored) && sameTotals(record.counted, counted);
}
