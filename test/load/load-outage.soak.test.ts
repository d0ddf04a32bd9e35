/**
 * A short mixed load against the app on a plain Node server, with the real Firestore and Auth
 * emulators behind it, and Firestore taken away in the middle (an outage proxy drops every
 * connection, then lets them through again; see test/load/outage-proxy.ts for why not the emulator
 * itself). Requests during the outage answer 503 UNAVAILABLE within the request deadline (shortened
 * here to 2 s so the run stays short), service comes back by itself, nothing acknowledged is lost,
 * limited keys never get more than their limit in a minute, and after the reconcile every view is
 * exact. Run: `npm run test:soak -- --only load [--load-seconds 15 --load-concurrency 12]`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runLoadScenario } from "./load-scenario";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 12);

test(`a ${SECONDS} s mixed load through a Firestore outage: 503 during it, nothing lost, views exact after the reconcile`, { timeout: 10 * 60_000 }, async () => {
  const { run, failures, report } = await runLoadScenario({
    durationMs: SECONDS * 1000,
    concurrency: CONCURRENCY,
    seed: 7,
    users: 4,
    agentsPerUser: 6,
    limitedKeyLimit: 20,
    requestDeadlineMs: 2_000,
    outage: { atMs: (SECONDS * 1000) / 3, forMs: 4_000 },
  });
  process.stdout.write(`${report}\n`);
  assert.deepEqual(failures, []);
  // The run must have exercised what it claims to check.
  const during = run.records.filter((r) => r.status === 503);
  assert.ok(during.length > 0, "some requests met the outage and answered 503");
  assert.ok(run.ackedInteractions.length > 0 && run.ackedUploads.some((u) => u.at < run.outage!.downAt), "writes were acknowledged before the outage");
  assert.ok(run.records.some((r) => r.kind === "limited" && r.status === 429), "the limited keys were driven past their limit");
  assert.ok(run.records.filter((r) => r.start > run.outage!.recoveredAt).every((r) => r.status !== 503), "service recovered by itself");
});
