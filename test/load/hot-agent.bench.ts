/**
 * @module hot-agent.bench
 * `npm run bench -- --only hot`: many writers into ONE agent, as a client meets the product. For each
 * client count, that many concurrent clients post 50-item `POST /v1/agents/{id}/interactions`
 * batches for the run's length through the Functions emulator, a 503 sent again with the same ids
 * after its `Retry-After` (as the contract says), after the same clients spread over as many agents,
 * one each, in the same run: the baseline without contention this machine can reach. The baseline
 * runs first: the emulator delivers the create event of every ingested interaction (a no-op there)
 * one at a time, on the same few worker processes as the HTTP requests, at about 55 a second, so a
 * run's backlog outlasts it and burdens whatever runs next; that burden falls on the one-agent figure
 * the target is about, not on its baseline.
 *
 * Measured for each run: accepted interactions a second, every answer's status, the request time,
 * counts afterwards (the served view equal to what was accepted and to a `count()` of the stored
 * documents), how long after the last accepted answer the served view showed it all, and the
 * hottest document's writes a second (write-counter.ts). Last, many SDK writers into one agent:
 * the triggers' throughput on the emulator, which delivers events one at a time.
 *
 * Writes test/results/bench-hot-agent.{json,md}.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { adminDb, clearProject, PROJECT_ID } from "../support/emulators";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { connectBenchApi, type BenchApi, type MetricsBody } from "./bench-api";
import { loadNow, resultHeader, type ResultHeader } from "./bench-environment";
import type { HotOptions } from "./bench-options";
import { progress, say, writeResults } from "./bench-output";
import { ms, percentile, row, times } from "./stats";
import { countWrites, type HotDocument } from "./write-counter";

export const RESULT_NAME = "bench-hot-agent";
const BATCH = 50;
/** How often one batch is sent before the run gives up on it. */
const RESENDS = 10;
/**
 * The most a run waits after its last answer for the served view to show everything. Minutes, not
 * seconds: the Functions emulator runs fold tasks in one queue behind the create trigger of every
 * stored interaction (about 170 a second here), so 40,000 interactions accepted in 30 s are folded
 * only once their triggers have run.
 */
const VISIBLE_TIMEOUT_MS = 600_000;
/** The most a run waits for its create events to run out before the next run starts. */
const DRAIN_TIMEOUT_MS = 180_000;

interface ClientTally {
  accepted: number;
  /** Items of batches answered 202: each is stored, whether this answer or a lost earlier one stored it. */
  stored: number;
  duplicates: number;
  requests: number;
  retried503: number;
  other5xx: number;
  other: Record<string, number>;
  latenciesMs: number[];
  lastAcceptedAt: number;
}

export interface WriteRun {
  layout: "one agent" | "spread";
  clients: number;
  agents: number;
  seconds: number;
  accepted: number;
  duplicates: number;
  perSecond: number;
  requests: number;
  answers503: number;
  /** 5xx other than 503, and requests with no answer at all. */
  answersOther5xx: number;
  otherAnswers: Record<string, number>;
  requestP50Ms: number;
  requestP95Ms: number;
  /** From the last accepted answer to the first served read (no-cache) that shows every accepted item. */
  lastVisibleAfterMs: number;
  /** The served views' counts equal both what was accepted and a count() of the stored documents. */
  exact: boolean;
  /** After the run, until the trigger of a document written after the run's last one had run. */
  /** Null when they had not run out after DRAIN_TIMEOUT_MS. */
  createEventsRanOutMs: number | null;
  hottest: HotDocument[];
}

export interface SdkWriters {
  writers: number;
  documents: number;
  writeSeconds: number;
  /** From the first write to the served view showing every document. */
  drainedSeconds: number;
  triggerEventsPerSecond: number;
  exact: boolean;
}

export interface HotResult extends ResultHeader<HotOptions> {
  runs: WriteRun[];
  sdkWriters: SdkWriters;
}

