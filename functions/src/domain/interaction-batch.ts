/**
 * @module interaction-batch
 * Sorting the items of one ingestion request: each is validated on its own, so one bad item is
 * rejected with its reason while the others go in; an id repeated within the request counts once.
 * Document ids derive from the agent and the client's id, so a re-sent interaction lands on the
 * same document and is recognised as a duplicate.
 */
import { createHash } from "node:crypto";
import type { InteractionContribution } from "./interaction-metrics";
import { interactionItemSchema, MAX_FUTURE_SKEW_MS } from "../schemas/interaction-documents";

export interface AcceptedItem {
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

/** Validates every item; never throws. */
export function sortBatch(agentId: string, items: readonly unknown[], sessionUid: string, now: Date): SortedBatch {
  const seen = new Set<string>();
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
    seen.add(id);
    batch.accepted.push({ docId: interactionDocId(agentId, id), userId: userId ?? sessionUid, interaction: { ...fields, occurredAt: at } });
  });
  return batch;
}
