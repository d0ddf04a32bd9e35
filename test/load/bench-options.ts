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
  /** Agents the hourly reconcile is measured over, and stored documents per agent. */
  reconcileAgents: number;
  reconcileDocuments: number;
}

export interface ReadOptions {
  requests: number;
  concurrency: number;
  naiveSizes: number[];
  naiveRequests: number;
  agents: number;
  batchRequests: number;
}

/** The hot-agent benchmark: concurrent clients into one agent, and spread, for `seconds` each. */
export interface HotOptions {
  clients: number[];
  seconds: number;
  /** Documents the SDK writers add for one agent (one trigger each). */
  sdkDocuments: number;
}

/** `reconcile` runs only the write path's reconcile figure (section 4). */
export type BenchName = "read" | "write" | "hot" | "reconcile";

export interface BenchOptions {
  only: BenchName | null;
  write: WriteOptions;
  read: ReadOptions;
  hot: HotOptions;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  only: null,
  write: { runs: 30, sizes: [1000, 10_000], batches: 3, reconcileAgents: 500, reconcileDocuments: 100 },
  read: { requests: 2000, concurrency: 16, naiveSizes: [1000, 10_000], naiveRequests: 20, agents: 10_000, batchRequests: 50 },
  hot: { clients: [1, 4, 16, 64], seconds: 30, sdkDocuments: 2000 },
};
const MAX_SIZE = 50_000;
const USAGE = "use --only read|write|hot|reconcile, --clients N[,N...], --seconds N, --sdk-documents N, --runs N, --sizes N[,N...], --batches N, --reconcile-agents N, --reconcile-documents N, --requests N, --concurrency N, --naive-sizes N[,N...], --naive-requests N, --agents N, --batch-requests N";

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
  const hot = { ...DEFAULT_OPTIONS.hot };
  let only: BenchName | null = null;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--only") {
      if (value !== "read" && value !== "write" && value !== "hot" && value !== "reconcile") throw new Error(`--only needs read, write, hot or reconcile, got ${value ?? "nothing"}`);
      only = value;
    } else if (flag === "--runs") write.runs = positiveInt(flag, value, 1000);
    else if (flag === "--batches") write.batches = positiveInt(flag, value, 20);
    else if (flag === "--sizes") write.sizes = sizes(flag, value);
    else if (flag === "--reconcile-agents") write.reconcileAgents = positiveInt(flag, value, MAX_SIZE);
    else if (flag === "--reconcile-documents") write.reconcileDocuments = positiveInt(flag, value, 1000);
    else if (flag === "--requests") read.requests = positiveInt(flag, value, 1_000_000);
    else if (flag === "--concurrency") read.concurrency = positiveInt(flag, value, 256);
    else if (flag === "--naive-sizes") read.naiveSizes = sizes(flag, value);
    else if (flag === "--naive-requests") read.naiveRequests = positiveInt(flag, value, 10_000);
    else if (flag === "--agents") read.agents = positiveInt(flag, value, MAX_SIZE);
    else if (flag === "--batch-requests") read.batchRequests = positiveInt(flag, value, 1000);
    else if (flag === "--clients") hot.clients = (value ?? "").split(",").map((n) => positiveInt(flag, n.trim(), 256));
    else if (flag === "--seconds") hot.seconds = positiveInt(flag, value, 600);
    else if (flag === "--sdk-documents") hot.sdkDocuments = positiveInt(flag, value, MAX_SIZE);
    else throw new Error(`unknown option ${flag}: ${USAGE}`);
  }
  return { only, write, read, hot };
}

/** The benchmarks to run, in order: the read path first, on emulators with no trigger backlog yet. */
export const benchesToRun = (options: BenchOptions): BenchName[] => (options.only ? [options.only] : ["read", "write", "hot"]);

/** The command line that reproduces a run with these options. */
export function commandOf(options: BenchOptions): string {
  const { write: w, read: r } = options;
  const parts = options.only ? [`--only ${options.only}`] : [];
  if (!options.only || options.only === "hot") parts.push(`--clients ${options.hot.clients.join(",")} --seconds ${options.hot.seconds} --sdk-documents ${options.hot.sdkDocuments}`);
  if (options.only === "reconcile") parts.push(`--reconcile-agents ${w.reconcileAgents} --reconcile-documents ${w.reconcileDocuments}`);
  if (!options.only || options.only === "write") parts.push(`--runs ${w.runs} --sizes ${w.sizes.join(",")} --batches ${w.batches} --reconcile-agents ${w.reconcileAgents} --reconcile-documents ${w.reconcileDocuments}`);
  if (!options.only || options.only === "read") {
    parts.push(`--requests ${r.requests} --concurrency ${r.concurrency} --naive-sizes ${r.naiveSizes.join(",")} --naive-requests ${r.naiveRequests} --agents ${r.agents} --batch-requests ${r.batchRequests}`);
  }
  return `node test/harness/run-bench.mjs ${parts.join(" ")}`;
}
