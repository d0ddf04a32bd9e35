/**
 * @module read-figure
 * One row of the read benchmark: a bounded load against one loopback server, with the Firestore
 * reads its requests made (measured in-process, read-counter.ts) and the `meta.cache` values the
 * responses carried.
 */
import { progress } from "./bench-output";
import { runInterleaved, runLoad, type LoadPlan, type LoadResult } from "./load-generator";
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

/** One figure of an interleaved measurement. */
export interface FigurePlan {
  server: LoopbackServer;
  id: string;
  label: string;
  how: string;
  plan: Omit<LoadPlan, "url">;
}

/** Rounds in which interleaved figures take turns. */
export const INTERLEAVED_SLICES = 4;

/**
 * Measures figures that are compared with each other (the edge hit and the floor) in turns, each
 * warmed up first: a figure measured after another would meet a different machine (the emulator
 * settling after seeding, other processes), and their ratio would say more about the order than
 * about the code.
 */
export async function measureInterleaved(figures: readonly FigurePlan[], warmUp = WARM_UP_REQUESTS): Promise<ReadFigure[]> {
  for (const f of figures) {
    progress(`${f.label}: warming up (${warmUp} requests)`);
    await runLoad({ ...f.plan, url: f.server.url, requests: warmUp });
    f.server.resetReads();
  }
  progress(`${figures.map((f) => f.label).join(" / ")}: ${figures[0].plan.requests.toLocaleString("en-US")} requests each at concurrency ${figures[0].plan.concurrency}, in ${INTERLEAVED_SLICES} turns`);
  const loads = await runInterleaved(figures.map((f) => ({ ...f.plan, url: f.server.url })), INTERLEAVED_SLICES);
  return figures.map((f, i) => ({ id: f.id, label: f.label, how: f.how, load: loads[i], reads: summarizeReads(f.server.readsPerRequest()) }));
}
