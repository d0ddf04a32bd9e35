/**
 * @module source-documents
 * zod schemas of the source collections apps write (`agents`, `users`, `context_sources`). Triggers
 * parse every snapshot with these: a document that does not parse contributes nothing to any view and
 * is logged, so a bad write can neither crash a trigger into a retry loop nor corrupt a total.
 */
import { z } from "zod";
import { documentId } from "../contract/schemas/ids";
import { MAX_SOURCE_BYTES, MAX_SOURCE_TOKENS } from "../contract/document-bounds";
import { SOURCE_STATUSES, SOURCE_TYPES, type SourceStatus, type SourceType } from "../contract/source-kinds";

/**
 * A Firestore Timestamp (anything with `toDate()`) or a Date. Strings are refused on purpose: Firestore
 * orders strings after timestamps, so a string time would break "newest first" queries.
 */
export const instant = z.preprocess((value) => {
  if (value && typeof value === "object" && typeof (value as { toDate?: unknown }).toDate === "function") {
    return (value as { toDate(): Date }).toDate();
  }
  return value;
}, z.date().refine((d) => !Number.isNaN(d.getTime()), "is not a valid time"));

/** Bounds of one source (`document-bounds.ts`, shared with firestore.rules). */
const sizeBytes = z.number().int().nonnegative().max(MAX_SOURCE_BYTES);
const tokenCount = z.number().int().nonnegative().max(MAX_SOURCE_TOKENS);

export { SOURCE_STATUSES, SOURCE_TYPES, type SourceStatus, type SourceType };

export const contextSourceSchema = z.object({
  agentId: documentId,
  type: z.enum(SOURCE_TYPES),
  sizeBytes,
  tokenCount,
  status: z.enum(SOURCE_STATUSES),
  createdAt: instant,
  updatedAt: instant,
});
export type ContextSource = z.infer<typeof contextSourceSchema>;

export const agentSchema = z.object({
  name: z.string().max(500),
  ownerId: documentId,
  orgId: documentId,
  createdAt: instant.optional(),
});
export type Agent = z.infer<typeof agentSchema>;

/** Who owns an agent, as its document says: the facts every access decision and view's `_access` rest on. */
export interface AgentOwnership {
  ownerId: string;
  orgId: string;
}

/** The owner and organization of an agent document, or null when the document does not parse. */
export function ownershipOf(data: unknown): AgentOwnership | null {
  const parsed = agentSchema.safeParse(data);
  return parsed.success ? { ownerId: parsed.data.ownerId, orgId: parsed.data.orgId } : null;
}

export const userProfileSchema = z.object({
  orgId: documentId.nullable().optional(),
  role: z.enum(["owner", "admin", "member", "viewer"]).nullable().optional(),
  displayName: z.string().max(500).optional(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;
