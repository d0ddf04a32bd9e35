/**
 * @module read-figure
 * One row of the read benchmark: a bounded load against one loopback server, with the Firestore
 * reads its requests made (measured in-process, read-counter.ts) and the `meta.cache` values the
 * responses carried.
 */
import { progress } from "./bench-output";
import { runLoad, type LoadPlan, type LoadResult } from "./load-generator";
import type { LoopbackServer } from "./loopback-server";
import { summarizeReads, type ReadsSummary } from "./read-counter";

export interface ReadFigure {
  /** A stable id (`edge`, `floor`, `naive-1000`, …) used by the targets. */
  id: string;
  label: string;
  /** How the figure was produced, in a sentence. */
  how: string;
  load: LoadResult;
  reads: ReadsSummary;
}

/** Requests sent before a figure and left out of it: connections, JIT, session and key caches. */
export const WARM_UP_REQUESTS = 200;

/** Runs `plan` against `server`; a warm-up of `warmUp` requests (same plan, not counted) first. */
export async function measureFigure(server: LoopbackServer, id: string, label: string, how: string, plan: Omit<LoadPlan, "url">, warmUp = 0): Promise<ReadFigure> {
  if (warmUp > 0) {
    progress(`${label}: warming up (${warmUp} requests)`);
    await runLoad({ ...plan, url: server.url, requests: warmUp });
  }
  progress(`${label}: ${plan.requests.toLocaleString("en-US")} requests at concurrency ${plan.concurrency}`);
  server.resetReads();
  const load = await runLoad({ ...plan, url: server.url });
  return { id, label, how, load, reads: summarizeReads(server.readsPerRequest()) };
}
