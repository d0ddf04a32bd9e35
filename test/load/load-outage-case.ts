/**
 * @module load-outage-case
 * The load-through-an-outage case, at a size given: a mixed load against the app on a plain Node
 * server, with the Auth emulator and a Firestore emulator of the run's own behind it, and Firestore
 * taken away in the middle: the app's connections are cut, the emulator is stopped and started again
 * from its data (`firestore-process.ts`), and the app is let through again. Requests during the
 * outage answer 503 UNAVAILABLE within the request deadline (the production one, 10 s), 503s stop
 * within the recovery bound after the store comes back and service comes back by itself, nothing
 * acknowledged is lost, limited keys never get more than their limit in a minute, and after the
 * reconcile every view is exact. `npm test` runs it short (test/emulator/load-outage.emulator.test.ts),
 * `npm run test:soak -- --only load` at the size asked (test/load/load-outage.soak.test.ts).
 */
import assert from "node:assert/strict";
import { duringOutage, RECOVERY_BOUND_MS } from "./load-checks";
import { runLoadScenario } from "./load-scenario";
import { DEFAULT_REQUEST_DEADLINE_MS } from "../../functions/src/http/request-deadline";

/** Load kept up after the recovery bound, to show that 503s stopped. */
const AFTER_BOUND_MS = 5_000;

export const loadOutageTitle = (seconds: number, concurrency: number, outageMs: number) =>
  `a ${seconds} s mixed load at ${concurrency} concurrent through a Firestore stop and restart (${outageMs / 1000} s away): 503 during it and its recovery only, nothing lost, views exact after the reconcile`;

/**
 * Runs the case for `seconds` at `concurrency`, with Firestore away for at least `outageMs` from a
 * third of the way in. An outage longer than the request deadline must make requests answer 503.
 */
export async function loadThroughOutage(seconds: number, concurrency: number, outageMs: number): Promise<void> {
  const outage = { atMs: (seconds * 1000) / 3, forMs: outageMs };
  const needed = outage.atMs + outage.forMs + RECOVERY_BOUND_MS + AFTER_BOUND_MS;
  assert.ok(seconds * 1000 >= needed, `the load must last at least ${Math.ceil((needed * 1.5) / 1000)} s to show recovery (outage at a third of it, then ${RECOVERY_BOUND_MS / 1000} s of recovery bound and ${AFTER_BOUND_MS / 1000} s more)`);
  const { run, failures, report } = await runLoadScenario({
    durationMs: seconds * 1000,
    concurrency,
    seed: 7,
    users: 4,
    agentsPerUser: 6,
    limitedKeyLimit: 20,
    outage,
  });
  process.stdout.write(`${report}\n`);
  assert.deepEqual(failures, []);
  // The run must have exercised what it claims to check.
  // Requests that meet an outage shorter than the deadline may wait it out and succeed.
  assert.ok(run.records.some((r) => r.kind !== "upload" && duringOutage(r, run)), "some requests met the outage");
  if (outageMs > DEFAULT_REQUEST_DEADLINE_MS) assert.ok(run.records.some((r) => r.status === 503 && duringOutage(r, run)), "requests waiting on the store past the deadline answered 503");
  assert.ok(run.ackedInteractions.length > 0 && run.ackedUploads.some((u) => u.at < run.outage!.downAt), "writes were acknowledged before the outage");
  assert.ok(run.records.some((r) => r.kind === "limited" && r.status === 429), "the limited keys were driven past their limit");
  const afterBound = run.records.filter((r) => r.start >= run.outage!.resumedAt + RECOVERY_BOUND_MS);
  assert.ok(afterBound.length > 0 && afterBound.every((r) => r.status !== 503), "service recovered by itself within the bound");
}
