/**
 * The load run's status check: 503 UNAVAILABLE is allowed during the outage and for the recovery
 * bound after the store comes back, and fails the run anywhere else; a hang fails it always.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkStatuses, RECOVERY_BOUND_MS } from "../../load/load-checks";
import type { LoadRun, RequestRecord } from "../../load/mixed-load";

const outage = { downAt: 20_000, resumedAt: 24_000, recoveredAt: 26_000 };
const unavailable = (start: number): RequestRecord => ({ kind: "ingest", start, end: start + 2_000, status: 503, code: "UNAVAILABLE" });
const check = (records: RequestRecord[]) => checkStatuses({ records: [{ kind: "read", start: 0, end: 5, status: 200 }, ...records], outage } as Pick<LoadRun, "records" | "outage">, 10_000);

test("503 during the outage and within the recovery bound is allowed", () => {
  assert.deepEqual(check([unavailable(19_000), unavailable(22_000), unavailable(outage.resumedAt + RECOVERY_BOUND_MS - 1)]), []);
});

test("503 before the outage or after the recovery bound fails the run, saying when it started", () => {
  const failures = check([unavailable(5_000), unavailable(outage.resumedAt + RECOVERY_BOUND_MS + 1)]);
  assert.equal(failures.length, 2);
  assert.match(failures[0], /started -19\.0 s after Firestore came back/);
});

test("a 500, or an answer slower than the deadline allows, fails the run even during the outage", () => {
  const failures = check([{ kind: "read", start: 21_000, end: 21_010, status: 500, code: "INTERNAL" }, { kind: "read", start: 21_000, end: 40_000, status: 503, code: "UNAVAILABLE" }]);
  assert.equal(failures.length, 2);
});
