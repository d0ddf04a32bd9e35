/**
 * @module read-batch-get
 * `POST /v1/agents/metrics:batchGet` of 100 ids, one request at a time (a latency figure, not a
 * throughput one):
 *  - from the store: a fresh instance, and every request asks for 100 agents not asked for before;
 *  - repeated: the same 100 ids again and again on that instance (edge hits once it caches views).
 * A build without the route answers 404: the figures then say "route not available" instead of
 * failing the run.
 */
import type { ReadOptions } from "../bench-options";
import { progress } from "../bench-output";
import { startProductInstance } from "../product-instance";
import { measureFigure, type ReadFigure } from "../read-figure";
import type { ReadWorld } from "../read-world";

export const BATCH_IDS = 100;
const BATCH_PATH = "/v1/agents/metrics:batchGet";

export interface BatchGetFigures {
  /** False when the route answered 404 (not built yet in this branch). */
  available: boolean;
  fromStore: ReadFigure;
  repeated: ReadFigure;
}

const bodyOf = (ids: readonly string[]) => JSON.stringify({ agentIds: ids });

export async function measureBatchGet(options: ReadOptions, world: ReadWorld, agents: readonly string[]): Promise<BatchGetFigures> {
  // The first 100 agents only warm the session and key; each measured request takes the next 100.
  const groups = Array.from({ length: Math.floor(agents.length / BATCH_IDS) }, (_, i) => agents.slice(i * BATCH_IDS, (i + 1) * BATCH_IDS));
  const [warmUp, ...fresh] = groups;
  if (!warmUp || fresh.length === 0) throw new Error(`batchGet needs at least ${2 * BATCH_IDS} agents (--agents)`);
  const measured = fresh.slice(0, options.batchRequests);
  const instance = await startProductInstance(world);
  const headers = await instance.headersFor(2 * measured.length + 1);
  progress(`batchGet of ${BATCH_IDS}: warming the session and key`);
  const first = await fetch(instance.server.url + BATCH_PATH, { method: "POST", headers: headers[0], body: bodyOf(warmUp) });
  await first.arrayBuffer();

  const plan = { paths: [BATCH_PATH], method: "POST" as const, headers, concurrency: 1 };
  const fromStore = await measureFigure(instance.server, "batch-store", `batchGet ${BATCH_IDS} ids, from the store`, `\`POST ${BATCH_PATH}\` of ${BATCH_IDS} ids never read before on a fresh instance, one request at a time`, { ...plan, bodies: measured.map(bodyOf), requests: measured.length });
  const repeated = await measureFigure(instance.server, "batch-repeated", `batchGet ${BATCH_IDS} ids, repeated`, `the same ${BATCH_IDS} ids again and again on that instance, one request at a time`, { ...plan, bodies: [bodyOf(measured[0])], requests: measured.length });
  await instance.close();
  return { available: first.status !== 404, fromStore, repeated };
}