const item = (id: string, i: number) => ({
  id,
  model: i % 3 === 0 ? "claude-haiku-4" : "claude-sonnet-4",
  inputTokens: 1000 + (i % 500),
  outputTokens: 100 + (i % 50),
  ...(i % 4 === 0 && { cacheWriteTokens: 500 + (i % 300) }),
  ...(i % 3 === 0 && { reasoningTokens: i % 50 }),
  latencyMs: 100 + (i % 900),
  ...(i % 2 === 0 && { timeToFirstTokenMs: 40 + (i % 60) }),
  status: i % 20 === 0 ? "error" : "success",
  occurredAt: new Date(Date.now() - (i % 3600) * 1000).toISOString(),
});

/** One client: posts batches into `agentId` until `deadline`, each 503 sent again with the same ids. */
async function client(api: BenchApi, agentId: string, tag: string, deadline: number): Promise<ClientTally> {
  const tally: ClientTally = { accepted: 0, duplicates: 0, stored: 0, requests: 0, retried503: 0, other5xx: 0, other: {}, latenciesMs: [], lastAcceptedAt: 0 };
  for (let seq = 0; performance.now() < deadline; seq++) {
    const batch = Array.from({ length: BATCH }, (_, j) => item(`${tag}-${seq}-${j}`, seq * BATCH + j));
    // Sent until answered 202, with the same ids each time (as the contract says for a 503); a batch
    // whose answer was lost may have been stored, and its resend then finds those ids as duplicates.
    for (let attempt = 1; ; attempt++) {
      const res = await api.ingest(agentId, batch);
      tally.requests += 1;
      tally.latenciesMs.push(res.elapsedMs);
      if (res.status === 202) {
        tally.accepted += res.body.accepted;
        tally.duplicates += (res.body as { duplicates?: number }).duplicates ?? 0;
        tally.stored += BATCH;
        tally.lastAcceptedAt = performance.now();
        break;
      }
      if (res.status === 503) tally.retried503 += 1;
      else if (res.status >= 500 || res.status === 0) tally.other5xx += 1;
      else tally.other[res.status] = (tally.other[res.status] ?? 0) + 1;
      if (attempt === RESENDS || (res.status < 500 && res.status !== 0)) throw new Error(`a batch was answered ${res.status} after ${attempt} attempts: ${JSON.stringify(res.body).slice(0, 200)}`);
      const after = Number((res.body as { error?: { retryAfterSeconds?: number } } | null)?.error?.retryAfterSeconds ?? 1);
      await new Promise((resolve) => setTimeout(resolve, 1000 * after));
    }
  }
  return tally;
}

const countOf = (res: { status: number; body: MetricsBody }) => (res.status === 200 ? res.body.data.interactions.count : -1);

