/**
 * The serving path in process (fakes behind the real edge cache): what `meta` says, 304 on an edge
 * hit, batch reads (validation, routing, per-id access) and cache statistics.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

async function setup(permissions = ["read:agent-metrics", "write:agent-metrics", "read:cache-stats"]) {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.operators.add("alice");
  world.users.set("alice", { orgId: "acme", role: "owner" }).set("bob", { orgId: "globex", role: "owner" });
  for (const [id, owner, org] of [["a1", "alice", "acme"], ["a2", "alice", "acme"], ["b1", "bob", "globex"]]) {
    world.agents.set(id, { name: id, ownerId: owner, orgId: org });
    const now = world.deps.now();
    world.views.set(id, storedView(seal(nextRevision("agent", id, null, emptyAgentView(now), now), world.keyring, now)));
  }
  const app = createCheckedApp(world.deps);
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions, rateLimitPerMinute: 10_000 }) });
  const key = ((await created.json()) as { key: string }).key;
  const headers = { Authorization: "Bearer alice-token", "X-API-Key": key };
  return { world, app, headers };
}

type Meta = { cache: string; ageMs: number; stale: boolean };

test("the second read is an edge hit: no store read, meta and Age say so", async () => {
  const { world, app, headers } = await setup();
  const first = await app.request("/v1/agents/a1/metrics", { headers });
  assert.equal(((await first.json()) as { meta: Meta }).meta.cache, "store");
  world.advance(2_000);
  const second = await app.request("/v1/agents/a1/metrics", { headers });
  assert.deepEqual(((await second.json()) as { meta: Meta }).meta, { cache: "edge", ageMs: 2_000, stale: false });
  assert.equal(second.headers.get("age"), "2");
  assert.equal(second.headers.get("cache-control"), "private, max-age=5, stale-while-revalidate=30");
  assert.equal(world.viewReads.length, 1);
});

test("past 5 s a read is served stale while one refresh loads the new revision", async () => {
  const { world, app, headers } = await setup();
  await app.request("/v1/agents/a1/metrics", { headers });
  const now = world.deps.now();
  world.views.set("a1", storedView(seal(nextRevision("agent", "a1", { version: 1 } as never, emptyAgentView(now), now), world.keyring, now)));
  world.advance(6_000);
  const stale = (await (await app.request("/v1/agents/a1/metrics", { headers })).json()) as { data: { version: number }; meta: Meta };
  assert.deepEqual([stale.data.version, stale.meta.stale, stale.meta.cache], [1, true, "edge"]);
  await new Promise((resolve) => setImmediate(resolve));
  const fresh = (await (await app.request("/v1/agents/a1/metrics", { headers })).json()) as { data: { version: number }; meta: Meta };
  assert.deepEqual([fresh.data.version, fresh.meta.stale], [2, false]);
});

test("a matching If-None-Match gives 304 on an edge hit, and a changed revision does not match", async () => {
  const { app, headers } = await setup();
  const first = await app.request("/v1/agents/a1/metrics", { headers });
  const etag = first.headers.get("etag") ?? "";
  const again = await app.request("/v1/agents/a1/metrics", { headers: { ...headers, "If-None-Match": etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("etag"), etag);
  assert.equal(await again.text(), "");
  const refreshed = await app.request("/v1/agents/a1/metrics:refresh", { method: "POST", headers });
  assert.notEqual(refreshed.headers.get("etag"), etag);
  const after = await app.request("/v1/agents/a1/metrics", { headers: { ...headers, "If-None-Match": etag } });
  assert.equal(after.status, 200);
  assert.equal(((await after.json()) as { meta: Meta }).meta.cache, "edge", "the refresh replaced the edge copy");
});

const batchGet = (app: Awaited<ReturnType<typeof setup>>["app"], headers: Record<string, string>, body: unknown) =>
  app.request("/v1/agents/metrics:batchGet", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

test("Cache-Control: no-cache reads the stored view past a copy held in memory (the Refresh button)", async () => {
  const { world, app, headers } = await setup();
  await app.request("/v1/agents/a1/metrics", { headers });
  // Another instance changed the view: this one still holds revision 1, fresh.
  const now = world.deps.now();
  world.views.set("a1", storedView(seal(nextRevision("agent", "a1", { version: 1 } as never, emptyAgentView(now), now), world.keyring, now)));
  const held = (await (await app.request("/v1/agents/a1/metrics", { headers })).json()) as { data: { version: number }; meta: Meta };
  assert.deepEqual([held.data.version, held.meta.cache], [1, "edge"]);
  for (const cacheControl of ["no-cache", "max-age=0"]) {
    const reread = (await (await app.request("/v1/agents/a1/metrics", { headers: { ...headers, "Cache-Control": cacheControl } })).json()) as { data: { version: number }; meta: Meta };
    assert.deepEqual([reread.data.version, reread.meta.cache], [2, "store"], cacheControl);
  }
  const batch = (await (await batchGet(app, { ...headers, "Cache-Control": "no-cache" }, { agentIds: ["a1"] })).json()) as { data: Record<string, { meta: Meta }> };
  assert.equal(batch.data.a1.meta.cache, "store");
  assert.equal(world.viewReads.length, 4, "each no-cache read went to the store");
  const after = (await (await app.request("/v1/agents/a1/metrics", { headers })).json()) as { data: { version: number }; meta: Meta };
  assert.deepEqual([after.data.version, after.meta.cache], [2, "edge"], "and the reread copy is what plain reads get next");
});

test("batchGet answers each readable id like a single read; foreign and missing ids are forbidden", async () => {
  const { world, app, headers } = await setup();
  const single = (await (await app.request("/v1/agents/a1/metrics", { headers })).json()) as Record<string, unknown>;
  const res = await batchGet(app, headers, { agentIds: ["a1", "a2", "b1", "ghost", "a2"] });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: Record<string, { data: unknown; signature: unknown; meta: Meta }>; notFound: string[]; forbidden: string[] };
  assert.deepEqual(Object.keys(body.data).sort(), ["a1", "a2"]);
  assert.deepEqual(body.data.a1.data, single.data);
  assert.deepEqual(body.data.a1.signature, single.signature);
  assert.equal(body.data.a1.meta.cache, "edge");
  assert.equal(body.data.a2.meta.cache, "store");
  assert.deepEqual(body.forbidden, ["b1", "ghost"]);
  assert.deepEqual(body.notFound, []);
  assert.equal(JSON.stringify(body).includes('"b1":{'), false, "nothing of a forbidden agent is returned");
  // Rights are decided before any view is read: only the readable miss is read.
  assert.deepEqual(world.viewReads, [["a1"], ["a2"]], "foreign and missing ids cost no view read");
});

test("batchGet refuses malformed bodies with 400, and its path is not taken for an agent id", async () => {
  const { app, headers } = await setup();
  for (const body of ["{nope", {}, { agentIds: [] }, { agentIds: Array.from({ length: 101 }, (_, i) => `a${i}`) }, { agentIds: ["a/b"] }, { agentIds: ["a1"], extra: 1 }, { agentIds: "a1" }]) {
    const res = await batchGet(app, headers, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "INVALID_ARGUMENT");
  }
  const ok = await batchGet(app, headers, { agentIds: Array.from({ length: 100 }, (_, i) => `x${i}`) });
  assert.equal(ok.status, 200, "100 ids are accepted");
  assert.equal((await app.request("/v1/agents/metrics:batchGet/metrics", { headers })).status, 403, "as a single read, it is just an unknown agent");
});

test("batchGet needs a session, a key and read:agent-metrics", async () => {
  const { app, headers } = await setup(["read:cache-stats"]);
  assert.equal((await batchGet(app, { Authorization: headers.Authorization }, { agentIds: ["a1"] })).status, 401);
  assert.equal((await batchGet(app, headers, { agentIds: ["a1"] })).status, 403);
});

test("cache stats count hits, misses and stale serves of this instance; the permission is required", async () => {
  const { world, app, headers } = await setup();
  await app.request("/v1/agents/a1/metrics", { headers });
  await app.request("/v1/agents/a1/metrics", { headers });
  world.advance(6_000);
  await app.request("/v1/agents/a1/metrics", { headers });
  const res = await app.request("/v1/cache/stats", { headers });
  assert.equal(res.status, 200);
  const stats = (await res.json()) as { instanceId: string; layers: { views: Record<string, number> } };
  assert.equal(typeof stats.instanceId, "string");
  const { hits, misses, staleServes, entries, bytes, hitRate } = stats.layers.views;
  assert.deepEqual({ hits, misses, staleServes, entries }, { hits: 1, misses: 1, staleServes: 1, entries: 1 });
  assert.ok(bytes > 500);
  assert.equal(hitRate, 2 / 3);
  const weak = await setup(["read:agent-metrics"]);
  assert.equal((await weak.app.request("/v1/cache/stats", { headers: weak.headers })).status, 403);
});

test("the periodic stats line is logged only when there was traffic", async () => {
  const { world, app, headers } = await setup();
  await app.request("/v1/agents/a1/metrics", { headers });
  assert.equal(world.deps.cacheStats.logIfBusy(world.log), true);
  assert.equal(world.deps.cacheStats.logIfBusy(world.log), false);
  const line = world.log.entries.find((e) => e.event === "cache.stats");
  assert.ok((line?.fields?.layers as Record<string, unknown>).views);
});

test("batchGet or a no-cache read of agents the caller may not read loads and recomputes nothing of them (finding 1)", async () => {
  const { world, app, headers } = await setup();
  // b1 is bob's; b2 is bob's with no view yet (a read used to recompute it); ghost does not exist.
  world.agents.set("b2", { name: "b2", ownerId: "bob", orgId: "globex" });
  const noCache = { ...headers, "Cache-Control": "no-cache" };
  for (let i = 0; i < 3; i++) {
    const res = await batchGet(app, noCache, { agentIds: ["b1", "b2", "ghost"] });
    assert.deepEqual(((await res.json()) as { forbidden: string[] }).forbidden, ["b1", "b2", "ghost"]);
    assert.equal((await app.request("/v1/agents/b2/metrics", { headers: noCache })).status, 403);
    assert.equal((await app.request("/v1/agents/b2/metrics/series", { headers: noCache })).status, 403);
  }
  assert.deepEqual(world.viewReads, [], "no view of a forbidden id was read");
  assert.deepEqual(world.recomputes, [], "nor recomputed");
  assert.deepEqual(world.accessLookUps.at(0), ["b1", "b2", "ghost"], "rights were asked for all ids at once");
  // A readable id with no-cache still revalidates its own view, after its right was decided.
  assert.equal((await batchGet(app, noCache, { agentIds: ["a1", "b1"] })).status, 200);
  assert.deepEqual(world.viewReads, [["a1"]]);
});
