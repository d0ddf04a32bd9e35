/**
 * @module interactions
 * The fields of one model call, as `POST /v1/agents/{agentId}/interactions` accepts them (and as the
 * server's `agent_interactions` document schema bounds them too), and the ingest request itself.
 */
import { z } from "zod";
import { MAX_INTERACTIONS_PER_REQUEST } from "../limits";
import { boundedText, documentId } from "./ids";
import { isStorableTime, MAX_FUTURE_SKEW_MS, MAX_LATENCY_MS, MAX_TOKENS_PER_INTERACTION, MODEL_MAX_LENGTH } from "../document-bounds";

export { MAX_FUTURE_SKEW_MS, MAX_TOKENS_PER_INTERACTION };

/**
 * Tokens of one model call (bounds in `document-bounds.ts`, shared with firestore.rules); the ingestion
 * route also refuses an item that would take a total past the safe range.
 */
export const tokenCount = z.number().int().nonnegative().max(MAX_TOKENS_PER_INTERACTION);
export const latencyMs = z.number().nonnegative().max(MAX_LATENCY_MS);
export const modelName = boundedText(MODEL_MAX_LENGTH);
export const INTERACTION_STATUSES = ["success", "error", "timeout", "cancelled"] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

/** What one model call measured: the same fields in an ingest item and in an `agent_interactions` document. */
export const interactionMeasures = {
  model: modelName,
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  cacheReadTokens: tokenCount.optional(),
  cacheWriteTokens: tokenCount.optional(),
  reasoningTokens: tokenCount.optional().meta({ description: "The part of outputTokens spent reasoning (never above it)." }),
  latencyMs,
  timeToFirstTokenMs: latencyMs.optional().meta({ description: "From the request to the first streamed token (never above latencyMs)." }),
  status: z.enum(INTERACTION_STATUSES),
};

/** The measures as parsed (the optional fields as the schema types them). */
interface Measures {
  outputTokens: number;
  reasoningTokens?: number;
  latencyMs: number;
  timeToFirstTokenMs?: number;
}

/**
 * The checks between fields: reasoning is part of the output, and the first token comes before the
 * last. The same two lines are in firestore.rules' `validInteraction`, so a document either path
 * admits is one the views count.
 */
export function checkMeasures(m: Measures, ctx: z.RefinementCtx): void {
  if (m.reasoningTokens !== undefined && m.reasoningTokens > m.outputTokens) ctx.addIssue({ code: "custom", path: ["reasoningTokens"], message: "must not be above outputTokens (reasoning is part of the output)" });
  if (m.timeToFirstTokenMs !== undefined && m.timeToFirstTokenMs > m.latencyMs) ctx.addIssue({ code: "custom", path: ["timeToFirstTokenMs"], message: "must not be above latencyMs" });
}

/** One item of an ingest: the `agent_interactions` fields but `agentId` (the route's), with a client `id`. */
export const interactionItemSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1-100 letters, digits or _ . : -"),
    userId: documentId.optional(),
    ...interactionMeasures,
    // An offset can carry a valid text past Firestore's range ("0001-01-01T00:30:00+01:00" is year 0 in UTC).
    occurredAt: z.iso.datetime({ offset: true }).refine((text) => isStorableTime(Date.parse(text)), "is outside the times Firestore can store (0001-01-01 to 9999-12-31 UTC)"),
  })
  .superRefine(checkMeasures)
  .meta({ id: "InteractionItem" });
export type InteractionItem = z.infer<typeof interactionItemSchema>;

/**
 * The body of an ingest. Items are checked one by one (a bad item is rejected with its reason, the
 * others are taken), so the request schema holds only the list's bounds.
 */
export const ingestBody = z.strictObject({
  interactions: z.array(z.unknown()).min(1).max(MAX_INTERACTIONS_PER_REQUEST).meta({ description: `1 to ${MAX_INTERACTIONS_PER_REQUEST} items, each an InteractionItem; one that is not is rejected with its index and reason.` }),
});

/** `202`: how many items were stored, how many were already stored (same client id), and why the others were not. */
export const ingestResult = z
  .strictObject({
    accepted: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    rejected: z.array(z.strictObject({ index: z.number().int().nonnegative(), reason: z.string() })),
  })
  .meta({ id: "IngestResult" });
export type IngestResult = z.infer<typeof ingestResult>;
