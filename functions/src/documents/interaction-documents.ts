/**
 * @module interaction-documents
 * The zod schema of `agent_interactions` documents, as triggers read them, with the field bounds of
 * the contract's ingest items. A document that does not parse contributes nothing to any view.
 */
import { z } from "zod";
import { documentId } from "../contract/schemas/ids";
import { checkMeasures, interactionMeasures } from "../contract/schemas/interactions";
import { instant } from "./source-documents";

export const interactionDocumentSchema = z.object({
  agentId: documentId,
  userId: documentId,
  ...interactionMeasures,
  occurredAt: instant,
  /** Set only by the ingestion route, whose transaction already counted the document. */
  ingested: z.literal(true).optional(),
}).superRefine(checkMeasures);
