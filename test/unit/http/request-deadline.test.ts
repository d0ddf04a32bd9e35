/**
 * The request deadline (request-deadline.ts), in process: a request whose backend never answers gets
 * 503 `UNAVAILABLE` in the envelope once the deadline passes, not a hang; a backend that answers in
 * time is untouched; work abandoned at the deadline that fails later does not take the process down.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";
import { Abandoned } from "../../../functions/src/agent-views/view-transaction";

const DEADLINE_MS = 150;

async function setup(directoryDelayMs: number, failLate = false) {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  world.views.set("agent-1", storedView(seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now())));
  const lookUp = world.deps.directory.viewer;
  // The directory stands for Firestore here: the caller's profile, looked up by every read.
  world.deps.directory.viewer = (uid) =>
    new Promise((resolve, reject) => {
      if (directoryDelayMs === Infinity) return; // never answers
      setTimeout(() => (failLate ? reject(Object.assign(new Error("unavailable"), { code: 14 })) : resolve(lookUp(uid))), directoryDelayMs);
    });
  const app = createCheckedApp({ ...world.deps, requestDeadlineMs: DEADLINE_MS });
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "t", permissions: ["read:agent-metrics"] }) });
  const { key } = (await created.json()) as { key: string };
  const read = () => app.request("/v1/agents/agent-1/metrics", { headers: { Authorization: "Bearer alice-token", "X-API-Key": key } });
  return { read, world };
}

test("a request whose store does not answer gets 503 UNAVAILABLE at the deadline", async () => {
  const { read, world } = await setup(Infinity);
  const started = Date.now();
  const res = await read();
  const elapsed = Date.now() - started;
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("Retry-After"), "1");
  const body = (await res.json()) as { error: { code: string; message: string; retryAfterSeconds: number } };
  assert.equal(body.error.code, "UNAVAILABLE");
  assert.equal(body.error.retryAfterSeconds, 1);
  assert.ok(elapsed >= DEADLINE_MS && elapsed < DEADLINE_MS + 500, `answered after ${elapsed} ms`);
  assert.ok(world.log.entries.some((e) => e.event === "api.deadline-exceeded"));
});

test("a store that answers within the deadline is served as usual", async () => {
  const { read } = await setup(DEADLINE_MS / 3);
  assert.equal((await read()).status, 200);
});

test("work that fails after its request was answered is not an unhandled rejection", async () => {
  const { read } = await setup(DEADLINE_MS * 2, true);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    assert.equal((await read()).status, 503);
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 3));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("a write abandoned at the deadline is told so, so its transaction stops retrying", async () => {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  const told: boolean[] = [];
  // The store stands for a contended transaction: it asks, as runTransaction's attempts would, whether anyone still waits.
  world.deps.agentViews.ingest = async (_agentId, _items, options) => {
    told.push(options?.abandoned?.() ?? false);
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 2));
    told.push(options?.abandoned?.() ?? false);
    // As the Firestore store does at its next attempt.
    if (options?.abandoned?.()) throw new Abandoned();
    return new Map();
  };
  const app = createCheckedApp({ ...world.deps, requestDeadlineMs: DEADLINE_MS });
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "t", permissions: ["write:interactions"] }) });
  const { key } = (await created.json()) as { key: string };
  const item = { id: "c1", model: "claude-sonnet-4", inputTokens: 1, outputTokens: 1, latencyMs: 5, status: "success", occurredAt: world.deps.now().toISOString() };
  const res = await app.request("/v1/agents/agent-1/interactions", { method: "POST", headers: { Authorization: "Bearer alice-token", "X-API-Key": key }, body: JSON.stringify({ interactions: [item] }) });
  assert.equal(res.status, 503);
  await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 2));
  assert.deepEqual(told, [false, true], "still waited for at first, abandoned after the 503");
  assert.deepEqual(world.log.entries.filter((e) => e.level === "error"), [], "stopping abandoned work is not an error");
});
