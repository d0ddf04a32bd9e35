/**
 * Issue #26, finding 3 ("every metrics:refresh queues its own full scan of the agent"): refreshes of
 * one agent share one recompute, and a refresh within the cooldown of this instance's last one scans
 * nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { REFRESH_COOLDOWN_MS, refreshCoalescer } from "../../../functions/src/agent-views/refresh-coalescer";
import type { ComputedView } from "../../../functions/src/agent-views/agent-fold";
import { createCheckedApp } from "../../support/openapi-check";
import { fakeWorld } from "../../support/fakes";

/** A recompute that counts its scans and answers when released. */
function countingRecompute() {
  const scans = { count: 0 };
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const view = { sealed: {}, access: null, state: {} } as unknown as ComputedView;
  return { scans, release, recompute: async () => (scans.count++, await gate, view) };
}

function ports() {
  let clock = 1_800_000_000_000;
  return { advance: (ms: number) => void (clock += ms), ports: { now: () => clock } };
}

test("concurrent refreshes of one agent share one recompute", async () => {
  const { ports: p } = ports();
  const coalescer = refreshCoalescer(p);
  const { scans, release, recompute } = countingRecompute();
  const all = Array.from({ length: 50 }, () => coalescer.refresh("a1", recompute));
  release();
  const results = await Promise.all(all);
  assert.equal(scans.count, 1);
  assert.ok(results.every((r) => r?.kind === "recomputed"));
});

test("a refresh within the cooldown scans nothing; after it, one scan again", async () => {
  const { ports: p, advance } = ports();
  const coalescer = refreshCoalescer(p);
  const { scans, release, recompute } = countingRecompute();
  release();
  await coalescer.refresh("a1", recompute);
  for (let i = 0; i < 100; i++) {
    advance(500);
    assert.equal((await coalescer.refresh("a1", recompute))?.kind, "recent");
  }
  assert.equal(scans.count, 1, "100 refreshes in 50 s: one scan");
  advance(REFRESH_COOLDOWN_MS);
  assert.equal((await coalescer.refresh("a1", recompute))?.kind, "recomputed");
  assert.equal(scans.count, 2);
  assert.equal((await coalescer.refresh("a2", recompute))?.kind, "recomputed", "per agent");
});

test("a missing agent answers null and is not remembered", async () => {
  const coalescer = refreshCoalescer(ports().ports);
  assert.equal(await coalescer.refresh("gone", async () => null), null);
  const { scans, release, recompute } = countingRecompute();
  release();
  assert.equal((await coalescer.refresh("gone", recompute))?.kind, "recomputed");
  assert.equal(scans.count, 1);
});

test("the route: 20 refreshes of one agent, concurrent then repeated, cost one recompute and answer the view", async () => {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  const app = createCheckedApp(world.deps);
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions: ["write:agent-metrics"] }) });
  const headers = { Authorization: "Bearer alice-token", "X-API-Key": ((await created.json()) as { key: string }).key };
  const refresh = () => app.request("/v1/agents/agent-1/metrics:refresh", { method: "POST", headers });
  const concurrent = await Promise.all(Array.from({ length: 10 }, refresh));
  const repeated = [];
  for (let i = 0; i < 10; i++) repeated.push(await refresh());
  assert.deepEqual([...concurrent, ...repeated].map((r) => r.status), Array(20).fill(200));
  assert.deepEqual(world.recomputes, ["agent-1"]);
  const metas = await Promise.all(repeated.map(async (r) => ((await r.json()) as { meta: { cache: string } }).meta.cache));
  assert.deepEqual(new Set(metas), new Set(["store"]), "within the cooldown: the stored view as it stands");
  world.advance(REFRESH_COOLDOWN_MS);
  assert.equal((await refresh()).status, 200);
  assert.deepEqual(world.recomputes, ["agent-1", "agent-1"]);
});
