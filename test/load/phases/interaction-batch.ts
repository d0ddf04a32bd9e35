/**
 * @module interaction-batch
 * Figure 2: 1000 interactions in one `POST /v1/agents/{id}/interactions` for a fresh agent, timed
 * from the start of the request to the first `GET .../metrics` whose `interactions.count` shows all
 * of them. The route counts the batch in its own transaction, so this is one request plus one read.
 *
 * The 1000 create events that follow add nothing, but the Functions emulator still runs them, on the
 * same two cores. So before the next repeat the benchmark lets them run out: it writes one sentinel
 * interaction straight to Firestore after them and waits until the trigger has counted it (events are
 * delivered in write order), which keeps one repeat's backlog out of the next one's figure.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { expectStatus, type BenchApi, type MetricsBody } from "../bench-api";
import { progress } from "../bench-output";
import { COLLECTIONS } from "../../../functions/src/documents/collections";
import { median, ms } from "../stats";
import { timeUntilVisible } from "../visibility";

export const BATCH_INTERACTIONS = 1000;

export interface InteractionBatches {
  repeats: Array<{ postMs: number; visibleMs: number; backlogMs: number | null }>;
  medianPostMs: number;
  medianVisibleMs: number;
}

function interaction(i: number) {
  return {
    id: `bench-${i}`,
    model: i % 3 === 0 ? "claude-haiku-4" : "claude-sonnet-4",
    inputTokens: 1000 + i,
    outputTokens: 100 + (i % 50),
    // The fields of today's bills on some calls, so the fold keeps its first-token histograms too.
    ...(i % 4 === 0 && { cacheWriteTokens: 500 + (i % 300) }),
    ...(i % 3 === 0 && { reasoningTokens: i % 50 }),
    latencyMs: 100 + (i % 900),
    ...(i % 2 === 0 && { timeToFirstTokenMs: 40 + (i % 60) }),
    status: i % 10 === 0 ? "error" : "success",
    occurredAt: new Date(Date.now() - i * 1000).toISOString(),
  };
}

const countIs = (n: number) => (res: { status: number; body: MetricsBody }) => res.status === 200 && res.body.data.interactions.count === n;

/** Writes a sentinel interaction after a batch and returns how long until its trigger had counted it. */
async function waitForBacklog(api: BenchApi, db: Firestore, agentId: string): Promise<number> {
  const startedAt = performance.now();
  await db.collection(COLLECTIONS.interactions).doc().set({
    agentId, userId: "bench-sentinel", model: "sentinel", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: Timestamp.now(),
  });
  return (await timeUntilVisible(startedAt, () => api.storedMetrics(agentId), countIs(BATCH_INTERACTIONS + 1), 300_000)).visibleMs;
}

export async function measureInteractionBatches(api: BenchApi, db: Firestore, batches: number): Promise<InteractionBatches> {
  const items = Array.from({ length: BATCH_INTERACTIONS }, (_, i) => interaction(i));
  const repeats: InteractionBatches["repeats"] = [];
  for (let repeat = 1; repeat <= batches; repeat++) {
    const agentId = await api.createAgent("batch");
    progress(`1000 interactions → visible ${repeat}/${batches}: posting`);
    const startedAt = performance.now();
    const posted = expectStatus(await api.ingest(agentId, items), 202, "POST interactions");
    if (posted.body.accepted !== BATCH_INTERACTIONS) throw new Error(`only ${posted.body.accepted} of ${BATCH_INTERACTIONS} interactions were accepted`);
    const seen = await timeUntilVisible(startedAt, () => api.storedMetrics(agentId), countIs(BATCH_INTERACTIONS));
    progress(`1000 interactions → visible ${repeat}/${batches}: ${ms(seen.visibleMs)}; letting its 1000 create events run out`);
    const backlogMs = repeat < batches ? await waitForBacklog(api, db, agentId) : null;
    repeats.push({ postMs: posted.elapsedMs, visibleMs: seen.visibleMs, backlogMs });
  }
  return { repeats, medianPostMs: median(repeats.map((r) => r.postMs)), medianVisibleMs: median(repeats.map((r) => r.visibleMs)) };
}
