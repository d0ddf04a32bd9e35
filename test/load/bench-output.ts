/**
 * @module bench-output
 * What the benchmarks print and write. Results go to the git-ignored `test/results/`. Under `test/harness/run-bench.mjs` its stdout is shared with the
 * emulators' log, so when `BENCH_OUTPUT_TAG` is set every line carries the tag and its kind (`line` or
 * `progress`), and the harness shows only those. Run on its own, the lines are printed plain.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const TAG = process.env.BENCH_OUTPUT_TAG ?? "";
export const RESULTS_DIR = resolve(__dirname, "../results");

function emit(kind: "line" | "progress" | "done", text: string): void {
  process.stdout.write(TAG ? `${TAG}${kind} ${text}\n` : `${kind === "progress" ? "… " : ""}${text}\n`);
}

/** Prints text for the reader (each line of a multi-line text on its own). */
export function say(text: string): void {
  for (const line of text.split("\n")) emit("line", line);
}

/** Prints a progress line; on a terminal the harness shows only the latest one. */
export function progress(text: string): void {
  emit("progress", text);
}

/** Tells the harness the benchmark reached its end (an emulator shutdown alone does not mean that). */
export function done(): void {
  if (TAG) emit("done", "");
}

/** Writes a benchmark's JSON and Markdown results as `test/results/<name>.{json,md}`; returns their paths. */
export function writeResults(name: string, result: object, markdown: string): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const paths = [join(RESULTS_DIR, `${name}.json`), join(RESULTS_DIR, `${name}.md`)];
  writeFileSync(paths[0], JSON.stringify(result, null, 2) + "\n");
  writeFileSync(paths[1], markdown);
  return paths;
}
