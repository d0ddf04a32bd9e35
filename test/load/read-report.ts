/**
 * @module read-report
 * The result of one read-path benchmark run, as JSON (everything) and as Markdown: the figures with
 * their ratios to the floor and to the naive reads of the same run, the batchGet and heap figures,
 * and the targets with PASS or FAIL.
 */
import type { ResultHeader } from "./bench-environment";
import type { AbuseFigures } from "./phases/read-abuse";
import type { ReadOptions } from "./bench-options";
import type { BaselineFigures } from "./phases/read-baselines";
import type { BatchGetFigures } from "./phases/read-batch-get";
import type { CacheHeap } from "./phases/read-cache-heap";
import type { ReadFigure } from "./read-figure";
import { layersOf, type TargetCheck } from "./read-targets";
import { ms, row, times } from "./stats";

export const READ_RESULT_NAME = "bench-read-path";

export interface ReadResult extends ResultHeader<ReadOptions> {
  seeding: { agents: number; agentsMs: number };
  responseBytes: number;
  repeated: ReadFigure;
  repeatedLight: ReadFigure;
  floor: ReadFigure;
  store: ReadFigure;
  seriesRepeated: ReadFigure;
  seriesStore: ReadFigure;
  baselines: BaselineFigures[];
  batchGet: BatchGetFigures;
  heap: CacheHeap;
  abuse: AbuseFigures;
  targets: TargetCheck[];
  /** Warnings and errors the product instances logged, by event. */
  loggedEvents: Record<string, number>;
  /** Firestore reads made outside any request (rate-limit syncs, usage flushes), over the whole run. */
  backgroundReads: number;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (n: number) => (n < 10 ? n.toFixed(1) : int(n));
const reads = (f: ReadFigure) => (f.reads.mean === 0 ? "0" : `${f.reads.mean < 10 ? f.reads.mean.toFixed(f.reads.mean < 0.1 ? 4 : 2) : int(f.reads.mean)} (median ${int(f.reads.p50)})`);

function figureTable(r: ReadResult): string[] {
  const naive = r.baselines.map((b) => b.naive);
  const figures = [r.repeated, r.repeatedLight, r.store, r.seriesRepeated, r.seriesStore, r.floor, ...r.baselines.flatMap((b) => [b.naive, b.aggregate])];
  const header = ["figure", "requests @ concurrency", "p50", "p95", "p99", "req/s", "reads / request (measured)", "meta.cache", "p50 × floor", "req/s × floor", ...naive.map((n) => `p50 × naive ${int(Number(n.id.split("-")[1]))}`)];
  return [
    row(header),
    row(header.map((_, i) => (i < 2 || i === 7 ? "---" : "---:"))),
    ...figures.map((f) =>
      row([
        f.label,
        `${int(f.load.requests)} @ ${f.load.concurrency}`,
        ms(f.load.latency.p50),
        ms(f.load.latency.p95),
        ms(f.load.latency.p99),
        perSecond(f.load.requestsPerSecond),
        reads(f),
        f.id === "floor" || f.id.startsWith("naive") || f.id.startsWith("aggregate") ? "—" : layersOf(f.load.cacheLayers),
        times(f.load.latency.p50 / r.floor.load.latency.p50),
        times(f.load.requestsPerSecond / r.floor.load.requestsPerSecond),
        ...naive.map((n) => times(f.load.latency.p50 / n.load.latency.p50)),
      ]),
    ),
  ];
}

function abuseSection({ forbiddenBatch: f, forgedKeys: k, userBudget: u, refreshes: r }: AbuseFigures): string[] {
  return [
    `## What an attacker can make it read (fresh instance each)`,
    ``,
    `- A signed-in user of another organization, with a key of their own, sends \`POST /v1/agents/metrics:batchGet\` of ${int(f.ids)} agents they may not read with \`Cache-Control: no-cache\`, ${int(f.requests)} times: **${int(f.reads)} reads** (${f.readsPerRequest.toFixed(2)} a request, session and key included); statuses ${Object.entries(f.statuses).map(([s, n]) => `${n} × ${s}`).join(", ")}; ${f.served} answers served an agent or missed an id in \`forbidden\`.`,
    `- One signed-in user sends forged well-formed keys at ${k.perSecond} a second for ${k.statusesBySecond.length} s: ${k.first429 ? `first 429 at request ${k.first429.index + 1}, ${ms(k.first429.afterMs)} after the first` : "no 429"}; **${int(k.reads)} reads** for ${int(k.requests)} requests; by second: ${k.statusesBySecond.map((s, i) => `${i + 1}: ${Object.entries(s).map(([st, n]) => `${n} × ${st}`).join(", ")}`).join("; ")}.`,
    `- One user with ${u.keys} keys (each at the deployment's ceiling) sends \`no-cache\` reads and batchGets of 100 agents for ${u.seconds} s under the default store budget: ${int(u.requests)} requests (${Object.entries(u.statuses).map(([s, n]) => `${n} × ${s}`).join(", ")}); **${int(u.requestReads + u.backgroundReads)} reads in the minute** (${int(u.requestReads)} charged to requests, ${int(u.backgroundReads)} outside them)${Object.keys(u.errors).length ? `; logged: ${JSON.stringify(u.errors)}` : ""}.`,
    `- ${int(r.requests)} \`metrics:refresh\` of one agent of ${int(r.documents)} documents in ${r.seconds} s through ${r.instances} instances: **${r.scans} scan(s)** (requests charged ≥ ${int(r.documents)} reads; answers by \`meta.cache\`: ${Object.entries(r.byCache).map(([c, n]) => `${n} × ${c}`).join(", ")}; statuses ${Object.entries(r.statuses).map(([s, n]) => `${n} × ${s}`).join(", ")}); ${int(r.reads)} reads in all.`,
  ];
}

function batchSection(r: ReadResult): string[] {
  const b = r.batchGet;
  const lines = [`## batchGet of 100 ids (one request at a time)`, ``];
  if (!b.available) return [...lines, `Route not available in this build: \`POST /v1/agents/metrics:batchGet\` answered 404 (statuses: ${JSON.stringify(b.fromStore.load.statuses)}). The figure is measured the same way once it exists.`];
  return [
    ...lines,
    row(["figure", "requests", "p50", "p95", "p99", "reads / request (measured)", "meta.cache of the items", "statuses"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---", "---"]),
    ...[b.fromStore, b.repeated].map((f) => row([f.label, int(f.load.requests), ms(f.load.latency.p50), ms(f.load.latency.p95), ms(f.load.latency.p99), reads(f), layersOf(f.load.cacheLayers), Object.entries(f.load.statuses).map(([s, n]) => `${n} × ${s}`).join(", ")])),
  ];
}

export function renderReadMarkdown(r: ReadResult): string {
  const e = r.environment;
  const h = r.heap;
  return [
    `# Read-path benchmark (loopback HTTP, Firestore and Auth emulators)`,
    ``,
    `${r.generatedAt}, measured for ${(r.durationMs / 60_000).toFixed(1)} min: \`${r.command}\``,
    `on ${e.cpus} × ${e.cpuModel}, ${e.memoryGiB} GiB, Node ${e.node}, Firestore emulator ${e.firestoreEmulator} (1-minute load average ${e.loadAverage1m.start} at the start, ${e.loadAverage1m.end} at the end).`,
    `The app (\`createApp(apiDeps(config))\`) and every baseline run in this process behind \`node:http\` on 127.0.0.1; the load comes from a worker thread over keep-alive connections. Responses are ${int(r.responseBytes)} bytes.`,
    ``,
    `## Targets`,
    ``,
    row(["target", "verdict", "figures"]),
    row(["---", "---", "---"]),
    ...r.targets.map((t) => row([t.target, t.pass ? "**PASS**" : "**FAIL**", t.detail])),
    ``,
    `## Latency, throughput and reads`,
    ``,
    ...figureTable(r),
    ``,
    ...[r.repeated, r.repeatedLight, r.store, r.floor, ...r.baselines.flatMap((b) => [b.naive, b.aggregate])].map((f) => `- ${f.label}: ${f.how}.`),
    ``,
    ...batchSection(r),
    ``,
    ...abuseSection(r.abuse),
    ``,
    `## Heap of ${int(h.agents)} agent documents read once`,
    ``,
    `Used heap after \`gc()\`: ${h.heapBeforeMB.toFixed(1)} MB before, ${h.heapAfterMB.toFixed(1)} MB after: **${h.deltaMB.toFixed(1)} MB** (${((h.deltaMB * 1e6) / h.agents / 1000).toFixed(2)} kB per agent). A second read of ${int(h.rereadSample)} of them said: ${layersOf(h.rereadLayers)}.`,
    ``,
    `## Notes`,
    ``,
    `- Reads are counted in-process by patching firebase-admin's Firestore client (test/load/read-counter.ts) and charged to the request during which they happened; ${int(r.backgroundReads)} reads happened outside any request over the run (rate-limit syncs, usage flushes).`,
    `- Seeding: ${int(r.seeding.agents)} agents with signed views in ${ms(r.seeding.agentsMs)}; ${r.baselines.map((b) => `${int(b.size)} documents in ${ms(b.seedMs)}`).join(", ")} (batched writes, trigger-free project).`,
    `- Logged by the instances: ${Object.keys(r.loggedEvents).length ? Object.entries(r.loggedEvents).map(([event, n]) => `${event} × ${n}`).join(", ") : "no warning or error"}.`,
    ``,
  ].join("\n");
}
