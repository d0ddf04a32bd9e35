/**
 * @module aggregate-read
 * The third baseline: Firestore's own aggregation queries (`count()`, `sum()`), run on request, for
 * the parts of an agent's metrics they can answer. Billed one read per started 1,000 index entries
 * each query matches, so they are cheap in reads, but they still scan the agent's index entries on
 * every request, and they cannot answer the rest: costs (per-model token sums times prices, for
 * models not known in advance), latency percentiles, the windows' p95, `byModel`, and the maxima
 * (`lastAddedAt`, `lastAt`, `max` latency), which need ordered queries instead.
 *
 * Every query asks for `count` too: the read counter charges aggregations from it (read-counter.ts).
 */
import { AggregateField, type Firestore, type Query } from "firebase-admin/firestore";
import { SOURCE_STATUSES, SOURCE_TYPES } from "../../functions/src/documents/source-documents";
import { COLLECTIONS } from "../../functions/src/documents/collections";

/** What the aggregations answer, named as in the served view. */
export interface AggregatedMetrics {
  sources: { count: number; totalBytes: number; totalTokens: number; byType: Record<string, number>; byStatus: Record<string, number> };
  interactions: { count: number; errorCount: number; inputTokens: number; outputTokens: number; cacheReadTokens: number };
}

const countOf = async (query: Query) => (await query.aggregate({ count: AggregateField.count() }).get()).data().count;

/** Runs every aggregation the metrics allow (12 queries, in parallel) for one agent. */
export async function aggregatedMetrics(db: Firestore, agentId: string): Promise<AggregatedMetrics> {
  const sources = db.collection(COLLECTIONS.contextSources).where("agentId", "==", agentId);
  const interactions = db.collection(COLLECTIONS.interactions).where("agentId", "==", agentId);
  const [sourceSums, interactionSums, errorCount, byType, byStatus] = await Promise.all([
    sources.aggregate({ count: AggregateField.count(), totalBytes: AggregateField.sum("sizeBytes"), totalTokens: AggregateField.sum("tokenCount") }).get(),
    interactions
      .aggregate({ count: AggregateField.count(), inputTokens: AggregateField.sum("inputTokens"), outputTokens: AggregateField.sum("outputTokens"), cacheReadTokens: AggregateField.sum("cacheReadTokens") })
      .get(),
    countOf(interactions.where("status", "!=", "success")),
    Promise.all(SOURCE_TYPES.map((type) => countOf(sources.where("type", "==", type)))),
    Promise.all(SOURCE_STATUSES.map((status) => countOf(sources.where("status", "==", status)))),
  ]);
  const s = sourceSums.data();
  const i = interactionSums.data();
  return {
    sources: {
      count: s.count,
      totalBytes: s.totalBytes,
      totalTokens: s.totalTokens,
      byType: Object.fromEntries(SOURCE_TYPES.map((type, k) => [type, byType[k]])),
      byStatus: Object.fromEntries(SOURCE_STATUSES.map((status, k) => [status, byStatus[k]])),
    },
    interactions: { count: i.count, errorCount, inputTokens: i.inputTokens, outputTokens: i.outputTokens, cacheReadTokens: i.cacheReadTokens },
  };
}
