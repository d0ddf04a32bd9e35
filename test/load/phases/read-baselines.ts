/**
 * @module read-baselines
 * The reads the product replaces, for one agent of `size` documents (half sources, half
 * interactions), each behind its own minimal loopback HTTP server (no auth, no cache, which flatters
 * them):
 *  - naive: every source and interaction of the agent read and summed on each request, with the
 *    product's own domain functions (naive-read.ts); its answer is checked to carry the same metrics
 *    the product serves for that agent (the view built by the product's `POST …/metrics:refresh`);
 *  - aggregations: Firestore `count()`/`sum()` queries for the parts they can answer
 *    (aggregate-read.ts), checked against the same served view.
 */
import { deepStrictEqual } from "node:assert/strict";
import { pricingOf } from "../../../functions/src/agent-views/agent-view-store";
import type { MetricsView } from "../../../functions/src/metrics/metrics-view";
import { contentOf } from "../../../functions/src/metrics/metrics-view";
import { aggregatedMetrics, type AggregatedMetrics } from "../aggregate-read";
import type { ReadOptions } from "../bench-options";
import { progress } from "../bench-output";
import { expectAll } from "../load-generator";
import { serveJson } from "../loopback-server";
import { naiveMetricsBody } from "../naive-read";
import { countingLogger, startProductInstance } from "../product-instance";
import { measureFigure, type ReadFigure } from "../read-figure";
import { seedLargeAgent, type ReadWorld } from "../read-world";

/** Concurrency of the naive and aggregation loads: each request is already heavy for the emulator. */
export const BASELINE_CONCURRENCY = 2;

export interface BaselineFigures {
  size: number;
  seedMs: number;
  naive: ReadFigure;
  aggregate: ReadFigure;
}

/** The served view's values for the fields the aggregations cover. */
function aggregatedPart(view: MetricsView): AggregatedMetrics {
  const { count, totalBytes, totalTokens, byType, byStatus } = view.sources;
  const { count: n, errorCount, inputTokens, outputTokens, cacheReadTokens } = view.interactions;
  return { sources: { count, totalBytes, totalTokens, byType, byStatus }, interactions: { count: n, errorCount, inputTokens, outputTokens, cacheReadTokens } };
}

/** The product's view of `agentId`, built from source by its own refresh route. */
async function productView(world: ReadWorld, agentId: string): Promise<MetricsView> {
  const instance = await startProductInstance(world);
  const [headers] = await instance.headersFor(2);
  const refreshed = await fetch(`${instance.server.url}/v1/agents/${agentId}/metrics:refresh`, { method: "POST", headers });
  if (refreshed.status !== 200) throw new Error(`the refresh answered ${refreshed.status}: ${await refreshed.text()}`);
  const read = await fetch(`${instance.server.url}/v1/agents/${agentId}/metrics`, { headers });
  await instance.close();
  return ((await read.json()) as { data: MetricsView }).data;
}

export async function measureBaselines(options: ReadOptions, world: ReadWorld, size: number): Promise<BaselineFigures> {
  const label = `${size.toLocaleString("en-US")} documents`;
  const seedStart = performance.now();
  const agentId = await seedLargeAgent(world, size, (done) => progress(`${label}: seeded ${done.toLocaleString("en-US")}`));
  const seedMs = performance.now() - seedStart;
  progress(`${label}: the product builds its view (POST …/metrics:refresh)`);
  const served = await productView(world, agentId);
  // The naive read prices as the fold does: from the stored prices, read with the documents.
  const pricing = { current: async () => pricingOf(await world.db.doc("metrics_config/pricing").get(), countingLogger) };
  const ctx = { keyring: world.keyring, now: () => new Date() };
  const path = `/agents/${agentId}`;
  const plan = { paths: [path], requests: options.naiveRequests, concurrency: BASELINE_CONCURRENCY };

  const naiveServer = await serveJson(async () => naiveMetricsBody(world.db, agentId, { ...ctx, pricing: await pricing.current() }));
  const naiveAnswer = (await (await fetch(naiveServer.url + path)).json()) as { data: MetricsView };
  deepStrictEqual(contentOf(naiveAnswer.data), contentOf(served), `the naive read of ${label} does not give the metrics the product serves`);
  const naive = await measureFigure(naiveServer, `naive-${size}`, `naive read, ${label}`, `every source and interaction read and summed per request (${size.toLocaleString("en-US")} reads), same domain functions and response shape`, plan);
  expectAll(naive.load, 200, naive.label);
  await naiveServer.close();

  const aggregateServer = await serveJson(() => aggregatedMetrics(world.db, agentId));
  deepStrictEqual(await (await fetch(aggregateServer.url + path)).json(), aggregatedPart(served), `the aggregations of ${label} do not match the served view`);
  const aggregate = await measureFigure(aggregateServer, `aggregate-${size}`, `count()/sum() aggregations, ${label}`, "12 aggregation queries per request (counts and sums of sources and interactions); no costs, percentiles, windows or maxima", plan);
  expectAll(aggregate.load, 200, aggregate.label);
  await aggregateServer.close();
  return { size, seedMs, naive, aggregate };
}
