/**
 * @module read-path.bench
 * The read-path benchmark (run by test/load/bench.ts): the product's HTTP app in a plain Node HTTP
 * server on loopback against the real Firestore and Auth emulators, compared in the same run with
 * the floor (the same bytes from a minimal server), the naive read it replaces and Firestore's own
 * aggregation queries; plus batchGet of 100 ids, the heap of many read agents, and what two
 * attackers can make it read (phases/read-abuse). Firestore reads
 * are measured per request. The targets of issue #5 are checked and printed as PASS or FAIL; a
 * failed target does not fail the run. Writes test/results/bench-read-path.{json,md}.
 *
 * Order: the serving figures first, on a Firestore emulator holding only the small agents; the large
 * agents of the baselines next; batchGet, the heap and the attackers last. Everything is written to the trigger-free
 * project and deleted at the end.
 */
import { loadNow, resultHeader } from "./bench-environment";
import type { ReadOptions } from "./bench-options";
import { progress, say, writeResults } from "./bench-output";
import { measureAbuse } from "./phases/read-abuse";
import { measureBaselines, type BaselineFigures } from "./phases/read-baselines";
import { measureBatchGet } from "./phases/read-batch-get";
import { measureCacheHeap } from "./phases/read-cache-heap";
import { measureServing } from "./phases/read-serving";
import { loggedEvents } from "./product-instance";
import { installReadCounter, readTotals } from "./read-counter";
import { READ_RESULT_NAME, renderReadMarkdown, type ReadResult } from "./read-report";
import { checkTargets } from "./read-targets";
import { clearReadWorld, createReadWorld, seedSmallAgents } from "./read-world";

/** Runs the read-path benchmark; prints its tables and returns the paths of its result files. */
export async function runReadPath(options: ReadOptions, command: string): Promise<string[]> {
  installReadCounter();
  const startedAt = performance.now();
  const loadAtStart = loadNow();
  say(`› Read-path benchmark: ${options.requests.toLocaleString("en-US")} requests at concurrency ${options.concurrency}, naive reads at ${options.naiveSizes.join(", ")} documents, ${options.agents.toLocaleString("en-US")} agents`);
  progress("signing in the bench user");
  const world = await createReadWorld();
  try {
    const seedStart = performance.now();
    // One more than --agents: the first only warms an instance before the heap figure.
    const agents = await seedSmallAgents(world, options.agents + 1, (n) => progress(`seeding agents with signed views: ${n.toLocaleString("en-US")}`));
    const agentsMs = performance.now() - seedStart;

    const serving = await measureServing(options, world, agents);
    const baselines: BaselineFigures[] = [];
    for (const size of options.naiveSizes) baselines.push(await measureBaselines(options, world, size));
    const batchGet = await measureBatchGet(options, world, agents.slice(1));
    const heap = await measureCacheHeap(options, world, agents);
    const abuse = await measureAbuse(world, agents.slice(1));

    const { repeated, repeatedLight, floor, store, seriesRepeated, seriesStore } = serving;
    const result: ReadResult = {
      ...resultHeader(command, options, startedAt, loadAtStart),
      seeding: { agents: agents.length, agentsMs },
      responseBytes: serving.responseBytes,
      repeated,
      repeatedLight,
      floor,
      store,
      seriesRepeated,
      seriesStore,
      baselines,
      batchGet,
      heap,
      abuse,
      targets: checkTargets({ repeated, repeatedLight, floor, store, seriesRepeated, seriesStore, naive: baselines.map((b) => b.naive), batchGet, heap, abuse }),
      loggedEvents: Object.fromEntries(loggedEvents),
      backgroundReads: readTotals().background,
    };
    const markdown = renderReadMarkdown(result);
    say(`\n${markdown}`);
    return writeResults(READ_RESULT_NAME, result, markdown);
  } finally {
    progress("deleting the read benchmark's documents");
    await clearReadWorld();
  }
}
