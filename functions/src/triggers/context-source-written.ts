/**
 * @module context-source-written
 * The `context_sources/{sourceId}` trigger: turns the event into a `SourceChange` and hands it to the
 * view store. A side that fails validation counts as absent (and is logged), so a malformed document
 * contributes nothing, exactly as a full recompute would skip it, and never throws into a retry loop.
 */
import type { Change, FirestoreEvent } from "firebase-functions/v2/firestore";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { contextSourceSchema } from "../schemas/source-documents";
import type { SourceChange, SourceSide } from "../domain/source-change";
import type { AgentViewStore, ViewContext } from "../store/agent-view-store";
import type { Logger } from "../config/logger";

export type SourceWrittenEvent = FirestoreEvent<Change<DocumentSnapshot> | undefined, { sourceId: string }>;

export interface SourceTriggerDeps {
  views: AgentViewStore;
  context: () => ViewContext;
  log: Logger;
}

function side(snapshot: DocumentSnapshot | undefined, sourceId: string, which: "before" | "after", log: Logger): SourceSide | null {
  if (!snapshot?.exists) return null;
  const parsed = contextSourceSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    log.warn("source.invalid", { sourceId, side: which, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    return null;
  }
  return { agentId: parsed.data.agentId, source: parsed.data };
}

/** Builds the change a trigger event describes, or null when neither side counts. */
export function toSourceChange(event: SourceWrittenEvent, log: Logger): SourceChange | null {
  const { sourceId } = event.params;
  const before = side(event.data?.before, sourceId, "before", log);
  const after = side(event.data?.after, sourceId, "after", log);
  if (!before && !after) return null;
  // A create or update carries its exact commit time; a delete is known only by the event's time.
  const committedAt = event.data?.after?.exists && event.data.after.updateTime ? event.data.after.updateTime.toDate() : new Date(event.time);
  return { eventId: event.id, committedAt, before, after };
}

/** Handles one delivery; safe to run any number of times for the same event. */
export function handleContextSourceWritten(deps: SourceTriggerDeps) {
  return async (event: SourceWrittenEvent): Promise<void> => {
    const change = toSourceChange(event, deps.log);
    if (!change) return;
    const outcome = await deps.views.applySourceChange(change, deps.context());
    deps.log.info("source.applied", { eventId: event.id, sourceId: event.params.sourceId, outcome });
  };
}
