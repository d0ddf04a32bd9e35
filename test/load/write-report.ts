/**
 * @module write-report
 * The result of one write-path benchmark run, as JSON (everything, samples included) and as a Markdown table
 * (the figures a reader compares). Every figure states whether it was measured or derived from the
 * code path, and every ratio is between figures of the same run.
 */
import type { ResultHeader } from "./bench-environment";
import type { WriteOptions } from "./bench-options";
import type { InteractionBatches } from "./phases/interaction-batch";
import type { SizeResult, Timed } from "./phases/recompute-vs-incremental";
import type { UploadLatency } from "./phases/upload-latency";
import type { ReconcilePass, ReconcileScale } from "./phases/reconcile-scale";
import { ms, row, times, type Summary } from "./stats";

export const RESULT_NAME = "bench-write-path";

export interface BenchResult extends ResultHeader<WriteOptions> {
  pollPauseMs: number;
  uploadToVisible: UploadLatency;
  interactionBatches: InteractionBatches;
  sizes: SizeResult[];
  reconcileScale: ReconcileScale;
}

const int = (n: number) => n.toLocaleString("en-US");
const summaryRow = (label: string, s: Summary) => row([label, ms(s.p50), ms(s.p95), ms(s.mean), ms(s.min), ms(s.max)]);

function uploadSection(r: BenchResult): string[] {
  const u = r.uploadToVisible;
  return [
    `## 1. Upload to visible through the API (measured, HTTP)`,
    ``,
    `${u.visible.n} source writes (firebase-admin) into one agent, each followed by \`GET /v1/agents/{id}/metrics\` polls (${r.pollPauseMs} ms apart, with \`Cache-Control: no-cache\` as a client that just wrote sends, so the stored view answers rather than an instance's copy) until \`sources.count\` includes it; timed from the start of the write to the first response that shows it. A plain reader of an instance that holds a copy sees the change once that copy is 5 s old (docs/API.md).`,
    ``,
    row(["figure", "p50", "p95", "mean", "min", "max"]),
    row(["---", "---:", "---:", "---:", "---:", "---:"]),
    summaryRow("write start → visible through the API", u.visible),
    summaryRow("write acknowledged by Firestore", u.acknowledged),
  ];
}

function batchSection(r: BenchResult): string[] {
  const b = r.interactionBatches;
  return [
    `## 2. 1000 interactions in one request → visible (measured, HTTP)`,
    ``,
    `One \`POST /v1/agents/{id}/interactions\` of 1000 items per fresh agent, then polls until \`interactions.count\` is 1000. Before the next repeat, the batch's 1000 create events (which add nothing) are let run out: a sentinel interaction written after them is counted by the trigger.`,
    ``,
    row(["fresh agent", "POST answered (202)", "request start → visible", "create events run out (sentinel counted)"]),
    row(["---", "---:", "---:", "---:"]),
    ...b.repeats.map((x, i) => row([i + 1, ms(x.postMs), ms(x.visibleMs), x.backlogMs === null ? "(last: not waited)" : `after ${ms(x.backlogMs)}`])),
    row(["**median**", `**${ms(b.medianPostMs)}**`, `**${ms(b.medianVisibleMs)}**`, ""]),
  ];
}

function timedRow(size: number, name: string, path: string, t: Timed, naive: Timed): string {
  const reads = `${int(t.reads.reads)} (${t.readsMeasured ? "measured" : "derived"})`;
  return row([int(size), name, path, `${ms(t.medianMs)} (n=${t.samplesMs.length})`, times(t.medianMs / naive.medianMs), reads, times(t.reads.reads / naive.reads.reads)]);
}

function sizeSection(r: BenchResult): string[] {
  const lines = [
    `## 3. Full recompute vs incremental update, one agent`,
    ``,
    `Times are measured medians; document reads are derived from the code path unless marked measured. "× naive" is the ratio to the naive read of the same agent in this run.`,
    ``,
    row(["sources", "operation", "path", "time (median)", "× naive", "document reads", "× naive"]),
    row(["---:", "---", "---", "---:", "---:", "---:", "---:"]),
  ];
  for (const s of r.sizes) {
    lines.push(
      timedRow(s.size, "naive read: query every source + sum (baseline)", "firebase-admin, in-process", s.naive, s.naive),
      timedRow(s.size, "API read: `GET …/metrics` (stored view)", "HTTP", s.apiRead, s.naive),
      timedRow(s.size, "full recompute: what `POST …/metrics:refresh` runs", "`recompute`, in-process", s.fullRecompute, s.naive),
      timedRow(s.size, "incremental: one more source → visible", "trigger, then HTTP polls", s.incremental, s.naive),
    );
  }
  lines.push(
    ``,
    row(["sources", "incremental ÷ full recompute (time)", "incremental ÷ full recompute (reads)", "API read ÷ naive read (time)", "API read ÷ naive read (reads)"]),
    row(["---:", "---:", "---:", "---:", "---:"]),
    ...r.sizes.map((s) =>
      row([
        int(s.size),
        times(s.incremental.medianMs / s.fullRecompute.medianMs),
        times(s.incremental.reads.reads / s.fullRecompute.reads.reads),
        times(s.apiRead.medianMs / s.naive.medianMs),
        times(s.apiRead.reads.reads / s.naive.reads.reads),
      ]),
    ),
    ``,
    ...r.sizes.map(
      (s) =>
        `- ${int(s.size)} sources: seeded in ${ms(s.seedMs)} (batches of 500); ${s.drained ? `trigger backlog processed ${ms(s.drainMs)} after the view-building refresh` : `**trigger backlog NOT cleared after ${ms(s.drainMs)}: the figures above ran beside it**`}.`,
    ),
  );
  return lines;
}

