/**
 * @module bench-output
 * What the benchmark prints. Under `test/harness/run-bench.mjs` its stdout is shared with the
 * emulators' log, so when `BENCH_OUTPUT_TAG` is set every line carries the tag and its kind (`line` or
 * `progress`), and the harness shows only those. Run on its own, the lines are printed plain.
 */
const TAG = process.env.BENCH_OUTPUT_TAG ?? "";

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
