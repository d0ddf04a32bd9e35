/**
 * @module interactions
 * The fields of one model call, as `POST /v1/agents/{agentId}/interactions` accepts them (and as the
 * server's `agent_interactions` document schema bounds them too), and the ingest request itself.
 */
import { z } from "zod";
import { MAX_INTERACTIONS_PER_REQUEST } from "../limits";
import { documentId } from "./ids";

/**
 * Tokens of one model call: at most a billion, far past any context window, so that sums of many
 * stay exact (the ingestion route also refuses an item that would take a total past the safe range).
 */
export const MAX_TOKENS_PER_INTERACTION = 1_000_000_000;
export const tokenCount = z.number().int().nonnegative().max(MAX_TOKENS_PER_INTERACTION);
export const latencyMs = z.number().nonnegative().max(86_400_000);
/** Model names are free text, bounded so a hostile name cannot bloat a view. */
export const modelName = z.string().min(1).max(128);
export const INTERACTION_STATUSES = ["success", "error", "timeout", "cancelled"] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

/** The furthest in the future an interaction may claim to have happened (clock skew allowance). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** What one model call measured: the same fields in an ingest item and in an `agent_interactions` document. */
export const interactionMeasures = {
  model: modelName,
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  cacheReadTokens: tokenCount.optional(),
  latencyMs,
  status: z.enum(INTERACTION_STATUSES),
};

/** One item of an ingest: the `agent_interactions` fields but `agentId` (the route's), with a client `id`. */
export const interactionItemSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1-100 letters, digits or _ . : -"),
    userId: documentId.optional(),
    ...interactionMeasures,
    occurredAt: z.iso.datetime({ offset: true }),
  })
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
