/**
 * @module load-worker
 * The read benchmark's load generator, in a worker thread so the client does not share an event loop
 * with the server it measures. It sends `requests` requests over keep-alive connections, `concurrency`
 * at a time (each slot sends its next request when its previous response has been read in full), and
 * reports every latency, the statuses, and the `meta.cache` values found in the bodies.
 * Plain JavaScript: tsx's loader does not reach worker threads.
 */
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/**
 * `paths`, `bodies` and `headers` are used round-robin by request index.
 * @typedef {{ url: string, paths: string[], method: string, bodies: Array<string | undefined>, headers: Array<Record<string, string>>, requests: number, concurrency: number }} LoadPlan
 */

const CACHE_FIELD = /"cache":"(\w+)"/g;

/** @param {LoadPlan} plan */
async function run(plan) {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const latencies = new Float64Array(plan.requests);
  /** @type {Record<string, number>} */
  const statuses = {};
  /** @type {Record<string, number>} */
  const layers = {};
  let next = 0;
  let firstBody = "";

  /** @param {number} i */
  const once = (i) =>
    new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const pick = (/** @type {any[]} */ list) => list[i % list.length];
      const req = request(plan.url + pick(plan.paths), { method: plan.method, agent, headers: pick(plan.headers) }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          latencies[i] = performance.now() - startedAt;
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const text = Buffer.concat(chunks).toString("utf8");
          if (i === 0) firstBody = text;
          for (const match of text.matchAll(CACHE_FIELD)) layers[match[1]] = (layers[match[1]] ?? 0) + 1;
          resolve(undefined);
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(pick(plan.bodies));
    });

  const slot = async () => {
    while (next < plan.requests) await once(next++);
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.requests) }, slot));
  const wallMs = performance.now() - startedAt;
  agent.destroy();
  return { latencies: Array.from(latencies), wallMs, statuses, layers, firstBody: firstBody.slice(0, 2000) };
}

run(workerData).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error) => parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
