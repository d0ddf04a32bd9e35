/**
 * @module read-cache-heap
 * The heap an instance holds after reading many distinct agents once (10,000 by default): V8's used
 * heap after a full collection (`global.gc()`, hence `node --expose-gc`), minus the same measure
 * taken just before, on an instance already warmed on another agent. The load generator runs in a
 * worker thread, whose heap is its own, so only the server's side is counted.
 *
 * Whether those documents are cached at all is observed, not assumed: a sample of them is read again
 * and the layers its responses name (`meta.cache`) are reported beside the figure.
 */
import { getHeapStatistics } from "node:v8";
import type { ReadOptions } from "../bench-options";
import { progress } from "../bench-output";
import { expectAll, runLoad } from "../load-generator";
import { startProductInstance } from "../product-instance";
import type { ReadWorld } from "../read-world";

const REREAD_SAMPLE = 1000;
/** Megabytes as the target states them (10^6 bytes). */
const MB = 1e6;

export interface CacheHeap {
  agents: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  /** Heap after − before, in MB (10^6 bytes). */
  deltaMB: number;
  /** Layers named by the responses of a second read of a sample of the agents. */
  rereadLayers: Record<string, number>;
  rereadSample: number;
  /** View entries the instance's edge cache held right after the load (`GET /v1/cache/stats`). */
  cachedEntries: number;
}

function usedHeapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("the heap figure needs `node --expose-gc` (run the benchmark through npm run bench)");
  gc();
  gc();
  return getHeapStatistics().used_heap_size;
}

export async function measureCacheHeap(options: ReadOptions, world: ReadWorld, agents: readonly string[]): Promise<CacheHeap> {
  const [warmUp, ...measured] = agents;
  const instance = await startProductInstance(world);
  const headers = await instance.headersFor(measured.length + REREAD_SAMPLE + 1);
  const check = await fetch(`${instance.server.url}/v1/agents/${warmUp}/metrics`, { headers: headers[0] });
  if (check.status !== 200) throw new Error(`the heap instance answered ${check.status}: ${await check.text()}`);
  const paths = measured.map((agentId) => `/v1/agents/${agentId}/metrics`);

  const before = usedHeapAfterGc();
  progress(`heap: reading ${measured.length.toLocaleString("en-US")} distinct agents once`);
  expectAll(await runLoad({ url: instance.server.url, paths, headers, requests: paths.length, concurrency: options.concurrency }), 200, "the heap load");
  const after = usedHeapAfterGc();
  // What the instance holds now, by its own count (entries past their maximum age stay in memory until reused).
  const stats = (await (await fetch(`${instance.server.url}/v1/cache/stats`, { headers: headers[0] })).json()) as { layers?: { views?: { entries?: number } } };
  const cachedEntries = stats.layers?.views?.entries ?? 0;

  const sample = paths.filter((_, i) => i % Math.max(1, Math.floor(paths.length / REREAD_SAMPLE)) === 0).slice(0, REREAD_SAMPLE);
  progress(`heap: reading ${sample.length} of them again to see which layer answers`);
  const reread = expectAll(await runLoad({ url: instance.server.url, paths: sample, headers, requests: sample.length, concurrency: options.concurrency }), 200, "the re-read");
  await instance.close();
  return { agents: measured.length, heapBeforeMB: before / MB, heapAfterMB: after / MB, deltaMB: (after - before) / MB, rereadLayers: reread.cacheLayers, rereadSample: sample.length, cachedEntries };
}
