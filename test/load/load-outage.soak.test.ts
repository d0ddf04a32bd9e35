/**
 * A mixed load against the app on a plain Node server, with the real Firestore and Auth emulators
 * behind it, and Firestore taken away in the middle (an outage proxy drops every connection, then lets
 * them through again; see test/load/outage-proxy.ts for why not the emulator itself). Requests during
 * the outage answer 503 UNAVAILABLE within the request deadline (the production one, 10 s), 503s stop
 * within the recovery bound after the store comes back and service comes back by itself, nothing
 * acknowledged is lost, limited keys never get more than their limit in a minute, and after the
 * reconcile every view is exact. Run: `npm run test:soak -- --only load [--load-seconds 60 --load-concurrency 12]`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { RECOVERY_BOUND_MS } from "./load-checks";
import { runLoadScenario } from "./load-scenario";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 12);
const OUTAGE = { atMs: (SECONDS * 1000) / 3, forMs: 4_000 };
/** Load kept up after the recovery bound, to show that 503s stopped. */
const AFTER_BOUND_MS = 5_000;

test(`a ${SECONDS} s mixed load through a Firestore outage: 503 during it and its recovery only, nothing lost, views exact after the reconcile`, { timeout: 10 * 60_000 }, async () => {
  const needed = OUTAGE.atMs + OUTAGE.forMs + RECOVERY_BOUND_MS + AFTER_BOUND_MS;
  assert.ok(SECONDS * 1000 >= needed, `the load must last at least ${Math.ceil((needed * 1.5) / 1000)} s to show recovery (outage at a third of it, then ${RECOVERY_BOUND_MS / 1000} s of recovery bound and ${AFTER_BOUND_MS / 1000} s more)`);
  const { run, failures, report } = await runLoadScenario({
    durationMs: SECONDS * 1000,
    concurrency: CONCURRENCY,
    seed: 7,
    users: 4,
    agentsPerUser: 6,
    limitedKeyLimit: 20,
    outage: OUTAGE,
  });
  process.stdout.write(`${report}\n`);
  assert.deepEqual(failures, []);
  // The run must have exercised what it claims to check.
  const during = run.records.filter((r) => r.status === 503);
  assert.ok(during.length > 0, "some requests met the outage and answered 503");
  assert.ok(run.ackedInteractions.length > 0 && run.ackedUploads.some((u) => u.at < run.outage!.downAt), "writes were acknowledged before the outage");
  assert.ok(run.records.some((r) => r.kind === "limited" && r.status === 429), "the limited keys were driven past their limit");
  const afterBound = run.records.filter((r) => r.start >= run.outage!.resumedAt + RECOVERY_BOUND_MS);
  assert.ok(afterBound.length > 0 && afterBound.every((r) => r.status !== 503), "service recovered by itself within the bound");
});
