/**
 * @module bench-options
 * The benchmark's command-line options, for both benchmarks, in one place (`npm run bench -- …`):
 *  - `--only read|write` runs one of them (both by default, the read path first);
 *  - write path: `--runs` (upload-to-visible samples), `--sizes` (agent sizes for full recompute
 *    versus incremental update), `--batches` (1000-interaction requests);
 *  - read path: `--requests` and `--concurrency` (the bounded load of each throughput figure),
 *    `--naive-sizes` (documents of the naive read's agents), `--naive-requests` (requests per naive
 *    and aggregation figure), `--agents` (small agents seeded: the store hits, batchGet ids and the
 *    heap figure), `--batch-requests` (batchGet requests of 100 ids).
 * The defaults keep the read path within about three minutes and the write path within about five
 * on a 2-core machine.
 */

export interface WriteOptions {
  runs: number;
  sizes: number[];
  batches: number;
  /** Agents the hourly reconcile is timed over. */
  reconcileAgents: number;
}

export interface ReadOptions {
  requests: number;
  concurrency: number;
  naiveSizes: number[];
  naiveRequests: number;
  agents: number;
  batchRequests: number;
}

export type BenchName = "read" | "write";

export interface BenchOptions {
  only: BenchName | null;
  write: WriteOptions;
  read: ReadOptions;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  only: null,
  write: { runs: 30, sizes: [1000, 10_000], batches: 3, reconcileAgents: 10_000 },
  read: { requests: 2000, concurrency: 16, naiveSizes: [1000, 10_000], naiveRequests: 20, agents: 10_000, batchRequests: 50 },
};
const MAX_SIZE = 50_000;
const USAGE = "use --only read|write, --runs N, --sizes N[,N...], --batches N, --reconcile-agents N, --requests N, --concurrency N, --naive-sizes N[,N...], --naive-requests N, --agents N, --batch-requests N";

function positiveInt(flag: string, text: string | undefined, max: number): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value < 1 || value > max) throw new Error(`${flag} needs a whole number from 1 to ${max}, got ${text ?? "nothing"}`);
  return value;
}

const sizes = (flag: string, text: string | undefined) => (text ?? "").split(",").map((size) => positiveInt(flag, size.trim(), MAX_SIZE));

/** Parses `argv` (without node and the script); throws with a sentence on anything unknown or malformed. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const write = { ...DEFAULT_OPTIONS.write };
  const read = { ...DEFAULT_OPTIONS.read };
  let only: BenchName | null = null;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--only") {
      if (value !== "read" && value !== "write") throw new Error(`--only needs read or write, got ${value ?? "nothing"}`);
      only = value;
    } else if (flag === "--runs") write.runs = positiveInt(flag, value, 1000);
    else if (flag === "--batches") write.batches = positiveInt(flag, value, 20);
    else if (flag === "--sizes") write.sizes = sizes(flag, value);
    else if (flag === "--reconcile-agents") write.reconcileAgents = positiveInt(flag, value, MAX_SIZE);
    else if (flag === "--requests") read.requests = positiveInt(flag, value, 1_000_000);
    else if (flag === "--concurrency") read.concurrency = positiveInt(flag, value, 256);
    else if (flag === "--naive-sizes") read.naiveSizes = sizes(flag, value);
    else if (flag === "--naive-requests") read.naiveRequests = positiveInt(flag, value, 10_000);
    else if (flag === "--agents") read.agents = positiveInt(flag, value, MAX_SIZE);
    else if (flag === "--batch-requests") read.batchRequests = positiveInt(flag, value, 1000);
    else throw new Error(`unknown option ${flag}: ${USAGE}`);
  }
  return { only, write, read };
}

/** The benchmarks to run, in order: the read path first, on emulators with no trigger backlog yet. */
export const benchesToRun = (options: BenchOptions): BenchName[] => (options.only ? [options.only] : ["read", "write"]);

/** The command line that reproduces a run with these options. */
export function commandOf(options: BenchOptions): string {
  const { write: w, read: r } = options;
  const parts = options.only ? [`--only ${options.only}`] : [];
  if (options.only !== "read") parts.push(`--runs ${w.runs} --sizes ${w.sizes.join(",")} --batches ${w.batches} --reconcile-agents ${w.reconcileAgents}`);
  if (options.only !== "write") {
    parts.push(`--requests ${r.requests} --concurrency ${r.concurrency} --naive-sizes ${r.naiveSizes.join(",")} --naive-requests ${r.naiveRequests} --agents ${r.agents} --batch-requests ${r.batchRequests}`);
  }
  return `node test/harness/run-bench.mjs ${parts.join(" ")}`;
}
