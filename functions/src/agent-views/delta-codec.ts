/**
 * @module delta-codec
 * How a delta is laid out in `agent_metrics_cache/{agentId}/deltas/{id}`: its sides as compact lists
 * (an ingest chunk of 499 interactions is about 40 KB), its write's commit time, when it was recorded
 * (folds take the oldest first), whether it was applied, and when it expires. An ingest's delta has no commit time of its own: its write is the
 * transaction that created it, so its `createTime` is that time exactly.
 */
import { FieldValue, Timestamp, type DocumentData, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { expiresAfterRetention } from "../retention/retention";
import type { AgentDelta, DeltaSide } from "../metrics/agent-delta";
import type { InteractionContribution, InteractionStatus } from "../metrics/interaction-metrics";
import type { ContextSource } from "../documents/source-documents";
import { commitTimeOf } from "./snapshot-time";
import type { StoredDelta } from "./view-transaction";

/** How long a delta is kept: an event's, once applied, is its event's marker, and no redelivery is expected later than this. */

// Fields added later are appended (null when the interaction has none), so older deltas still decode.
type Interaction = [
  model: string,
  input: number,
  output: number,
  cacheRead: number | null,
  latencyMs: number,
  status: InteractionStatus,
  occurredAtMs: number,
  cacheWrite?: number | null,
  reasoning?: number | null,
  timeToFirstTokenMs?: number | null,
];
type Source = [agentId: string, type: ContextSource["type"], status: ContextSource["status"], sizeBytes: number, tokenCount: number, createdAtMs: number, updatedAtMs: number];

function encodeInteraction(i: InteractionContribution): Interaction {
  const at = i.occurredAt.getTime();
  const cacheRead = i.cacheReadTokens ?? null;
  if (i.cacheWriteTokens === undefined && i.reasoningTokens === undefined && i.timeToFirstTokenMs === undefined) return [i.model, i.inputTokens, i.outputTokens, cacheRead, i.latencyMs, i.status, at];
  return [i.model, i.inputTokens, i.outputTokens, cacheRead, i.latencyMs, i.status, at, i.cacheWriteTokens ?? null, i.reasoningTokens ?? null, i.timeToFirstTokenMs ?? null];
}
function decodeInteraction([model, inputTokens, outputTokens, cacheRead, latencyMs, status, at, cacheWrite = null, reasoning = null, firstToken = null]: Interaction): InteractionContribution {
  return {
    model,
    inputTokens,
    outputTokens,
    ...(cacheRead !== null && { cacheReadTokens: cacheRead }),
    ...(cacheWrite !== null && { cacheWriteTokens: cacheWrite }),
    ...(reasoning !== null && { reasoningTokens: reasoning }),
    latencyMs,
    ...(firstToken !== null && { timeToFirstTokenMs: firstToken }),
    status,
    occurredAt: new Date(at),
  };
}
const encodeSource = (s: ContextSource): Source => [s.agentId, s.type, s.status, s.sizeBytes, s.tokenCount, s.createdAt.getTime(), s.updatedAt.getTime()];
function decodeSource([agentId, type, status, sizeBytes, tokenCount, createdAt, updatedAt]: Source): ContextSource {
  return { agentId, type, status, sizeBytes, tokenCount, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

// Firestore refuses nested arrays, so each entry is a map holding its list.
const encodeSide = (side: DeltaSide) => ({ sources: side.sources.map((s) => ({ v: encodeSource(s) })), interactions: side.interactions.map((i) => ({ v: encodeInteraction(i) })) });
const decodeSide = (side: { sources?: Array<{ v: Source }>; interactions?: Array<{ v: Interaction }> } | undefined): DeltaSide => ({
  sources: (side?.sources ?? []).map((s) => decodeSource(s.v)),
  interactions: (side?.interactions ?? []).map((i) => decodeInteraction(i.v)),
});

/** The document of a delta recorded at `now`; an ingest's leaves its commit time to `createTime`. */
export function encodeDelta(delta: AgentDelta, now: Date): DocumentData {
  return {
    kind: delta.kind,
    recordedAt: FieldValue.serverTimestamp(),
    committedAt: delta.kind === "event" ? Timestamp.fromDate(delta.committedAt) : null,
    committedBefore: delta.committedBefore ? Timestamp.fromDate(delta.committedBefore) : null,
    removed: encodeSide(delta.removed),
    added: encodeSide(delta.added),
    applied: false,
    expireAt: Timestamp.fromDate(expiresAfterRetention(now.getTime())),
  };
}

export function decodeDelta(snap: QueryDocumentSnapshot): StoredDelta {
  const data = snap.data();
  const committedAt = data.committedAt instanceof Timestamp ? commitTimeOf(data.committedAt) : commitTimeOf(snap.createTime);
  return {
    id: snap.id,
    kind: data.kind === "ingest" ? "ingest" : "event",
    committedAt,
    ...(data.committedBefore instanceof Timestamp && { committedBefore: data.committedBefore.toDate() }),
    removed: decodeSide(data.removed),
    added: decodeSide(data.added),
  };
}
