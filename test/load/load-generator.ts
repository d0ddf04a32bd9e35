/**
 * @module load-generator
 * A bounded concurrent load: `requests` requests, `concurrency` in flight, sent from a worker thread
 * (load-worker.mjs) so that the client runs on its own event loop beside the server it measures.
 * Throughput is completed requests over the wall time of the whole load.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { summarize, type Summary } from "./stats";

/** What to send; `paths`, `bodies` and `headers` are used round-robin by request index. */
export interface LoadPlan {
  /** Origin, e.g. `http://127.0.0.1:4711`. */
  url: string;
  paths: string[];
  method?: "GET" | "POST";
  bodies?: string[];
  /** Several sets when one API key's rate limit is too low for the whole load. */
  headers?: Array<Record<string, string>>;
  requests: number;
  concurrency: number;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  latency: Summary;
  requestsPerSecond: number;
  statuses: Record<string, number>;
  /** How often each `meta.cache` value appeared in the bodies (per item for batch reads). */
  cacheLayers: Record<string, number>;
  /** The first response body (cut at 2,000 characters), for error messages. */
  firstBody: string;
}

const WORKER = join(__dirname, "load-worker.mjs");

/** What the worker reports of one load: every latency, the wall time, statuses and layers. */
export interface RawLoad {
  latencies: number[];
  wallMs: number;
  statuses: Record<string, number>;
  layers: Record<string, number>;
  firstBody: string;
}

function runRawLoad(plan: LoadPlan): Promise<RawLoad> {
  const workerData = { method: "GET", bodies: [undefined], headers: [{}], ...plan };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData });
    worker.once("message", (message: { ok: true; result: RawLoad } | { ok: false; error: string }) => {
      void worker.terminate();
      if (!message.ok) return reject(new Error(`the load on ${plan.url} failed: ${message.error}`));
      resolve(message.result);
    });
    worker.once("error", reject);
  });
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
};

/** One result of several loads of the same plan: latencies pooled, throughput over their summed wall time. */
function pooled(plan: Pick<LoadPlan, "concurrency">, parts: readonly RawLoad[]): LoadResult {
  const latencies = parts.flatMap((part) => [...part.latencies]);
  const wallMs = parts.reduce((sum, part) => sum + part.wallMs, 0);
  return {
    requests: latencies.length,
    concurrency: plan.concurrency,
    latency: summarize(latencies),
    requestsPerSecond: (latencies.length / wallMs) * 1000,
    statuses: parts.reduce((all, part) => add(all, part.statuses), {}),
    cacheLayers: parts.reduce((all, part) => add(all, part.layers), {}),
    firstBody: parts[0]?.firstBody ?? "",
  };
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return pooled(plan, [await runRawLoad(plan)]);
}

/**
 * Runs several plans in turns, `slices` rounds of `1/slices` of each plan's requests, so that every
 * figure meets the same background (the emulator's own work, other processes of a shared machine) and
 * their ratios compare like with like; each plan's slices are pooled into one result.
 */
export async function runInterleaved(plans: readonly LoadPlan[], slices: number): Promise<LoadResult[]> {
  const parts: RawLoad[][] = plans.map(() => []);
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, plan] of plans.entries()) {
      const requests = Math.floor(plan.requests / slices) + (slice < plan.requests % slices ? 1 : 0);
      parts[i].push(await runRawLoad({ ...plan, requests }));
    }
  }
  return plans.map((plan, i) => pooled(plan, parts[i]));
}

/** Throws unless every response of the load had `status` (figures from failed requests would lie). */
export function expectAll(result: LoadResult, status: number, what: string): LoadResult {
  const other = Object.entries(result.statuses).filter(([code]) => Number(code) !== status);
  if (other.length > 0) throw new Error(`${what}: ${other.map(([code, n]) => `${n} × ${code}`).join(", ")} instead of ${status}; first body: ${result.firstBody.slice(0, 300)}`);
  return result;
}
