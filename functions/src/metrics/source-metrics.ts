/**
 * @module source-metrics
 * The `sources` block of a metrics view: counts and sums over an agent's context sources.
 *
 * Every total is a sum, so a change is applied as "remove the old contribution, add the new one".
 * Applied once per event in any order, these deltas reach exactly the totals a full recompute gives
 * (the trigger's event markers make "once" hold under redelivery). The one non-additive field,
 * `lastAddedAt`, is a maximum and cannot be un-applied; callers pass the current maximum in, read
 * from source, rather than deriving it from the event.
 */
import { SOURCE_STATUSES, SOURCE_TYPES, type ContextSource } from "../documents/source-documents";
import type { SourcesBlock } from "../contract/schemas/metrics";

export type { SourcesBlock };

/** The part of a source that the totals depend on. */
export type SourceContribution = Pick<ContextSource, "type" | "status" | "sizeBytes" | "tokenCount">;

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** The block of an agent with no sources. */
export function emptySourcesBlock(): SourcesBlock {
  return { count: 0, totalBytes: 0, totalTokens: 0, byType: zeroes(SOURCE_TYPES), byStatus: zeroes(SOURCE_STATUSES), lastAddedAt: null };
}

function shift(block: SourcesBlock, source: SourceContribution, sign: 1 | -1): SourcesBlock {
  return {
    ...block,
    count: block.count + sign,
    totalBytes: block.totalBytes + sign * source.sizeBytes,
    totalTokens: block.totalTokens + sign * source.tokenCount,
    byType: { ...block.byType, [source.type]: block.byType[source.type] + sign },
    byStatus: { ...block.byStatus, [source.status]: block.byStatus[source.status] + sign },
  };
}

/**
 * Applies one source change: `removed` is the source as it was counted before (null on create),
 * `added` as it is now (null on delete). `lastAddedAt` is the newest `createdAt` among the agent's
 * current sources.
 */
export function applySourceChange(
  block: SourcesBlock,
  removed: SourceContribution | null,
  added: SourceContribution | null,
  lastAddedAt: Date | null,
): SourcesBlock {
  let next = block;
  if (removed) next = shift(next, removed, -1);
  if (added) next = shift(next, added, 1);
  return { ...next, lastAddedAt: lastAddedAt ? lastAddedAt.toISOString() : null };
}

/** The block computed from scratch over every current source of one agent. */
export function summarizeSources(sources: readonly ContextSource[]): SourcesBlock {
  let block = emptySourcesBlock();
  let latest: Date | null = null;
  for (const source of sources) {
    block = shift(block, source, 1);
    if (!latest || source.createdAt > latest) latest = source.createdAt;
  }
  return { ...block, lastAddedAt: latest ? latest.toISOString() : null };
}
