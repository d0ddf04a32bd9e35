/**
 * @module read-targets
 * The read path's targets (issue #5), checked by the benchmark against the figures of one run, never
 * by a timed test. Targets about edge hits need the repeated read to have been answered from the edge
 * (`meta.cache: "edge"`, as the responses say): a build without an edge cache fails them, with the
 * layer it observed in the detail, rather than passing on a store read that merely looks fast.
 */
import type { AbuseFigures } from "./phases/read-abuse";
import type { BatchGetFigures } from "./phases/read-batch-get";
import type { CacheHeap } from "./phases/read-cache-heap";
import type { ReadFigure } from "./read-figure";
import { BAD_KEYS_PER_MINUTE, USER_STORE_REQUESTS_PER_MINUTE } from "../../functions/src/http/caller-limits";
import { ms, times } from "./stats";

export interface TargetCheck {
  target: string;
  pass: boolean;
  /** The figures the verdict rests on. */
  detail: string;
}

export interface TargetInputs {
  repeated: ReadFigure;
  /** The repeated read at the naive baselines' concurrency: what they are compared with. */
  repeatedLight: ReadFigure;
  floor: ReadFigure;
  store: ReadFigure;
  seriesRepeated: ReadFigure;
  seriesStore: ReadFigure;
  naive: ReadFigure[];
  batchGet: BatchGetFigures;
  heap: CacheHeap;
  abuse: AbuseFigures;
}

/** Share of responses (or batch items) that must name the edge for a figure to count as edge hits. */
export const EDGE_SHARE = 0.99;
/** Reads per request left to amortized refreshes (the API key is re-read every few seconds). */
const AMORTIZED_READS = 0.01;
const HEAP_LIMIT_MB = 64;
const BATCH_P95_LIMIT_MS = 100;
const NAIVE_SPEEDUP: Record<number, number> = { 1000: 100, 10_000: 1000 };

const total = (layers: Record<string, number>) => Object.values(layers).reduce((sum, n) => sum + n, 0);

/** The layers named by the responses, e.g. `edge 100%` or `store 100%`. */
export function layersOf(layers: Record<string, number>): string {
  const n = total(layers);
  if (n === 0) return "no meta.cache";
  return Object.entries(layers)
    .sort(([, a], [, b]) => b - a)
    .map(([layer, count]) => `${layer} ${((count / n) * 100).toFixed(count === n ? 0 : 1)}%`)
    .join(", ");
}

export const isEdge = (layers: Record<string, number>) => total(layers) > 0 && (layers.edge ?? 0) / total(layers) >= EDGE_SHARE;

function edgeCheck(target: string, figure: ReadFigure, met: boolean, detail: string): TargetCheck {
  if (isEdge(figure.load.cacheLayers)) return { target, pass: met, detail };
  return { target, pass: false, detail: `${detail}; not edge hits: the responses said ${layersOf(figure.load.cacheLayers)}` };
}

