/**
 * @module interaction-documents
 * zod schemas of `agent_interactions` documents (as triggers read them) and of the items of
 * `POST /v1/agents/{agentId}/interactions` (as clients send them). A document that does not parse
 * contributes nothing to any view; an item that does not parse is rejected with its reason.
 */
import { z } from "zod";
import { documentId } from "./ids";
import { instant } from "./source-documents";

/**
 * Tokens of one model call: at most a billion, far past any context window, so that sums of many
 * stay exact (the ingestion route also refuses an item that would take a total past the safe range).
 */
export const MAX_TOKENS_PER_INTERACTION = 1_000_000_000;
const count = z.number().int().nonnegative().max(MAX_TOKENS_PER_INTERACTION);
const latencyMs = z.number().nonnegative().max(86_400_000);
/** Model names are free text, bounded so a hostile name cannot bloat a view. */
const model = z.string().min(1).max(128);
export const INTERACTION_STATUSES = ["success", "error", "timeout", "cancelled"] as const;

export const interactionDocumentSchema = z.object({
  agentId: documentId,
  userId: documentId,
  model,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count.optional(),
  latencyMs,
  status: z.enum(INTERACTION_STATUSES),
  occurredAt: instant,
  /** Set only by the ingestion route, whose transaction already counted the document. */
  ingested: z.literal(true).optional(),
});
export type InteractionDocument = z.infer<typeof interactionDocumentSchema>;

/** The furthest in the future an interaction may claim to have happened (clock skew allowance). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export const interactionItemSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1-100 letters, digits or _ . : -"),
  userId: documentId.optional(),
  model,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count.optional(),
  latencyMs,
  status: z.enum(INTERACTION_STATUSES),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type InteractionItem = z.infer<typeof interactionItemSchema>;

export const MAX_INTERACTIONS_PER_REQUEST = 1000;

export const ingestBody = z.strictObject({
  interactions: z.array(z.unknown()).min(1).max(MAX_INTERACTIONS_PER_REQUEST),
});
