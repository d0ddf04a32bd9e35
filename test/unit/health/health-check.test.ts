/**
 * The health report without emulators: the store probe is injected, the clock is a fake. Proves the
 * probe's answer is cached (longer when it answered than when it did not), that concurrent checks
 * share one probe, that a probe which never answers counts as down after its timeout, and that the
 * route answers 200, or 503 in the contract's envelope, with no secret in either.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { healthCheck, type StoreProbe } from "../../../functions/src/health/health-check";
import { fakeWorld } from "../../support/fakes";

function clock(start = Date.parse("2026-12-01T12:00:00Z")) {
  let ms = start;
  return { now: () => new Date(ms), advance: (by: number) => void (ms += by) };
}

function counted(answer: () => Promise<unknown>) {
  const probe = Object.assign((() => ((probe.calls += 1), answer())) as StoreProbe & { calls: number }, { calls: 0 });
  return probe;
}

test("a store that answered is probed again only after 15 s", async () => {
  const time = clock();
  const probe = counted(async () => undefined);
  const health = healthCheck({ probe, revision: "api-00042-xyz", node: "v22.23.3", now: time.now });
  const first = await health.report();
  assert.deepEqual(first, {
    status: "ok",
    time: "2026-12-01T12:00:00.000Z",
    revision: "api-00042-xyz",
    node: "v22.23.3",
    firestore: { ok: true, checkedAt: "2026-12-01T12:00:00.000Z", latencyMs: 0 },
  });
  time.advance(14_999);
  assert.equal((await health.report()).firestore.checkedAt, "2026-12-01T12:00:00.000Z");
  assert.equal(probe.calls, 1);
  time.advance(1);
  assert.equal((await health.report()).firestore.checkedAt, "2026-12-01T12:00:15.000Z");
  assert.equal(probe.calls, 2);
});

test("a failed probe is remembered for 5 s, so a recovery shows quickly", async () => {
  const time = clock();
  let up = false;
  const probe = counted(async () => {
    if (!up) throw Object.assign(new Error("14 UNAVAILABLE: connect ECONNREFUSED"), { code: 14 });
  });
  const health = healthCheck({ probe, revision: "r", node: "v22.0.0", now: time.now });
  const down = await health.report();
  assert.equal(down.status, "unavailable");
  assert.equal(down.firestore.ok, false);
  assert.equal(JSON.stringify(down).includes("ECONNREFUSED"), false, "no error text reaches the report");
  up = true;
  time.advance(4_999);
  assert.equal((await health.report()).status, "unavailable");
  time.advance(1);
  assert.equal((await health.report()).status, "ok");
  assert.equal(probe.calls, 2);
});

test("concurrent checks share one probe", async () => {
  let release: () => void = () => undefined;
  const probe = counted(() => new Promise<void>((resolve) => (release = resolve)));
  const health = healthCheck({ probe, revision: "r", node: "v22.0.0", now: clock().now });
  const reports = Promise.all([health.report(), health.report(), health.report()]);
  release();
  assert.deepEqual((await reports).map((r) => r.status), ["ok", "ok", "ok"]);
  assert.equal(probe.calls, 1);
});

test("a probe that never answers counts as down after the timeout", async () => {
  const health = healthCheck({ probe: () => new Promise(() => undefined), revision: "r", node: "v22.0.0", now: () => new Date(), timeoutMs: 30 });
  const started = Date.now();
  const report = await health.report();
  assert.equal(report.status, "unavailable");
  assert.ok(Date.now() - started < 1_000);
});

test("GET /v1/health: 200 with the report, no credentials needed, never cached", async () => {
  const world = fakeWorld();
  const res = await createCheckedApp(world.deps).request("/v1/health");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ["firestore", "node", "revision", "status", "time"]);
  assert.equal(body.node, process.version);
  assert.equal(body.revision, "test-revision");
});

test("GET /v1/health: 503 UNAVAILABLE in the envelope, with Retry-After and the report, when Firestore does not answer", async () => {
  const world = fakeWorld();
  const health = healthCheck({ probe: async () => Promise.reject(new Error("down")), revision: "r", node: process.version, now: world.deps.now });
  const res = await createCheckedApp({ ...world.deps, health }).request("/api/v1/health");
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("Retry-After"), "5");
  const body = (await res.json()) as { error: { code: string; message: string; retryAfterSeconds: number; details: { status: string; firestore: { ok: boolean } } } };
  assert.equal(body.error.code, "UNAVAILABLE");
  assert.equal(body.error.retryAfterSeconds, 5);
  assert.equal(body.error.details.status, "unavailable");
  assert.equal(body.error.details.firestore.ok, false);
  const text = JSON.stringify(body);
  for (const secret of [...world.deps.peppers.peppers.values(), "privateKey", "down"]) assert.equal(text.includes(secret), false, `the answer names no ${secret}`);
});
