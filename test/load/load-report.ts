/**
 * @module load-report
 * The mixed load's figures as text: throughput, latency percentiles and statuses per kind, the
 * outage's timeline, rate-limit accuracy per limited key, heap/RSS over time, and the reconcile.
 */
import type { ReconcileReport } from "../../functions/src/reconcile/reconciler";
import { KINDS, type LoadRun, type RequestRecord } from "./mixed-load";
import { duringOutage, type WindowCount } from "./load-checks";
import { ms, summarize } from "./stats";

export function formatLoadReport(run: LoadRun, rate: { windows: WindowCount[]; straddling: number; limit: number }, reconcile: ReconcileReport, failures: readonly string[]): string {
  const wallS = (run.endedAt - run.startedAt) / 1000;
  const lines = [
    `Mixed load: ${run.options.concurrency} concurrent for ${run.options.durationMs / 1000} s (seed ${run.options.seed}): ${run.records.length} requests, ${(run.records.length / wallS).toFixed(1)} req/s`,
    "",
    "| kind | requests | req/s | p50 | p95 | p99 | max | statuses |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const kind of KINDS) {
    const records = run.records.filter((r) => r.kind === kind);
    if (records.length === 0) continue;
    const s = summarize(records.map((r) => r.end - r.start));
    const statuses = new Map<string, number>();
    for (const r of records) {
      const label = kind === "upload" ? ({ 200: "acked", 0: "timed out", [-1]: "failed" } as Record<number, string>)[r.status] : `${r.status}${r.code ? ` ${r.code}` : ""}`;
      statuses.set(label, (statuses.get(label) ?? 0) + 1);
    }
    lines.push(`| ${kind} | ${records.length} | ${(records.length / wallS).toFixed(1)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${[...statuses].map(([k, n]) => `${n} × ${k}`).join(", ")} |`);
  }
  if (run.outage) {
    const o = run.outage;
    const during = run.records.filter((r) => r.kind !== "upload" && duringOutage(r, run));
    const slowest = (list: readonly RequestRecord[]) => ms(list.length ? Math.max(...list.map((r) => r.end - r.start)) : 0);
    const unavailable = during.filter((r) => r.status === 503);
    const answered = during.filter((r) => r.status < 500);
    lines.push(
      "",
      `Outage: Firestore away at +${((o.downAt - run.startedAt) / 1000).toFixed(1)} s for ${((o.resumedAt - o.downAt) / 1000).toFixed(1)} s (the emulator stopped, and started again from its data in ${(o.restartedIn / 1000).toFixed(1)} s); the app's client answered again ${((o.recoveredAt - o.resumedAt) / 1000).toFixed(1)} s after it came back.`,
      `  ${during.length} requests overlapped it: ${unavailable.length} × 503 UNAVAILABLE (slowest in ${slowest(unavailable)}), ${answered.length} answered below 500 (from the edge cache or rate limits, or waited the outage out; slowest in ${slowest(answered)}).`,
      `  Uploads acknowledged before it: ${run.ackedUploads.filter((u) => u.at < o.downAt).length}; in all: ${run.ackedUploads.length}.`,
    );
  }
  const saturated = rate.windows.filter((w) => w.refused > 0);
  const worst = Math.max(0, ...rate.windows.map((w) => w.allowed));
  lines.push(
    "",
    `Rate limits: ${rate.windows.length} key-minute windows on limited keys (limit ${rate.limit}/min; ${rate.straddling} requests straddling a window edge left out): most allowed in one window ${worst}; in the ${saturated.length} windows with refusals, allowed ${saturated.map((w) => w.allowed).join(", ") || "-"}.`,
    "",
    "Memory (heap / RSS, MB): " + sampled(run.memory).map((m) => `+${Math.round(m.atMs / 1000)} s ${m.heapMb.toFixed(0)}/${m.rssMb.toFixed(0)}`).join(", "),
    "",
    `Acknowledged and found: ${run.ackedInteractions.length} interactions, ${run.ackedUploads.length} uploads.`,
    `Reconcile: audited ${reconcile.audited}, repaired ${JSON.stringify(reconcile.repaired)}, failed ${reconcile.failed}, in ${reconcile.durationMs} ms (uploads reach views only through it: no trigger runs in the load's project).`,
    "",
    failures.length === 0 ? "PASS" : `FAIL (${failures.length}):\n  ${failures.slice(0, 20).join("\n  ")}`,
  );
  return lines.join("\n");
}

/** About ten samples spread over the run, the first and last included. */
function sampled<T>(list: readonly T[]): T[] {
  const step = Math.max(1, Math.ceil(list.length / 10));
  return list.filter((_, i) => i % step === 0 || i === list.length - 1);
}
