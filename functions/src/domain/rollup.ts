/**
 * @module rollup
 * A user's or organization's metrics are the sum of its agents' views. Summing finished agent views
 * (rather than applying every source event to the rollup too) keeps the organization document out of
 * the write path: a busy organization's agents never contend on it.
 */
import type { MetricsView, ViewContent } from "./metrics-view";
import { emptySourcesBlock, type SourcesBlock } from "./source-metrics";

function addSources(total: SourcesBlock, block: SourcesBlock): SourcesBlock {
  const byType = { ...total.byType };
  for (const [type, n] of Object.entries(block.byType) as Array<[keyof SourcesBlock["byType"], number]>) byType[type] += n;
  const byStatus = { ...total.byStatus };
  for (const [status, n] of Object.entries(block.byStatus) as Array<[keyof SourcesBlock["byStatus"], number]>) byStatus[status] += n;
  const lastAddedAt = [total.lastAddedAt, block.lastAddedAt].filter((t): t is string => t !== null).sort().pop() ?? null;
  return {
    count: total.count + block.count,
    totalBytes: total.totalBytes + block.totalBytes,
    totalTokens: total.totalTokens + block.totalTokens,
    byType,
    byStatus,
    lastAddedAt,
  };
}

/** The content of a rollup over `agentCount` agents whose existing views are `agentViews`. */
export function rollUpViews(agentViews: readonly MetricsView[], agentCount: number): ViewContent {
  return { sources: agentViews.reduce((total, view) => addSources(total, view.sources), emptySourcesBlock()), agentCount };
}