function passRow(name: string, p: ReconcilePass, stored: number): string {
  const r = p.report;
  const verdicts = [`${int(r.audited)} audited`, r.repaired.behind && `${r.repaired.behind} behind`, r.repaired.drift && `${r.repaired.drift} drift`, r.rolled && `${int(r.rolled)} rolled`, r.unfolded && `${r.unfolded} unfolded`, r.failed && `**${r.failed} failed**`].filter(Boolean).join(", ");
  return row([name, ms(p.durationMs), p.complete ? "yes" : "no (the next run resumes)", int(p.reads), `${((100 * p.reads) / stored).toFixed(2)} %`, verdicts, int(r.rollups)]);
}

export function reconcileSection(r: Pick<BenchResult, "reconcileScale">): string[] {
  const s = r.reconcileScale;
  const d = s.drift;
  return [
    `## 4. Hourly reconcile over ${int(s.agents)} agents × ${s.documentsPerAgent} documents (measured reads, in process)`,
    ``,
    `The real \`reconcile()\` with its production options (but a time budget of hours: the emulator's aggregations scan whole collections) over ${int(s.storedDocuments)} stored documents (agents included), seeded in ${ms(s.seedMs)} in a project of their own. Every view was written as a full recompute writes it, by the fold's own code over the generated documents, and the ${int(s.rollups)} rollups folded by the rollup store, in ${ms(s.buildMs)}; the reconcile's state is what a finished pass leaves. Reads are counted by the patched Firestore client (read-counter.ts), not derived. Then ${int(s.changedAgents)} agents (1 %) change through an ingest and its fold, and the steady pass is measured: **${(100 * s.steadyReadShare).toFixed(2)} %** of the stored documents read (the bound: 5 %).`,
    ``,
    row(["pass", "time", "complete", "reads (measured)", "of stored documents", "what it did", "rollups refolded or rolled"]),
    row(["---", "---:", "---", "---:", "---:", "---", "---:"]),
    passRow(`steady (${int(s.changedAgents)} changed)`, s.steadyPass, s.storedDocuments),
    ...(d?.passes ?? []).map((p, i) => passRow(`drift hunt ${i + 1}`, p, s.storedDocuments)),
    ``,
    d === null
      ? `The drift hunt (a day of passes) runs at smaller scales (\`--reconcile-agents 2000\` or fewer): each of its passes here would scan the emulator's million documents for every audit.`
      : d.repairedWithin === null
        ? `**The ${d.injected} drifts injected into unchanged agents (a source deleted with no trigger) were not all repaired within ${d.passes.length} passes.**`
        : `${d.injected} drifts injected into unchanged agents spread over the id space (a source deleted with no trigger to count it) were all repaired ("drift") within ${d.repairedWithin} hourly passes: a day of passes (24) audits every agent.`,
  ];
}

const NOTES = [
  `## Measured and derived`,
  ``,
  `- Measured: every time; the naive read's document count (documents its query returned).`,
  `- Derived from the code path (\`read-costs.ts\`): the other read counts. API read = user + view (the view names its agent's owner); the full recompute's are counted in process (the store's \`recompute\`, which the refresh route runs once a minute per agent and instance: refreshes coalesce); incremental = the fold's agent + view + prices, its pending-delta query and the newest-5 \`lastAddedAt\` query, shared by every change of the fold's one-second slot, and 3 writes (the delta, the view, the delta marked applied). Amortized reads (API key cached 5 s, rate counter ≤ 1/s per key) are left out.`,
  `- The incremental time is write start → visible (trigger dispatch, its transaction, and up to one poll cycle); the full recompute time is the store's recompute, in process. Both run on emulators: see docs/PERFORMANCE.md for what limits each figure.`,
];

export function renderMarkdown(r: BenchResult): string {
  const e = r.environment;
  return [
    `# Write-path benchmark (emulators)`,
    ``,
    `${r.generatedAt}, measured for ${(r.durationMs / 60_000).toFixed(1)} min (emulator start and stop not included): \`${r.command}\``,
    `on ${e.cpus} × ${e.cpuModel}, ${e.memoryGiB} GiB, Node ${e.node}, firebase-tools ${e.firebaseTools}, Firestore emulator ${e.firestoreEmulator}.`,
    `Emulator timings, not production timings: one machine runs Firestore, the functions and this client (1-minute load average ${e.loadAverage1m.start} at the start, ${e.loadAverage1m.end} at the end).`,
    ``,
    ...uploadSection(r),
    ``,
    ...batchSection(r),
    ``,
    ...sizeSection(r),
    ``,
    ...reconcileSection(r),
    ``,
    ...NOTES,
    ``,
  ].join("\n");
}
