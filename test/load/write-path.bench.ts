/**
 * @module write-path.bench
 * The write-path benchmark of the derived views (run by test/load/bench.ts): upload-to-visible
 * latency, a 1000-interaction batch to visible, and full recompute versus incremental update against
 * the naive on-request read, all through the real triggers and the `api` function on the emulators.
 * Writes test/results/bench-write-path.{json,md}.
 *
 * Order matters: the latency samples come first, on quiet emulators; the large seeding next; the
 * interaction batches last, because the 1000 create events of the last one run on after its figure.
 */
import { adminDb } from "../support/emulators";
import { connectBenchApi } from "./bench-api";
import { loadNow, resultHeader } from "./bench-environment";
import type { WriteOptions } from "./bench-options";
import { progress, say, writeResults } from "./bench-output";
import { measureInteractionBatches } from "./phases/interaction-batch";
import { measureReconcileScale } from "./phases/reconcile-scale";
import { measureRecomputeVsIncremental, type SizeResult } from "./phases/recompute-vs-incremental";
import { measureUploadToVisible } from "./phases/upload-latency";
import { SourceWriter } from "./source-writer";
import { POLL_PAUSE_MS } from "./visibility";
import { reconcileSection, renderMarkdown, RESULT_NAME, type BenchResult } from "./write-report";

/** Runs the write-path benchmark; prints its table and returns the paths of its result files. */
export async function runWritePath(options: WriteOptions, command: string): Promise<string[]> {
  const startedAt = performance.now();
  const loadAtStart = loadNow();
  say(`› Write-path benchmark: ${options.runs} upload runs, sizes ${options.sizes.join(", ")}, ${options.batches} interaction batches`);
  progress("signing up the bench user and creating its API key");
  const api = await connectBenchApi();
  const db = adminDb();
  const writer = new SourceWriter(db);

  const uploadToVisible = await measureUploadToVisible(api, writer, options.runs);
  const sizes: SizeResult[] = [];
  for (const size of options.sizes) sizes.push(await measureRecomputeVsIncremental(api, db, writer, size));
  const interactionBatches = await measureInteractionBatches(api, db, options.batches);
  const reconcileScale = await measureReconcileScale(options.reconcileAgents, options.reconcileDocuments);

  const result: BenchResult = {
    ...resultHeader(command, options, startedAt, loadAtStart),
    pollPauseMs: POLL_PAUSE_MS,
    uploadToVisible,
    interactionBatches,
    sizes,
    reconcileScale,
  };
  const markdown = renderMarkdown(result);
  say(`\n${markdown}`);
  return writeResults(RESULT_NAME, result, markdown);
}

/** `--only reconcile`: the reconcile figure alone (section 4 of the write path), in its own result files. */
export async function runReconcileOnly(options: WriteOptions, command: string): Promise<string[]> {
  const startedAt = performance.now();
  const loadAtStart = loadNow();
  say(`› Reconcile benchmark: ${options.reconcileAgents} agents × ${options.reconcileDocuments} documents`);
  const reconcileScale = await measureReconcileScale(options.reconcileAgents, options.reconcileDocuments);
  const result = { ...resultHeader(command, options, startedAt, loadAtStart), reconcileScale };
  const markdown = [`# Reconcile benchmark (emulator)`, ``, `${result.generatedAt}: \`${command}\``, ``, ...reconcileSection(result), ``].join("\n");
  say(`\n${markdown}`);
  return writeResults("bench-reconcile", result, markdown);
}
