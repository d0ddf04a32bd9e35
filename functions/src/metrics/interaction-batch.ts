/**
 * @module interaction-batch
 * Sorting the items of one ingestion request: each is validated on its own, so one bad item is
 * rejected with its reason while the others go in; an id repeated within the request counts once; an
 * item that would take one of the agent's token totals past the safe-integer range is refused, so a
 * served total is always exact.
 * Document ids derive from the agent and the client's id, so a re-sent interaction lands on the
 * same document and is recognised as a duplicate.
 */
import { createHash } from "node:crypto";
import type { InteractionContribution } from "./interaction-metrics";
import { interactionItemSchema, MAX_FUTURE_SKEW_MS } from "../contract/schemas/interactions";

export interface AcceptedItem {
  /** Its position in the request, for a rejection found later (an id another agent holds). */
  index: number;
  docId: string;
  userId: string;
  interaction: InteractionContribution;
}

export interface SortedBatch {
  accepted: AcceptedItem[];
  /** Items whose id appeared earlier in the same request. */
  repeated: number;
  rejected: Array<{ index: number; reason: string }>;
}

/** The document id of the interaction `clientId` of `agentId`. */
export function interactionDocId(agentId: string, clientId: string): string {
  return `i_${createHash("sha256").update(`${agentId}\u0000${clientId}`).digest("base64url").slice(0, 32)}`;
}

/** The token totals an ingest adds to. */
export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Totals of an agent with nothing counted yet. */
export const NO_TOKENS: Readonly<TokenTotals> = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

/**
 * How far below `Number.MAX_SAFE_INTEGER` a total must stay when a request is accepted: room for the
 * items accepted meanwhile and not yet folded into the totals the check saw (140,000 interactions of
 * the largest size the schema allows).
 */
export const TOTALS_RESERVE = 2 ** 47;

/** Validates every item against the schema and `totals` (the agent's totals as last seen); never throws. */
export function sortBatch(agentId: string, items: readonly unknown[], sessionUid: string, now: Date, totals: TokenTotals = NO_TOKENS): SortedBatch {
  const seen = new Set<string>();
  const running = { ...totals };
  const limit = Number.MAX_SAFE_INTEGER - TOTALS_RESERVE;
  const batch: SortedBatch = { accepted: [], repeated: 0, rejected: [] };
  items.forEach((item, index) => {
    const parsed = interactionItemSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      batch.rejected.push({ index, reason: `${issue.path.map(String).join(".") || "item"}: ${issue.message}` });
      return;
    }
    const { id, userId, occurredAt, ...fields } = parsed.data;
    const at = new Date(occurredAt);
    if (at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
      batch.rejected.push({ index, reason: "occurredAt: is in the future" });
      return;
    }
    if (seen.has(id)) {
      batch.repeated += 1;
      return;
    }
    // Reasoning is part of the output, so the output total bounds it too.
    const adds: TokenTotals = { inputTokens: fields.inputTokens, outputTokens: fields.outputTokens, cacheReadTokens: fields.cacheReadTokens ?? 0, cacheWriteTokens: fields.cacheWriteTokens ?? 0 };
    const over = (Object.keys(adds) as Array<keyof TokenTotals>).find((field) => running[field] + adds[field] > limit);
    if (over) {
      batch.rejected.push({ index, reason: `${over}: the agent's total would pass the largest exact integer` });
      return;
    }
    for (const field of Object.keys(adds) as Array<keyof TokenTotals>) running[field] += adds[field];
    seen.add(id);
    batch.accepted.push({ index, docId: interactionDocId(agentId, id), userId: userId ?? sessionUid, interaction: { ...fields, occurredAt: at } });
  });
  return batch;
}