/** Polls the served view (no-cache) until it shows `count` interactions; returns when it did. */
async function waitForCount(api: BenchApi, agentId: string, count: number, since: number, timeoutMs = VISIBLE_TIMEOUT_MS): Promise<number> {
  for (;;) {
    const seen = countOf(await api.storedMetrics(agentId));
    if (seen === count) return performance.now();
    if (seen > count) throw new Error(`${agentId} shows ${seen} interactions, more than the ${count} accepted`);
    if (performance.now() - since > timeoutMs) throw new Error(`${agentId} shows ${seen} of ${count} accepted after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits, reading the view document itself every 250 ms, until it counts `count` interactions. For
 * the warm-up only: until an agent has a view, each API read of it recomputes one, and 16 agents
 * polled that way every 20 ms fought their own first folds for minutes on this machine.
 */
async function waitForStoredView(db: Firestore, agentId: string, count: number): Promise<void> {
  const since = performance.now();
  for (;;) {
    const seen = (await db.doc(`${COLLECTIONS.agentViews}/${agentId}`).get()).get("interactions.count") ?? -1;
    if (seen === count) return;
    if (performance.now() - since > VISIBLE_TIMEOUT_MS) throw new Error(`${agentId}'s stored view counts ${seen} of ${count} warming items after ${VISIBLE_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function storedCount(db: Firestore, agentId: string): Promise<number> {
  const snap = await db.collection(COLLECTIONS.interactions).where("agentId", "==", agentId).count().get();
  return snap.data().count;
}

async function writeRun(api: BenchApi, db: Firestore, layout: WriteRun["layout"], clients: number, seconds: number): Promise<WriteRun> {
  const agentIds = await Promise.all(Array.from({ length: layout === "one agent" ? 1 : clients }, (_, i) => api.createAgent(`hot-${clients}-${i}`)));
  const agentOf = (c: number) => agentIds[layout === "one agent" ? 0 : c];
  // Warm, as a busy production agent is: each agent has its view before the clock starts, so the
  // run measures folds of deltas, not every agent's first full recompute; and every client sends its
  // warming item at once, so the emulator has started as many function workers as there are clients
  // in both layouts (a worker's cold start takes seconds here: warming one agent with one request
  // left 15 of 16 clients' first requests waiting for theirs, which measured cold starts, not writes).
  progress(`${clients} clients → ${layout}: warming ${agentIds.length} agent(s) with ${clients} concurrent requests`);
  const warmOne = async (agentId: string, id: string): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const res = await api.ingest(agentId, [item(id, 0)]);
      if (res.status === 202) return 1;
      if (attempt === RESENDS) throw new Error(`warming ${agentId} was answered ${res.status} ${attempt} times`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const warmed = await Promise.all(Array.from({ length: clients }, (_, c) => warmOne(agentOf(c), `warm-${clients}-${layout === "one agent" ? "o" : "s"}-${c}`)));
  const warm = agentIds.map((agentId) => warmed.filter((_, c) => agentOf(c) === agentId).reduce((sum, n) => sum + n, 0));
  await Promise.all(agentIds.map((agentId, a) => waitForStoredView(db, agentId, warm[a])));
  await Promise.all(agentIds.map((agentId, a) => waitForCount(api, agentId, warm[a], performance.now())));
  const watched = [...agentIds.map((id) => `${COLLECTIONS.agentViews}/${id}`), `${COLLECTIONS.userViews}/${api.ids.user}`, `${COLLECTIONS.orgViews}/${api.ids.org}`];
  const counter = await countWrites(db, watched, [COLLECTIONS.rateLimits, COLLECTIONS.apiKeyUsage, COLLECTIONS.apiKeyUsageDaily]);
  progress(`${clients} clients → ${layout === "one agent" ? "one agent" : `${clients} agents`}: posting for ${seconds} s`);
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const tallies = await Promise.all(Array.from({ length: clients }, (_, c) => client(api, agentOf(c), `h${clients}${layout === "one agent" ? "o" : "s"}${c}-${Date.now().toString(36)}`, deadline)));
  const endedAt = performance.now();
  const accepted = tallies.reduce((sum, t) => sum + t.stored, 0);
  const lastAcceptedAt = Math.max(...tallies.map((t) => t.lastAcceptedAt));

  // Every accepted item shows in the served view (read as a client that just wrote reads it).
  const expected = agentIds.map((_, a) => warm[a] + tallies.filter((__, c) => agentOf(c) === agentIds[a]).reduce((sum, t) => sum + t.stored, 0));
  progress(`${clients} clients → ${layout}: waiting until the views show all ${accepted.toLocaleString("en-US")} accepted items`);
  let seenAt = performance.now();
  for (const [a, agentId] of agentIds.entries()) seenAt = await waitForCount(api, agentId, expected[a], endedAt);
  const hottest = counter.stop().slice(0, 5);
  // The run's create events (one per stored interaction, each a no-op) run out before the next run,
  // so one run's backlog does not slow the next: a sentinel written after them is counted by its trigger.
  progress(`${clients} clients → ${layout}: letting the create events run out`);
  const drainStartedAt = performance.now();
  await db.collection(COLLECTIONS.interactions).add({ agentId: agentIds[0], userId: "bench-sentinel", model: "sentinel", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: Timestamp.now() });
  // Bounded: past it the next run starts with this one's backlog still queued (and says so).
  const ranOutAt = await waitForCount(api, agentIds[0], expected[0] + 1, drainStartedAt, DRAIN_TIMEOUT_MS).then(
    (at) => ((expected[0] += 1), at),
    () => null,
  );
  const stored = await Promise.all(agentIds.map((id) => storedCount(db, id)));
  const latencies = tallies.flatMap((t) => t.latenciesMs);
  const otherAnswers: Record<string, number> = {};
  for (const t of tallies) for (const [status, n] of Object.entries(t.other)) otherAnswers[status] = (otherAnswers[status] ?? 0) + n;
  return {
    layout,
    clients,
    agents: agentIds.length,
    seconds: (endedAt - startedAt) / 1000,
    accepted,
    duplicates: tallies.reduce((sum, t) => sum + t.duplicates, 0),
    perSecond: accepted / ((endedAt - startedAt) / 1000),
    requests: tallies.reduce((sum, t) => sum + t.requests, 0),
    answers503: tallies.reduce((sum, t) => sum + t.retried503, 0),
    answersOther5xx: tallies.reduce((sum, t) => sum + t.other5xx, 0),
    otherAnswers,
    requestP50Ms: percentile(latencies, 50),
    requestP95Ms: percentile(latencies, 95),
    lastVisibleAfterMs: seenAt - lastAcceptedAt,
    // The sentinel is stored whether or not its trigger has counted it yet.
    exact: stored.every((n, a) => n === expected[a] + (a === 0 && ranOutAt === null ? 1 : 0)),
    createEventsRanOutMs: ranOutAt === null ? null : ranOutAt - drainStartedAt,
    hottest,
  };
}

/** Writers using the SDK straight into `agent_interactions` (the path that fires one trigger per document). */
async function sdkWriters(api: BenchApi, db: Firestore, writers: number, documents: number): Promise<SdkWriters> {
  const agentId = await api.createAgent("sdk-hot");
  progress(`${writers} SDK writers → one agent: ${documents} documents`);
  const startedAt = performance.now();
  const perWriter = Math.ceil(documents / writers);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter && w * perWriter + i < documents; i++) {
        const n = w * perWriter + i;
        await db.collection(COLLECTIONS.interactions).add({
          agentId, userId: api.ids.user, model: "claude-sonnet-4", inputTokens: 10 + (n % 7), outputTokens: 1, latencyMs: 100, status: "success", occurredAt: Timestamp.now(),
        });
      }
    }),
  );
  const writtenAt = performance.now();
  let count = -1;
  while (count !== documents) {
    count = countOf(await api.storedMetrics(agentId));
    if (count > documents) throw new Error(`the SDK-written agent shows ${count} of ${documents} interactions`);
    if (performance.now() - writtenAt > 600_000) throw new Error(`the SDK-written agent shows ${count} of ${documents} after 10 minutes`);
    progress(`${writers} SDK writers → one agent: ${count}/${documents} counted`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const drainedAt = performance.now();
  return {
    writers,
    documents,
    writeSeconds: (writtenAt - startedAt) / 1000,
    drainedSeconds: (drainedAt - startedAt) / 1000,
    triggerEventsPerSecond: documents / ((drainedAt - startedAt) / 1000),
    exact: (await storedCount(db, agentId)) === documents,
  };
}

export function renderMarkdown(r: HotResult): string {
  const int = (n: number) => Math.round(n).toLocaleString("en-US");
  const byClients = new Map<number, { hot?: WriteRun; spread?: WriteRun }>();
  for (const run of r.runs) byClients.set(run.clients, { ...byClients.get(run.clients), [run.layout === "one agent" ? "hot" : "spread"]: run });
  const hottest = (run: WriteRun) => {
    const top = run.hottest[0];
    return top ? `${top.perSecond.toFixed(2)}/s sustained, ${top.peakInOneSecond} peak (\`${top.path.replace(/\/[^/]*$/, "/…")}\`)` : "none written";
  };
  const s = r.sdkWriters;
  return [
    `# Hot agent: many writers into one agent (measured, HTTP through the Functions emulator)`,
    ``,
    `Generated ${r.generatedAt} by \`${r.command}\`, in ${int(r.durationMs / 1000)} s on ${r.environment.cpus} × ${r.environment.cpuModel} (load ${r.environment.loadAverage1m.start} → ${r.environment.loadAverage1m.end}), Node ${r.environment.node}, firebase-tools ${r.environment.firebaseTools}, Firestore emulator ${r.environment.firestoreEmulator}.`,
    ``,
    `Each client posts ${BATCH}-item batches back to back for ${r.options.seconds} s; a 503 is sent again with the same ids after its Retry-After. "Spread" is the same clients, one agent each, in the same run, just before: what this machine reaches without contention (the one-agent run then shares the emulator with the spread run's backlog of create events, which it delivers one at a time). "Accepted" counts the items of batches answered 202 (a batch whose answer was lost is sent again with the same ids until it is). "Visible" is from the last accepted answer to the first no-cache read showing every accepted item. "Exact": the served count equals both what was accepted and a \`count()\` of the stored documents. The hottest document is counted by listeners on the views, rollups, rate-limit and usage documents.`,
    ``,
    row(["clients", "into", "accepted/s", "× spread", "requests", "503 (retried)", "other 5xx or no answer", "request p50 / p95", "last item visible after", "exact", "hottest document's writes", "create events ran out after"]),
    row(["---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---", "---:"]),
    ...r.runs.map((run) => {
      const spread = byClients.get(run.clients)?.spread;
      const ratio = run.layout === "one agent" && spread ? times(run.perSecond / spread.perSecond) : "";
      return row([run.clients, run.layout === "one agent" ? "one agent" : `${run.agents} agents`, int(run.perSecond), ratio, int(run.requests), run.answers503, run.answersOther5xx, `${ms(run.requestP50Ms)} / ${ms(run.requestP95Ms)}`, ms(run.lastVisibleAfterMs), run.exact ? "yes" : "**no**", hottest(run), run.createEventsRanOutMs === null ? `not within ${DRAIN_TIMEOUT_MS / 1000} s` : ms(run.createEventsRanOutMs)]);
    }),
    ``,
    `## SDK writers into agent_interactions (one trigger per document)`,
    ``,
    `${s.writers} writers add ${int(s.documents)} documents for one agent with the Admin SDK (as client-SDK writers would): written in ${s.writeSeconds.toFixed(1)} s, every one counted in the served view after ${s.drainedSeconds.toFixed(1)} s: the emulator's triggers ran **${s.triggerEventsPerSecond.toFixed(0)} events/s** (it delivers them one at a time). Exact: ${s.exact ? "yes" : "**no**"}.`,
    ``,
  ].join("\n");
}

/** Runs the hot-agent benchmark; prints its table and returns the paths of its result files. */
export async function runHotAgent(options: HotOptions, command: string): Promise<string[]> {
  const startedAt = performance.now();
  const loadAtStart = loadNow();
  say(`› Hot-agent benchmark: ${options.clients.join(", ")} clients, ${options.seconds} s each, into one agent and spread`);
  const db = adminDb();
  // Each run starts on an empty database, with a user and key of its own: the Firestore emulator keeps
  // every document in its heap (about 6 GB by default here), and the 200,000 interactions of a full
  // table left it collecting garbage for minutes on end. Clearing fires no trigger.
  const freshWorld = async () => {
    await clearProject(PROJECT_ID);
    return connectBenchApi();
  };
  const runs: WriteRun[] = [];
  for (const clients of options.clients) {
    runs.push(await writeRun(await freshWorld(), db, "spread", clients, options.seconds));
    runs.push(await writeRun(await freshWorld(), db, "one agent", clients, options.seconds));
  }
  const sdk = await sdkWriters(await freshWorld(), db, 16, options.sdkDocuments);
  const result: HotResult = { ...resultHeader(command, options, startedAt, loadAtStart), runs, sdkWriters: sdk };
  const markdown = renderMarkdown(result);
  say(`\n${markdown}`);
  return writeResults(RESULT_NAME, result, markdown);
}
