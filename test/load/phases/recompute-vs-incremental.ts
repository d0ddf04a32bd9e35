/**
 * @module recompute-vs-incremental
 * Figure 3, for one agent of `size` sources: the naive read (baseline), a served API read, a full
 * recompute and the incremental path (one more source, written with firebase-admin, until
 * `GET .../metrics` shows it), all against the emulators in the same run. The full recompute is the
 * store's own `recompute`, the one `POST .../metrics:refresh` runs, called in process with its reads
 * counted: over HTTP, refreshes of one agent within a minute coalesce into one scan
 * (`agent-views/refresh-coalescer.ts`), so repeated refreshes would time the cooldown's answer.
 *
 * Seeding fires one trigger event per source. Applied one by one as deltas to one view, 10,000
 * events take the Functions emulator far longer than the benchmark's budget (about 9 a second on a
 * 2-core machine). So the seeding is written first, as fast as batches go, and one refresh right after
 * it builds the view from source with a watermark past every seeded write: the events still queued
 * then find their writes already counted and only leave a marker (the few processed while seeding
 * ran apply deltas, exactly as in production). The measurements start once every event is processed.
 */
import type { Firestore } from "firebase-admin/firestore";
import { expectStatus, type BenchApi, type MetricsBody } from "../bench-api";
import { progress } from "../bench-output";
import { naiveSourcesBlock } from "../naive-read";
import { apiReadCost, incrementalCost, naiveReadCost, type ReadCost } from "../read-costs";
import type { SourceWriter } from "../source-writer";
import { median, ms } from "../stats";
import { timeUntilVisible } from "../visibility";
import { installReadCounter, withTally } from "../read-counter";
import { firestoreAgentViewStore } from "../../../functions/src/agent-views/agent-view-store";
import { parseKeyring } from "../../../functions/src/signing/signing";
import { readLocalSecrets } from "../../harness/local-secrets.mjs";
import { recordingLogger } from "../../support/fakes";

const REPEATS = { naive: 5, apiRead: 10, fullRecompute: 5, incremental: 5 };
const DRAIN_TIMEOUT_MS = 8 * 60_000;

export interface Timed {
  samplesMs: number[];
  medianMs: number;
  reads: ReadCost;
  readsMeasured: boolean;
}

export interface SizeResult {
  size: number;
  seedMs: number;
  drainMs: number;
  /** False when the trigger backlog had not cleared in time (figures then ran beside it). */
  drained: boolean;
  naive: Timed;
  apiRead: Timed;
  fullRecompute: Timed;
  incremental: Timed;
}

const timed = (samplesMs: number[], reads: ReadCost, readsMeasured = false): Timed => ({ samplesMs, medianMs: median(samplesMs), reads, readsMeasured });

async function repeat(times: number, label: string, run: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 1; i <= times; i++) {
    samples.push(await run());
    progress(`${label} ${i}/${times}: ${ms(samples[samples.length - 1])}`);
  }
  return samples;
}

export async function measureRecomputeVsIncremental(api: BenchApi, db: Firestore, writer: SourceWriter, size: number): Promise<SizeResult> {
  const label = `${size.toLocaleString("en-US")} sources`;
  const agentId = await api.createAgent(`size-${size}`);
  const countIs = (n: number) => (res: { status: number; body: MetricsBody }) => res.status === 200 && res.body.data.sources.count === n;

  const seedStart = performance.now();
  await writer.seed(agentId, size, (done) => progress(`${label}: seeded ${done.toLocaleString("en-US")}`));
  const seedMs = performance.now() - seedStart;
  expectStatus(await api.refresh(agentId), 200, "the view-building refresh");
  const drainStart = performance.now();
  const drained = await writer.drained((done, expected) => progress(`${label}: trigger events processed ${done.toLocaleString("en-US")}/${expected.toLocaleString("en-US")}`), DRAIN_TIMEOUT_MS);
  const drainMs = performance.now() - drainStart;
  if (!countIs(size)(await api.storedMetrics(agentId))) throw new Error(`the view of ${label} is not exact after seeding`);

  const naive = await repeat(REPEATS.naive, `${label}: naive read`, async () => {
    const read = await naiveSourcesBlock(db, agentId);
    if (read.block.count !== size || read.documentsRead !== size) throw new Error(`the naive read counted ${read.block.count}, not ${size}`);
    return read.elapsedMs;
  });
  const apiRead = await repeat(REPEATS.apiRead, `${label}: API read`, async () => {
    const res = await api.metrics(agentId);
    if (!countIs(size)(res)) throw new Error(`GET metrics answered ${res.status} without ${size} sources`);
    return res.elapsedMs;
  });
  installReadCounter();
  const views = firestoreAgentViewStore(db, recordingLogger());
  const ctx = { keyring: parseKeyring(readLocalSecrets().METRICS_SIGNING_KEYRING), now: () => new Date() };
  const fullReads: number[] = [];
  const full = await repeat(REPEATS.fullRecompute, `${label}: full recompute`, () =>
    withTally(async (finish) => {
      const startedAt = performance.now();
      const computed = await views.recompute(agentId, ctx);
      const elapsedMs = performance.now() - startedAt;
      fullReads.push(finish());
      if (computed?.sealed.data.sources.count !== size) throw new Error(`the recompute counted ${computed?.sealed.data.sources.count}, not ${size}`);
      return elapsedMs;
    }),
  );
  let sources = size;
  const incremental = await repeat(REPEATS.incremental, `${label}: incremental`, async () => {
    const startedAt = performance.now();
    await writer.writeOne(agentId);
    sources += 1;
    return (await timeUntilVisible(startedAt, () => api.storedMetrics(agentId), countIs(sources))).visibleMs;
  });

  return {
    size,
    seedMs,
    drainMs,
    drained,
    naive: timed(naive, naiveReadCost(size), true),
    apiRead: timed(apiRead, apiReadCost()),
    fullRecompute: timed(full, { reads: median(fullReads), how: "counted in process: the agent, the view, the server time, every source, the interaction query" }, true),
    incremental: timed(incremental, incrementalCost(size)),
  };
}
