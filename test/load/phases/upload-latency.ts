/**
 * @module upload-latency
 * Figure 1: from the start of a `context_sources` write (firebase-admin) to the first
 * `GET /v1/agents/{id}/metrics` response whose `sources.count` includes it, through the real source
 * trigger and the real `api` function. Two warm-up writes first, left out of the figures: the first
 * event of an agent builds its view by a full recompute, and the first delta path a fresh emulator
 * runs is about 2 s slower once (worker and query start-up), which would otherwise be one sample.
 */
import type { BenchApi } from "../bench-api";
import { progress } from "../bench-output";
import type { SourceWriter } from "../source-writer";
import { ms, summarize, type Summary } from "../stats";
import { timeUntilVisible } from "../visibility";

const WARM_UP_WRITES = 2;

export interface UploadLatency {
  visible: Summary;
  acknowledged: Summary;
  samples: Array<{ visibleMs: number; acknowledgedMs: number; polls: number }>;
}

export async function measureUploadToVisible(api: BenchApi, writer: SourceWriter, runs: number): Promise<UploadLatency> {
  const agentId = await api.createAgent("latency");
  const countIs = (n: number) => (res: Awaited<ReturnType<BenchApi["metrics"]>>) => res.status === 200 && res.body.data.sources.count === n;
  for (let i = 1; i <= WARM_UP_WRITES; i++) {
    progress(`upload → visible: warm-up write ${i}/${WARM_UP_WRITES}`);
    await writer.writeOne(agentId);
    await timeUntilVisible(performance.now(), () => api.storedMetrics(agentId), countIs(i));
  }

  const samples: UploadLatency["samples"] = [];
  for (let run = 1; run <= runs; run++) {
    const startedAt = performance.now();
    await writer.writeOne(agentId);
    const acknowledgedMs = performance.now() - startedAt;
    const seen = await timeUntilVisible(startedAt, () => api.storedMetrics(agentId), countIs(WARM_UP_WRITES + run));
    samples.push({ visibleMs: seen.visibleMs, acknowledgedMs, polls: seen.polls });
    progress(`upload → visible ${run}/${runs}: ${ms(seen.visibleMs)}`);
  }
  return { visible: summarize(samples.map((s) => s.visibleMs)), acknowledged: summarize(samples.map((s) => s.acknowledgedMs)), samples };
}
