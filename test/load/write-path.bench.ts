/**
 * @module write-path.bench
 * The write-path benchmark of the derived views, run by `npm run bench` inside `firebase
 * emulators:exec` (see test/harness/run-bench.mjs): upload-to-visible latency, a 1000-interaction
 * batch to visible, and full recompute versus incremental update against the naive on-request read,
 * all from one run. Prints progress and a Markdown table; writes test/results/bench-write-path.{json,md}.
 *
 * Order matters: the latency samples come first, on quiet emulators; the large seeding next; the
 * interaction batches last, because the 1000 create events of the last one run on after its figure.
 */
import { relative } from "node:path";
import { adminDb } from "../support/emulators";
import { connectBenchApi } from "./bench-api";
import { benchEnvironment, loadNow } from "./bench-environment";
import { parseOptions } from "./bench-options";
import { done, progress, say } from "./bench-output";
import { renderMarkdown, writeResults, type BenchResult } from "./bench-report";
import { measureInteractionBatches } from "./phases/interaction-batch";
import { measureRecomputeVsIncremental, type SizeResult } from "./phases/recompute-vs-incremental";
import { measureUploadToVisible } from "./phases/upload-latency";
import { SourceWriter } from "./source-writer";
import { POLL_PAUSE_MS } from "./visibility";

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
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

  const result: BenchResult = {
    generatedAt: new Date().toISOString(),
    command: `node test/harness/run-bench.mjs --runs ${options.runs} --sizes ${options.sizes.join(",")} --batches ${options.batches}`,
    durationMs: performance.now() - startedAt,
    environment: benchEnvironment(loadAtStart),
    options,
    pollPauseMs: POLL_PAUSE_MS,
    uploadToVisible,
    interactionBatches,
    sizes,
  };
  const markdown = renderMarkdown(result);
  const paths = writeResults(result, markdown);
  say(`\n${markdown}`);
  say(`› Results: ${paths.map((p) => relative(process.cwd(), p)).join(", ")}`);
  done();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`\n✖ The benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
