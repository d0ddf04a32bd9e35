/**
 * @module bench-options
 * The benchmark's command-line options: `--runs` (upload-to-visible samples), `--sizes` (agent sizes
 * for full recompute versus incremental update) and `--batches` (1000-interaction requests). The
 * defaults keep a run within about ten minutes on a 2-core machine.
 */

export interface BenchOptions {
  runs: number;
  sizes: number[];
  batches: number;
}

export const DEFAULT_OPTIONS: BenchOptions = { runs: 30, sizes: [1000, 10_000], batches: 3 };
const MAX_SIZE = 50_000;

function positiveInt(flag: string, text: string | undefined, max: number): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value < 1 || value > max) throw new Error(`${flag} needs a whole number from 1 to ${max}, got ${text ?? "nothing"}`);
  return value;
}

/** Parses `argv` (without node and the script); throws with a sentence on anything unknown or malformed. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--runs") options.runs = positiveInt(flag, value, 1000);
    else if (flag === "--batches") options.batches = positiveInt(flag, value, 20);
    else if (flag === "--sizes") options.sizes = (value ?? "").split(",").map((size) => positiveInt(flag, size.trim(), MAX_SIZE));
    else throw new Error(`unknown option ${flag}: use --runs N, --sizes N[,N...] and --batches N`);
  }
  return options;
}
