/**
 * @module naive-read
 * The baseline the derived view replaces: computing an agent's `sources` block on request by reading
 * every source document of the agent with firebase-admin and summing, with the same schema and sum
 * the view uses (so the two differ only in when the work is done).
 */
import type { Firestore } from "firebase-admin/firestore";
import { summarizeSources, type SourcesBlock } from "../../functions/src/domain/source-metrics";
import { contextSourceSchema } from "../../functions/src/schemas/source-documents";
import { COLLECTIONS } from "../../functions/src/store/collections";

export interface NaiveRead {
  block: SourcesBlock;
  /** Documents the query returned: the reads it is billed for (measured, not derived). */
  documentsRead: number;
  elapsedMs: number;
}

export async function naiveSourcesBlock(db: Firestore, agentId: string): Promise<NaiveRead> {
  const startedAt = performance.now();
  const snap = await db.collection(COLLECTIONS.contextSources).where("agentId", "==", agentId).get();
  const sources = snap.docs.flatMap((doc) => {
    const parsed = contextSourceSchema.safeParse(doc.data());
    return parsed.success ? [parsed.data] : [];
  });
  const block = summarizeSources(sources);
  return { block, documentsRead: snap.size, elapsedMs: performance.now() - startedAt };
}
