/**
 * @module bench
 * `npm run bench`: the read-path and write-path benchmarks, run inside `firebase emulators:exec` by
 * test/harness/run-bench.mjs (with `--expose-gc`, which the read path's heap figure needs). Both by
 * default, the read path first (its figures want emulators with no trigger backlog, and it leaves
 * none behind), then the hot-agent benchmark (many writers into one agent); `--only read|write|hot` runs one. Each writes test/results/bench-<name>.{json,md}.
 */
import { relative } from "node:path";
import { benchesToRun, commandOf, parseOptions } from "./bench-options";
import { done, say } from "./bench-output";
import { runHotAgent } from "./hot-agent.bench";
import { runReadPath } from "./read-path.bench";
import { runReconcileOnly, runWritePath } from "./write-path.bench";

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = commandOf(options);
  const paths: string[] = [];
  for (const bench of benchesToRun(options)) {
    if (bench === "read") paths.push(...(await runReadPath(options.read, command)));
    else if (bench === "write") paths.push(...(await runWritePath(options.write, command)));
    else if (bench === "hot") paths.push(...(await runHotAgent(options.hot, command)));
    else paths.push(...(await runReconcileOnly(options.write, command)));
  }
  say(`› Results: ${paths.map((p) => relative(process.cwd(), p)).join(", ")}`);
  done();
}

// A run whose last request never settles (the emulator gone under it) would otherwise end with code 0.
process.on("beforeExit", () => {
  say("\n✖ The benchmark stopped with work still waiting: a request to the emulators never settled (see .emulator/bench-emulators.log and firestore-debug.log).");
  process.exit(1);
});

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`\n✖ The benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