export function checkTargets(r: TargetInputs): TargetCheck[] {
  const { repeated: edge, floor, store } = r;
  const checks: TargetCheck[] = [
    edgeCheck("edge hit p50 within 2× of the floor's", edge, edge.load.latency.p50 <= 2 * floor.load.latency.p50, `${ms(edge.load.latency.p50)} vs ${ms(floor.load.latency.p50)}: ${times(edge.load.latency.p50 / floor.load.latency.p50)}`),
    edgeCheck("edge hit throughput ≥ half the floor's", edge, edge.load.requestsPerSecond >= 0.5 * floor.load.requestsPerSecond, `${Math.round(edge.load.requestsPerSecond)} vs ${Math.round(floor.load.requestsPerSecond)} req/s: ${times(edge.load.requestsPerSecond / floor.load.requestsPerSecond)}`),
  ];
  // Latencies compare only under the same load: the naive reads run at a low concurrency, and so does this figure.
  const light = r.repeatedLight;
  for (const naive of r.naive) {
    const size = Number(naive.id.split("-")[1]);
    const needed = NAIVE_SPEEDUP[size];
    if (!needed) continue;
    const speedup = naive.load.latency.p50 / light.load.latency.p50;
    const target = `edge hit ≥ ${needed}× faster than the naive read at ${size.toLocaleString("en-US")} documents (p50, both at concurrency ${naive.load.concurrency})`;
    const sameLoad = naive.load.concurrency === light.load.concurrency;
    checks.push(edgeCheck(target, light, sameLoad && speedup >= needed, `${ms(naive.load.latency.p50)} / ${ms(light.load.latency.p50)} = ${times(speedup)}${sameLoad ? "" : ` (but measured at concurrency ${light.load.concurrency})`}`));
  }
  checks.push(
    edgeCheck("0 Firestore reads per edge hit", edge, edge.reads.p50 === 0 && edge.reads.mean <= AMORTIZED_READS, `mean ${edge.reads.mean.toFixed(4)}, median ${edge.reads.p50}, max ${edge.reads.max}`),
    { target: "≤ 1 Firestore read per store hit", pass: store.reads.p50 <= 1 && store.reads.mean <= 1 + AMORTIZED_READS, detail: `mean ${store.reads.mean.toFixed(3)}, median ${store.reads.p50}, max ${store.reads.max}` },
    // Issue #16: a series is served like the metrics it is rendered beside.
    edgeCheck("series edge hit p50 within 2× of a metrics edge hit's", r.seriesRepeated, r.seriesRepeated.load.latency.p50 <= 2 * edge.load.latency.p50, `${ms(r.seriesRepeated.load.latency.p50)} vs ${ms(edge.load.latency.p50)}: ${times(r.seriesRepeated.load.latency.p50 / edge.load.latency.p50)}`),
    { target: "≤ 1 Firestore read per series store hit", pass: r.seriesStore.reads.p50 <= 1 && r.seriesStore.reads.mean <= 1 + AMORTIZED_READS, detail: `mean ${r.seriesStore.reads.mean.toFixed(3)}, median ${r.seriesStore.reads.p50}, max ${r.seriesStore.reads.max}` },
    r.batchGet.available
      ? { target: `batchGet of 100 ids from the store < ${BATCH_P95_LIMIT_MS} ms p95`, pass: r.batchGet.fromStore.load.latency.p95 < BATCH_P95_LIMIT_MS && (r.batchGet.fromStore.load.statuses["200"] ?? 0) === r.batchGet.fromStore.load.requests, detail: `p95 ${ms(r.batchGet.fromStore.load.latency.p95)}` }
      : { target: `batchGet of 100 ids from the store < ${BATCH_P95_LIMIT_MS} ms p95`, pass: false, detail: "route not available (404) in this build" },
  );
  const heapMet = r.heap.deltaMB <= HEAP_LIMIT_MB;
  const heapDetail = `${r.heap.deltaMB.toFixed(1)} MB for ${r.heap.agents.toLocaleString("en-US")} agents`;
  checks.push(
    r.heap.cachedEntries >= r.heap.agents
      ? { target: `${r.heap.agents.toLocaleString("en-US")} cached documents ≤ ${HEAP_LIMIT_MB} MB of heap`, pass: heapMet, detail: `${heapDetail}, ${r.heap.cachedEntries.toLocaleString("en-US")} view entries held` }
      : { target: `${r.heap.agents.toLocaleString("en-US")} cached documents ≤ ${HEAP_LIMIT_MB} MB of heap`, pass: false, detail: `${heapDetail}, but the edge cache held only ${r.heap.cachedEntries.toLocaleString("en-US")} of them (a re-read said ${layersOf(r.heap.rereadLayers)})` },
  );
  checks.push(...abuseChecks(r.abuse));
  return checks;
}

/** Issue #13: what a caller who may read nothing, or who forges keys, costs. */
function abuseChecks({ forbiddenBatch: f, forgedKeys: k, userBudget: u, refreshes: r }: AbuseFigures): TargetCheck[] {
  const forgedLimited = k.first429 !== null && k.first429.afterMs <= 1_000;
  // Requests' reads: the budget (taken before the reads it pays for), and each key's lookups (a first read, then a revalidation every 5 s).
  const budgetBound = USER_STORE_REQUESTS_PER_MINUTE + u.keys * (1 + u.seconds / 5);
  return [
    {
      target: `one user with ${u.keys} keys, no-cache reads and batchGets for ${u.seconds} s: reads charged to requests ≤ ${budgetBound} (the user's store budget and each key's lookups)`,
      pass: u.requestReads <= budgetBound,
      detail: `${u.requestReads} reads charged to ${u.requests} requests, ${u.backgroundReads} outside them; statuses ${JSON.stringify(u.statuses)}`,
    },
    {
      target: `refreshes of one agent for ${r.seconds} s through ${r.instances} instances: at most one scan a minute per instance`,
      pass: r.scans <= r.instances * Math.ceil(r.seconds / 60),
      detail: `${r.scans} scans for ${r.requests} refreshes; ${r.reads} reads; answers ${JSON.stringify(r.byCache)}; statuses ${JSON.stringify(r.statuses)}`,
    },
    {
      target: `no-cache batchGet of ${f.ids} forbidden ids, ${f.requests} times: ≤ 1 read per request amortized, nothing served`,
      pass: f.readsPerRequest <= 1 && f.served === 0 && (f.statuses["200"] ?? 0) === f.requests,
      detail: `${f.reads} reads for ${f.requests} requests (${f.readsPerRequest.toFixed(2)} each); ${f.served} answers served or missed an id; statuses ${JSON.stringify(f.statuses)}`,
    },
    {
      target: `forged well-formed keys at ${k.perSecond}/s from one signed-in user: limited within the first second, reads bounded`,
      pass: forgedLimited && k.reads <= BAD_KEYS_PER_MINUTE + 1,
      detail: `${k.first429 ? `first 429 at request ${k.first429.index + 1}, ${ms(k.first429.afterMs)} after the first` : "no 429"}; ${k.reads} reads for ${k.requests} requests (the budget is ${BAD_KEYS_PER_MINUTE} refused keys a minute, plus the caller's profile)`,
    },
  ];
}
