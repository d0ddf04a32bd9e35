/**
 * @module agent-document-written
 * The triggers on `context_sources/{docId}` and `agent_interactions/{docId}`: each turns its event
 * into an `AgentChange`, records it as a delta of every agent it touches (one write each, no read: a
 * redelivery finds its delta and records nothing) and asks for a fold of those agents. A side that
 * fails validation counts as absent (and is logged), so a malformed document contributes nothing,
 * exactly as a full recompute would skip it, and never throws into a retry loop. An interaction
 * created by the ingestion route was recorded in that route's transaction, so its create event ends
 * here without touching Firestore at all.
 */
import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Change, FirestoreEvent } from "firebase-functions/v2/firestore";
import type { Logger } from "../config/logger";
import { touchedAgents, type AgentChange, type ChangeKind, type ChangeSide } from "../metrics/agent-change";
import { interactionDocumentSchema } from "../documents/interaction-documents";
import { contextSourceSchema } from "../documents/source-documents";
import type { AgentViewStore, ChangeValue } from "../agent-views/agent-views";
import type { FoldScheduler } from "../agent-views/fold-scheduler";
import { commitTimeOf } from "../agent-views/snapshot-time";
import * as logs from "../config/logs";

export type DocumentWrittenEvent = FirestoreEvent<Change<DocumentSnapshot> | undefined, { docId: string }>;

export interface TriggerDeps {
  views: Pick<AgentViewStore, "record">;
  folds: FoldScheduler;
  log: Logger;
}

type Parsed<K extends ChangeKind> = ChangeSide<ChangeValue<K>> & { ingested: boolean };

const PARSERS: { [K in ChangeKind]: (data: unknown) => { ok: true; side: Parsed<K> } | { ok: false; issues: string[] } } = {
  source: (data) => {
    const parsed = contextSourceSchema.safeParse(data);
    return parsed.success ? { ok: true, side: { agentId: parsed.data.agentId, value: parsed.data, ingested: false } } : { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  },
  interaction: (data) => {
    const parsed = interactionDocumentSchema.safeParse(data);
    if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
    const { agentId, ingested, ...value } = parsed.data;
    return { ok: true, side: { agentId, value, ingested: ingested === true } };
  },
};

function side<K extends ChangeKind>(kind: K, snapshot: DocumentSnapshot | undefined, docId: string, which: "before" | "after", log: Logger): Parsed<K> | null {
  if (!snapshot?.exists) return null;
  const parsed = PARSERS[kind](snapshot.data());
  if (!parsed.ok) {
    logs.documentInvalid(log, kind, { docId, side: which, issues: parsed.issues });
    return null;
  }
  return parsed.side as Parsed<K>;
}

/** Builds the change a trigger event describes, or null when neither side counts. */
function toAgentChange<K extends ChangeKind>(kind: K, event: DocumentWrittenEvent, log: Logger): AgentChange<ChangeValue<K>> | null {
  const { docId } = event.params;
  const before = side(kind, event.data?.before, docId, "before", log);
  let after = side(kind, event.data?.after, docId, "after", log);
  if (!event.data?.before?.exists && after?.ingested) after = null;
  if (!before && !after) return null;
  // A create or update carries its exact commit time; a delete is known only by the event's time.
  // Both are cut to the millisecond, as the watermarks they are compared with assume.
  const exact = event.data?.after?.exists && event.data.after.updateTime ? commitTimeOf(event.data.after.updateTime) : null;
  const committedAt = exact ?? new Date(event.time);
  // The emulator's event times are whole seconds: such a delete happened somewhere in that second.
  const committedBefore = !exact && !/\.\d/.test(event.time) ? new Date(committedAt.getTime() + 1000) : undefined;
  const plain = (s: Parsed<K> | null) => (s ? { agentId: s.agentId, value: s.value } : null);
  return { eventId: event.id, committedAt, ...(committedBefore && { committedBefore }), before: plain(before), after: plain(after) };
}

/** Handles one delivery; safe to run any number of times for the same event. */
export function handleAgentDocumentWritten(kind: ChangeKind, deps: TriggerDeps) {
  return async (event: DocumentWrittenEvent): Promise<void> => {
    const change = toAgentChange(kind, event, deps.log);
    if (!change) return;
    const outcome = await deps.views.record(kind, change);
    // Also after a duplicate: the delivery that recorded the delta may have failed before asking.
    await Promise.all(touchedAgents(change).map((agentId) => deps.folds.request(agentId)));
    logs.documentRecorded(deps.log, kind, { eventId: event.id, docId: event.params.docId, outcome });
  };
}
