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

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const workerData = { method: "GET", bodies: [undefined], headers: [{}], ...plan };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData });
    worker.once("message", (message: { ok: true; result: { latencies: number[]; wallMs: number; statuses: Record<string, number>; layers: Record<string, number>; firstBody: string } } | { ok: false; error: string }) => {
      void worker.terminate();
      if (!message.ok) return reject(new Error(`the load on ${plan.url} failed: ${message.error}`));
      const r = message.result;
      resolve({
        requests: plan.requests,
        concurrency: plan.concurrency,
        latency: summarize(r.latencies),
        requestsPerSecond: (plan.requests / r.wallMs) * 1000,
        statuses: r.statuses,
        cacheLayers: r.layers,
        firstBody: r.firstBody,
      });
    });
    worker.once("error", reject);
  });
}

/** Throws unless every response of the load had `status` (figures from failed requests would lie). */
export function expectAll(result: LoadResult, status: number, what: string): LoadResult {
  const other = Object.entries(result.statuses).filter(([code]) => Number(code) !== status);
  if (other.length > 0) throw new Error(`${what}: ${other.map(([code, n]) => `${n} × ${code}`).join(", ")} instead of ${status}; first body: ${result.firstBody.slice(0, 300)}`);
  return result;
}
