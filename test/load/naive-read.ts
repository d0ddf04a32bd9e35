/**
 * @module naive-read
 * The baseline the derived view replaces: computing an agent's metrics on request by reading every
 * source (and, for the whole view, every interaction) of the agent with firebase-admin, with the same
 * schemas and domain functions the product's full recompute uses, so the two differ only in when the
 * work is done and the naive read's answer carries the same blocks the product serves.
 */
import type { Firestore, QuerySnapshot } from "firebase-admin/firestore";
import { renderAgent, summarizeAgent } from "../../functions/src/metrics/agent-view";
import { nextRevision, seal } from "../../functions/src/metrics/metrics-view";
import { summarizeSources, type SourcesBlock } from "../../functions/src/metrics/source-metrics";
import { interactionDocumentSchema } from "../../functions/src/documents/interaction-documents";
import { contextSourceSchema } from "../../functions/src/documents/source-documents";
import type { ViewContext } from "../../functions/src/agent-views/agent-fold";
import type { Pricing } from "../../functions/src/pricing/pricing";
import { COLLECTIONS } from "../../functions/src/documents/collections";

export interface NaiveRead {
  block: SourcesBlock;
  /** Documents the query returned: the reads it is billed for (measured, not derived). */
  documentsRead: number;
  elapsedMs: number;
}

/** The documents of `snap` that parse with `schema`, as the product's recompute keeps them. */
function parsed<T>(snap: QuerySnapshot, schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } }): T[] {
  return snap.docs.flatMap((doc) => {
    const result = schema.safeParse(doc.data());
    return result.success ? [result.data] : [];
  });
}

const ofAgent = (db: Firestore, collection: string, agentId: string) => db.collection(collection).where("agentId", "==", agentId).get();

/** The `sources` block alone, from every source document of the agent. */
export async function naiveSourcesBlock(db: Firestore, agentId: string): Promise<NaiveRead> {
  const startedAt = performance.now();
  const snap = await ofAgent(db, COLLECTIONS.contextSources, agentId);
  const block = summarizeSources(parsed(snap, contextSourceSchema));
  return { block, documentsRead: snap.size, elapsedMs: performance.now() - startedAt };
}

/**
 * The whole response body of a metrics read, computed on request from every source and interaction
 * of the agent: rendered, versioned and signed as the product does, answered as `meta.cache: "computed"`.
 */
export async function naiveMetricsBody(db: Firestore, agentId: string, ctx: ViewContext & { pricing: Pricing }) {
  const [sourceSnap, interactionSnap] = await Promise.all([ofAgent(db, COLLECTIONS.contextSources, agentId), ofAgent(db, COLLECTIONS.interactions, agentId)]);
  const now = ctx.now();
  const interactions = parsed(interactionSnap, interactionDocumentSchema);
  const state = summarizeAgent(parsed(sourceSnap, contextSourceSchema), interactions, ctx.pricing, now);
  const sealed = seal(nextRevision("agent", agentId, null, renderAgent(state, now), now), ctx.keyring, now);
  // The shape of a metrics answer (`http/metrics-response.ts`) for a view computed on this request.
  return { data: sealed.data, signature: sealed.signature, meta: { cache: "computed", ageMs: 0, stale: false } };
}
