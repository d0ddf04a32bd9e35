/**
 * @module run-bench
 * `npm run bench`: the read-path and write-path benchmarks (`test/load/bench.ts`) inside one
 * `firebase emulators:exec --only auth,firestore,functions`, which sets the emulator hosts for it and
 * tears the emulators down afterwards. Arguments are passed through (`--only read`, `--runs 30`,
 * `--requests 5000`…; see test/load/bench-options.ts). Node runs with `--expose-gc` for the read
 * path's heap figure.
 *
 * The benchmark shares its stdout with the emulators, whose log (one line per function run) would
 * bury the results: it tags its own lines, and this script shows only those (progress lines overwrite
 * each other on a terminal) and writes everything to `.emulator/bench-emulators.log`.
 *
 * `BENCH_FIREBASE_CONFIG=<path>` runs the emulators from another firebase.json (`--config`), e.g. one
 * with other ports, so a benchmark can run beside emulators already on the default ports. firebase-tools
 * treats that file's folder as the project directory, so it is also started from there (its debug logs
 * then stay there too).
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { EMULATOR_DIR, FIREBASE_BIN, PROJECT_ID, ROOT, SECRET_FILE } from "./paths.mjs";
import { emulatorEnv } from "./emulator-env.mjs";
import { fail } from "./fail.mjs";

const BENCH_SCRIPT = join(ROOT, "test", "load", "bench.ts");
const LOG = join(EMULATOR_DIR, "bench-emulators.log");
const TAG = "@@bench:";

if (!existsSync(join(ROOT, "functions", "lib", "index.js"))) fail("The functions are not built: run `npm run build -w functions` (or `npm run bench`, which builds them) and try again.");
if (!existsSync(SECRET_FILE)) fail("functions/.secret.local is missing: run `npm run bench` (or `npm test`) once to create the local secrets.");

// The Firestore emulator answers an aggregation by loading the collection: with a million documents
// (the reconcile at 10,000 agents) the JVM's default heap, a quarter of memory, runs out.
const EMULATOR_HEAP_MB = Math.floor((totalmem() * 0.6) / 2 ** 20);

const config = process.env.BENCH_FIREBASE_CONFIG ? resolve(process.env.BENCH_FIREBASE_CONFIG) : null;
if (config && !existsSync(config)) fail(`BENCH_FIREBASE_CONFIG names ${config}, which does not exist.`);

/** Quotes one word for the POSIX shell that emulators:exec runs its command in. */
const quote = (word) => `'${String(word).replaceAll("'", `'\\''`)}'`;
const command = `cd ${quote(ROOT)} && ${["node", "--expose-gc", "--import", "tsx", BENCH_SCRIPT, ...process.argv.slice(2)].map(quote).join(" ")}`;
const firebaseArgs = ["emulators:exec", "--only", "auth,firestore,functions", "--project", PROJECT_ID, ...(config ? ["--config", config] : []), command];

mkdirSync(EMULATOR_DIR, { recursive: true });
const log = createWriteStream(LOG);
const startedAt = Date.now();
process.stdout.write(`› Starting the emulators${config ? ` from ${config}` : ""} (log: ${LOG.replace(ROOT + "/", "")})…\n`);

// Its own process group, so a stop reaches firebase-tools, the benchmark and the emulators together.
const child = spawn(FIREBASE_BIN, firebaseArgs, {
  cwd: config ? dirname(config) : ROOT,
  // The bench's one user polls and ingests far past a person's use: its store budget is raised as the
  // in-process harness raises it (the budget's own figure is measured in process, at the default).
  env: emulatorEnv({ BENCH_OUTPUT_TAG: TAG, JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? `-Xmx${EMULATOR_HEAP_MB}m`, USER_STORE_REQUESTS_PER_MINUTE: "10000000" }),
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});

const interactive = process.stdout.isTTY === true;
/** Without a terminal to overwrite, progress is printed at most this often, so a CI log stays short. */
const PROGRESS_EVERY_MS = 5000;
let progressShown = false;
let lastProgressAt = 0;
function show(kind, text) {
  if (kind === "progress" && !interactive) {
    if (Date.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = Date.now();
    return void process.stdout.write(`… ${text}\n`);
  }
  if (progressShown) process.stdout.write("\r\x1b[2K");
  progressShown = kind === "progress";
  process.stdout.write(kind === "progress" ? `… ${text.slice(0, Math.max(20, (process.stdout.columns || 120) - 3))}` : `${text}\n`);
}

let completed = false;
/** Set when this script stops the run itself, with the sentence to end on. */
let stopReason = "";
createInterface({ input: child.stdout }).on("line", (line) => {
  const at = line.indexOf(TAG);
  if (at === -1) return;
  const rest = line.slice(at + TAG.length);
  const space = rest.indexOf(" ");
  if (rest.startsWith("done")) completed = true;
  else show(rest.slice(0, space), rest.slice(space + 1));
});
child.stdout.on("data", (chunk) => {
  log.write(chunk);
  // A functions param without a value makes firebase-tools prompt for it, which nobody can answer here.
  const prompt = /Enter an? \w+ value for (\w+)/.exec(chunk.toString());
  if (prompt && !stopReason) {
    stopReason = `The Functions emulator asked for a value of ${prompt[1]} (a functions param with no value in a dotenv file), which cannot be answered here: add ${prompt[1]}=<value> to functions/.env.local (see test/harness/local-secrets.mjs) and run again.`;
    stop();
  }
});
child.stderr.pipe(log, { end: false });

/**
 * Stops the run as Ctrl-C stops `firebase emulators:exec` in a shell: SIGINT to its whole process
 * group. The benchmark ends, and firebase-tools then shuts the emulators down (it ignores a signal of
 * its own while the script runs).
 */
function stop() {
  try {
    process.kill(-child.pid, "SIGINT");
  } catch {
    // already gone
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopReason ||= `The benchmark was stopped (${signal}) before its end; the emulators have shut down.`;
    stop();
  });
}

child.on("error", (error) => fail(`Could not start firebase-tools (${error.message}); run \`npm run bench\`, which installs it.`));
child.on("exit", (code, signal) => {
  if (progressShown) process.stdout.write("\n");
  log.end(() => {
    const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
    if (stopReason) fail(stopReason);
    if (code === 0 && completed) {
      process.stdout.write(`› Benchmark finished in ${minutes} min.\n`);
      process.exit(0);
    }
    const tail = readFileSync(LOG, "utf8").trim().split("\n").slice(-15).join("\n");
    fail(`The benchmark failed after ${minutes} min (${signal ? `stopped by ${signal}` : code === 0 ? "stopped before its end" : `exit ${code}`}). Last lines of ${LOG.replace(ROOT + "/", "")}:\n${tail}`);
  });
});
