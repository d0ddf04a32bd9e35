/**
 * Keys restricted to some agents (`agentIds` on `POST /v1/api-keys`): created and listed with their
 * agents, refused with 403 for any other agent on every route, other agents listed under `forbidden`
 * in a batch read, and refused on user and organization reads, which span other agents.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

type App = ReturnType<typeof createCheckedApp>;

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("mallory-token", "mallory");
  world.users.set("alice", { orgId: "acme", role: "owner" }).set("mallory", { orgId: "globex", role: "owner" });
  world.orgs.add("acme").add("globex");
  const now = world.deps.now();
  for (const [id, ownerId, orgId] of [["agent-1", "alice", "acme"], ["agent-2", "alice", "acme"], ["mallory-agent", "mallory", "globex"]] as const) {
    world.agents.set(id, { name: id, ownerId, orgId });
    world.views.set(id, storedView(seal(nextRevision("agent", id, null, emptyAgentView(now), now), world.keyring, now)));
  }
  return { world, app: createCheckedApp(world.deps) };
}

async function createKey(app: App, body: Record<string, unknown>, token = "alice-token") {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "restricted", ...body }) });
  return { status: res.status, body: (await res.json()) as { key: string; apiKey: Record<string, unknown>; error?: { code: string; details?: Array<{ path: string }> } } };
}

async function restrictedKey(app: App, permissions: string[], agentIds = ["agent-1"], token = "alice-token") {
  const { status, body } = await createKey(app, { permissions, agentIds }, token);
  assert.equal(status, 201, JSON.stringify(body));
  return body.key;
}

const call = (app: App, key: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  app.request(path, { method: init.method ?? "GET", headers: { Authorization: "Bearer alice-token", "X-API-Key": key }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });

async function assertForbidden(res: Response, what: string) {
  assert.equal(res.status, 403, what);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED", what);
}

const interaction = (id: string, at: Date) => ({ id, model: "claude-sonnet-4", inputTokens: 1, outputTokens: 1, latencyMs: 5, status: "success", occurredAt: at.toISOString() });

test("a created key shows its agents, and so does the listing; an unrestricted key shows none", async () => {
  const { app } = setup();
  const { status, body } = await createKey(app, { permissions: ["read:agent-metrics"], agentIds: ["agent-1", "agent-2"] });
  assert.equal(status, 201);
  assert.deepEqual(body.apiKey.agentIds, ["agent-1", "agent-2"]);
  await createKey(app, { permissions: ["read:agent-metrics"] });
  const listed = (await (await app.request("/v1/api-keys", { headers: { Authorization: "Bearer alice-token" } })).json()) as { apiKeys: Array<{ id: string; agentIds?: string[] }> };
  assert.deepEqual(listed.apiKeys.find((k) => k.id === body.apiKey.id)?.agentIds, ["agent-1", "agent-2"]);
  assert.equal(listed.apiKeys.filter((k) => k.agentIds === undefined).length, 1);
});

test("agentIds that are empty, too many, repeated or not ids are refused with 400 and nothing is stored", async () => {
  const { app, world } = setup();
  for (const agentIds of [[], Array.from({ length: 101 }, (_, i) => `agent-${i}`), ["agent-1", "agent-1"], ["a/b"], [""], [7], "agent-1"]) {
    const { status, body } = await createKey(app, { permissions: ["read:agent-metrics"], agentIds });
    assert.equal(status, 400, JSON.stringify(agentIds).slice(0, 60));
    assert.equal(body.error?.code, "INVALID_ARGUMENT");
    assert.match(body.error?.details?.[0]?.path ?? "", /^agentIds/, "the refusal names the field");
  }
  assert.equal(world.keys.size, 0);
  const { status } = await createKey(app, { permissions: ["read:agent-metrics"], agentIds: Array.from({ length: 100 }, (_, i) => `agent-${i}`) });
  assert.equal(status, 201, "100 agents is the limit, not over it");
});

test("a restricted key reads its agent's metrics and series, and is refused for another agent of the same owner", async () => {
  const { app, world } = setup();
  const key = await restrictedKey(app, ["read:agent-metrics"]);
  assert.equal((await call(app, key, "/v1/agents/agent-1/metrics")).status, 200);
  assert.equal((await call(app, key, "/v1/agents/agent-1/metrics/series")).status, 200);
  const reads = world.viewReads.length;
  await assertForbidden(await call(app, key, "/v1/agents/agent-2/metrics"), "metrics of another agent");
  await assertForbidden(await call(app, key, "/v1/agents/agent-2/metrics/series"), "series of another agent");
  assert.equal(world.viewReads.length, reads, "the other agent's view was never read");
});

test("a restricted key writes only its agents: ingest and refresh of another agent are 403 and store nothing", async () => {
  const { app, world } = setup();
  const key = await restrictedKey(app, ["write:interactions", "write:agent-metrics"]);
  const body = { interactions: [interaction("c1", world.deps.now())] };
  await assertForbidden(await call(app, key, "/v1/agents/agent-2/interactions", { method: "POST", body }), "ingest into another agent");
  await assertForbidden(await call(app, key, "/v1/agents/agent-2/metrics:refresh", { method: "POST" }), "refresh of another agent");
  assert.deepEqual(world.ingests, []);
  assert.deepEqual(world.recomputes, []);
  const ingested = await call(app, key, "/v1/agents/agent-1/interactions", { method: "POST", body });
  assert.equal(ingested.status, 202);
  assert.deepEqual(await ingested.json(), { accepted: 1, duplicates: 0, rejected: [] });
  assert.equal((await call(app, key, "/v1/agents/agent-1/metrics:refresh", { method: "POST" })).status, 200);
});

test("a batch read with a restricted key answers its agents and lists the others under forbidden, without deciding their rights", async () => {
  const { app, world } = setup();
  const key = await restrictedKey(app, ["read:agent-metrics"]);
  const res = await call(app, key, "/v1/agents/metrics:batchGet", { method: "POST", body: { agentIds: ["agent-2", "agent-1", "ghost", "mallory-agent"] } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: Record<string, { data: { id: string } }>; forbidden: string[]; notFound: string[] };
  assert.deepEqual(Object.keys(body.data), ["agent-1"]);
  assert.equal(body.data["agent-1"]?.data.id, "agent-1");
  assert.deepEqual(body.forbidden, ["agent-2", "ghost", "mallory-agent"]);
  assert.equal(world.accessLookUps.flat().some((id) => id !== "agent-1"), false, "only the key's own agent was looked up");
});

test("user and organization reads are 403 for a restricted key (they span other agents), and still 200 for an unrestricted one", async () => {
  const { app } = setup();
  const permissions = ["read:user-metrics", "read:org-metrics"];
  const restricted = await restrictedKey(app, permissions);
  const unrestricted = (await createKey(app, { permissions })).body.key;
  for (const path of ["/v1/users/alice/metrics", "/v1/users/alice/metrics/series", "/v1/orgs/acme/metrics", "/v1/orgs/acme/metrics/series"]) {
    await assertForbidden(await call(app, restricted, path), path);
    assert.equal((await call(app, unrestricted, path)).status, 200, path);
  }
});

test("a restriction only narrows: a key restricted to someone else's agent still cannot read it", async () => {
  const { app } = setup();
  const key = await restrictedKey(app, ["read:agent-metrics"], ["mallory-agent"]);
  await assertForbidden(await call(app, key, "/v1/agents/mallory-agent/metrics"), "another user's agent named in the key");
  await assertForbidden(await call(app, key, "/v1/agents/agent-1/metrics"), "the owner's agent left out of the key");
});

test("a request refused for its agent still counts against the key's rate limit and goes into its usage", async () => {
  const { app, world } = setup();
  const created = await createKey(app, { permissions: ["read:agent-metrics"], agentIds: ["agent-1"] });
  const res = await call(app, created.body.key, "/v1/agents/agent-2/metrics");
  assert.equal(res.status, 403);
  assert.equal(res.headers.get("RateLimit-Remaining"), "59");
  await world.deps.usage.flush();
  const usage = (await (await app.request(`/v1/api-keys/${String(created.body.apiKey.id)}/usage`, { headers: { Authorization: "Bearer alice-token" } })).json()) as { days: Array<{ total: number; byOutcome: Record<string, number> }> };
  assert.equal(usage.days[0]?.total, 1);
});
