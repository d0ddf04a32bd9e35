/**
 * @module read-serving
 * The product's single-agent read against the floor:
 *  - repeated read: one agent read again and again through one instance (an edge hit once the
 *    instance caches views; the layer served is reported as the responses state it), at the load's
 *    concurrency and again at the baselines' (whose requests are too slow for more), so the naive
 *    read is compared with an edge hit under the same load;
 *  - floor: a minimal Node HTTP server returning the very bytes and headers of that read, with no
 *    authentication and no cache;
 *  - store hit: a fresh instance (cold caches, session and key verified once beforehand on another
 *    agent) reading distinct agents, each once, so no edge can answer.
 */
import { expectAll } from "../load-generator";
import { serveFixedBytes } from "../loopback-server";
import { startProductInstance, type ProductInstance } from "../product-instance";
import { measureFigure, measureInterleaved, WARM_UP_REQUESTS, type ReadFigure } from "../read-figure";
import type { ReadOptions } from "../bench-options";
import { BASELINE_CONCURRENCY } from "./read-baselines";

/** Response headers that belong to a connection, not to the answer, and are left out of the floor's copy. */
const CONNECTION_HEADERS = new Set(["connection", "keep-alive", "date", "transfer-encoding", "content-length"]);
const metricsPath = (agentId: string) => `/v1/agents/${agentId}/metrics`;
/** The agent's hourly series (the default 24 h), rendered from the same stored view. */
const seriesPath = (agentId: string) => `/v1/agents/${agentId}/metrics/series`;
/** The app's whole chain (Hono, auth, caches) is JIT-compiled over the first thousand or so requests; the floor's few lines need none. */
const EDGE_WARM_UP_REQUESTS = 1000;

export interface ServingFigures {
  repeated: ReadFigure;
  /** The repeated read at the baselines' concurrency. */
  repeatedLight: ReadFigure;
  floor: ReadFigure;
  store: ReadFigure;
  /** The same two reads of the agent's series: an edge hit (in turns with the metrics read) and store hits. */
  seriesRepeated: ReadFigure;
  seriesStore: ReadFigure;
  /** Size of the response body all three return. */
  responseBytes: number;
}

/** The floor serves exactly what the product answered for this read. */
async function startFloor(instance: ProductInstance, headers: Record<string, string>, agentId: string) {
  const res = await fetch(`${instance.server.url}${metricsPath(agentId)}`, { headers });
  if (res.status !== 200) throw new Error(`reading ${agentId} through the app answered ${res.status}: ${await res.text()}`);
  const body = Buffer.from(await res.arrayBuffer());
  const copied: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!CONNECTION_HEADERS.has(name)) copied[name] = value;
  });
  return { floor: await serveFixedBytes(body, copied), bytes: body.length };
}

export async function measureServing(options: ReadOptions, world: Parameters<typeof startProductInstance>[0], agents: readonly string[]): Promise<ServingFigures> {
  const { requests, concurrency } = options;
  const hot = agents[0];
  const warm = await startProductInstance(world);
  const headers = await warm.headersFor(2 * (requests + EDGE_WARM_UP_REQUESTS) + WARM_UP_REQUESTS);
  const { floor: floorServer, bytes } = await startFloor(warm, headers[0], hot);
  // The edge hit and the floor take turns, so that their ratio does not depend on which ran first.
  const [repeated, seriesRepeated, floor] = await measureInterleaved([
    { server: warm.server, id: "repeated", label: "repeated read (same agent, one instance)", how: "`GET /v1/agents/{id}/metrics` of one agent, again and again, on one warmed instance (in turns with the floor)", plan: { paths: [metricsPath(hot)], headers, requests, concurrency } },
    { server: warm.server, id: "series-repeated", label: "repeated series read (same agent, one instance)", how: "`GET /v1/agents/{id}/metrics/series` (24 hourly points) of the same agent on the same instance, in turns with the metrics read", plan: { paths: [seriesPath(hot)], headers, requests, concurrency } },
    { server: floorServer, id: "floor", label: "floor: minimal Node HTTP server, same bytes", how: "`node:http` answering the bytes and headers of that read, no auth, no cache, no Firestore (in turns with the repeated read)", plan: { paths: [metricsPath(hot)], requests, concurrency } },
  ], EDGE_WARM_UP_REQUESTS);
  expectAll(repeated.load, 200, repeated.label);
  expectAll(seriesRepeated.load, 200, seriesRepeated.label);
  expectAll(floor.load, 200, floor.label);
  const light = { paths: [metricsPath(hot)], headers, requests: Math.min(requests, 1000), concurrency: BASELINE_CONCURRENCY };
  const repeatedLight = await measureFigure(warm.server, "repeated-light", `repeated read at concurrency ${BASELINE_CONCURRENCY}`, `the same read at the naive and aggregation baselines' concurrency, so that they are compared under the same load`, light);
  expectAll(repeatedLight.load, 200, repeatedLight.label);
  await Promise.all([floorServer.close(), warm.close()]);

  // Distinct agents on a cold instance; the last agent only verifies the session and key first.
  const distinct = agents.slice(1, Math.min(agents.length - 1, requests + 1));
  const cold = await startProductInstance(world);
  const coldHeaders = await cold.headersFor(distinct.length + 1);
  const check = await fetch(`${cold.server.url}${metricsPath(agents[agents.length - 1])}`, { headers: coldHeaders[0] });
  if (check.status !== 200) throw new Error(`the cold instance answered ${check.status}: ${await check.text()}`);
  const store = await measureFigure(cold.server, "store", "store hit (distinct agents, cold instance)", `\`GET /v1/agents/{id}/metrics\` of ${distinct.length.toLocaleString("en-US")} distinct agents, each once, on a fresh instance`, { paths: distinct.map(metricsPath), headers: coldHeaders, requests: distinct.length, concurrency });
  expectAll(store.load, 200, store.label);
  await cold.close();

  // The series of the same agents on another fresh instance: its caches have never seen them.
  const coldSeries = await startProductInstance(world);
  const seriesHeaders = await coldSeries.headersFor(distinct.length + 1);
  const seriesCheck = await fetch(`${coldSeries.server.url}${seriesPath(agents[agents.length - 1])}`, { headers: seriesHeaders[0] });
  if (seriesCheck.status !== 200) throw new Error(`the cold instance answered a series read ${seriesCheck.status}: ${await seriesCheck.text()}`);
  const seriesStore = await measureFigure(coldSeries.server, "series-store", "series store hit (distinct agents, cold instance)", `\`GET /v1/agents/{id}/metrics/series\` of the same ${distinct.length.toLocaleString("en-US")} agents, each once, on another fresh instance`, { paths: distinct.map(seriesPath), headers: seriesHeaders, requests: distinct.length, concurrency });
  expectAll(seriesStore.load, 200, seriesStore.label);
  await coldSeries.close();
  return { repeated, repeatedLight, floor, store, seriesRepeated, seriesStore, responseBytes: bytes };
}
