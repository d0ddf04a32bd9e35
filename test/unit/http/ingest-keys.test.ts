/**
 * Ingest keys (permissions exactly `["write:interactions"]`) authenticate alone on
 * `POST /v1/agents/{agentId}/interactions`, acting as their owner, who must still be allowed to write
 * the agent now; every other route and every other key still need the session.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { generateApiKey } from "../../../functions/src/api-keys/api-key-format";
import { BAD_KEYS_PER_MINUTE } from "../../../functions/src/http/caller-limits";
import { fakeWorld } from "../../support/fakes";

type App = ReturnType<typeof createCheckedApp>;

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("bob-token", "bob");
  world.users.set("alice", { orgId: "acme", role: "owner" }).set("bob", { orgId: "acme", role: "member" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" }).set("agent-2", { name: "Sales", ownerId: "alice", orgId: "acme" });
  return { world, app: createCheckedApp(world.deps) };
}

async function createKey(app: App, body: Record<string, unknown>, token = "alice-token") {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "ingest", ...body }) });
  const created = (await res.json()) as { key: string; apiKey: { id: string } };
  assert.equal(res.status, 201, JSON.stringify(created));
  return created;
}

const ingestKey = async (app: App, extra: Record<string, unknown> = {}, token = "alice-token") => (await createKey(app, { permissions: ["write:interactions"], ...extra }, token)).key;

const item = (id: string, extra: Record<string, unknown> = {}) => ({ id, model: "claude-sonnet-4", inputTokens: 3, outputTokens: 2, latencyMs: 40, status: "success", occurredAt: "2026-11-23T09:59:00Z", ...extra });

/** A request with the key alone: no Authorization header, no cookie. */
const alone = (app: App, key: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  app.request(path, { method: init.method ?? "POST", headers: { "X-API-Key": key, ...init.headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });

async function codeOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

test("an ingest key alone writes its owner's agent: 202, userId defaults to the owner, rate limit and usage as for a session", async () => {
  const { app, world } = setup();
  const created = await createKey(app, { permissions: ["write:interactions"] });
  const res = await alone(app, created.key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1"), item("c2", { userId: "bob" })] } });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { accepted: 2, duplicates: 0, rejected: [] });
  assert.deepEqual(world.ingests.map((i) => [i.agentId, i.userIds]), [["agent-1", ["alice", "bob"]]]);
  assert.deepEqual(world.foldRequests, ["agent-1"]);
  assert.equal(res.headers.get("RateLimit-Limit"), "60");
  assert.equal(res.headers.get("RateLimit-Remaining"), "59");
  await world.deps.usage.flush();
  const usage = (await (await app.request(`/v1/api-keys/${created.apiKey.id}/usage`, { headers: { Authorization: "Bearer alice-token" } })).json()) as { days: Array<{ total: number }> };
  assert.equal(usage.days[0]?.total, 1, "the request went into the key's usage");
});

test("an ingest key alone is held to its own rate limit", async () => {
  const { app } = setup();
  const key = await ingestKey(app, { rateLimitPerMinute: 1 });
  const send = () => alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] } });
  assert.equal((await send()).status, 202);
  const over = await send();
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers.get("Retry-After")) > 0);
});

test("an ingest key alone on any other route is 401, and so is no credential at all", async () => {
  const { app } = setup();
  const key = await ingestKey(app);
  for (const [method, path, body] of [
    ["GET", "/v1/agents/agent-1/metrics", undefined],
    ["GET", "/v1/agents/agent-1/metrics/series", undefined],
    ["POST", "/v1/agents/agent-1/metrics:refresh", undefined],
    ["POST", "/v1/agents/metrics:batchGet", { agentIds: ["agent-1"] }],
    ["GET", "/v1/users/alice/metrics", undefined],
    ["GET", "/v1/api-keys", undefined],
  ] as const) {
    const res = await alone(app, key, path, { method, body });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal((await codeOf(res)).code, "UNAUTHENTICATED");
  }
  const none = await app.request("/v1/agents/agent-1/interactions", { method: "POST", body: JSON.stringify({ interactions: [item("c1")] }) });
  assert.equal(none.status, 401);
  assert.match((await codeOf(none)).message, /A session is required/);
});

test("a key that is not an ingest key (more permissions, or admin:all) still needs the session on ingestion", async () => {
  const { app, world } = setup();
  for (const permissions of [["write:interactions", "read:agent-metrics"], ["admin:all"]]) {
    const { key } = await createKey(app, { permissions });
    const res = await alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] } });
    assert.equal(res.status, 401, permissions.join());
    assert.match((await codeOf(res)).message, /exactly write:interactions/);
    const withSession = await app.request("/v1/agents/agent-1/interactions", { method: "POST", headers: { Authorization: "Bearer alice-token", "X-API-Key": key }, body: JSON.stringify({ interactions: [item("c1")] }) });
    assert.equal(withSession.status, 202, "with the session it works as before");
  }
  assert.equal(world.ingests.length, 2);
});

test("a key's owner who lost write access to the agent: the ingest key alone is refused with 403 at once", async () => {
  const { app, world } = setup();
  const key = await ingestKey(app, {}, "bob-token");
  const send = (id: string) => alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item(id)] } });
  assert.equal((await send("c1")).status, 202, "a member of the agent's organization may write it");
  assert.deepEqual(world.ingests[0]?.userIds, ["bob"]);
  world.users.set("bob", { orgId: "acme", role: "viewer" });
  const res = await send("c2");
  assert.equal(res.status, 403);
  assert.equal((await codeOf(res)).code, "PERMISSION_DENIED");
  assert.equal(world.ingests.length, 1, "nothing more was stored");
});

test("a revoked, expired, unknown or malformed ingest key alone is 401", async () => {
  const { app, world } = setup();
  const revoked = await createKey(app, { permissions: ["write:interactions"] });
  const revoke = await app.request(`/v1/api-keys/${revoked.apiKey.id}`, { method: "DELETE", headers: { Authorization: "Bearer alice-token" } });
  assert.equal(revoke.status, 200);
  const expiring = await ingestKey(app, { expiresInDays: 1 });
  world.advance(86_400_000);
  for (const [what, key] of [["revoked", revoked.key], ["expired", expiring], ["unknown", generateApiKey("test")], ["malformed", "mk_test_nope"]] as const) {
    const res = await alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] } });
    assert.equal(res.status, 401, what);
    assert.equal((await codeOf(res)).code, "UNAUTHENTICATED", what);
  }
  assert.deepEqual(world.ingests, []);
});

test("forged keys sent alone are limited per client address before they cost a lookup", async () => {
  const { app } = setup();
  const statuses: number[] = [];
  for (let i = 0; i < BAD_KEYS_PER_MINUTE + 5; i++) {
    const res = await alone(app, generateApiKey("test"), "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] }, headers: { "X-Forwarded-For": "203.0.113.7" } });
    statuses.push(res.status);
  }
  assert.equal(statuses.filter((s) => s === 401).length, BAD_KEYS_PER_MINUTE);
  assert.equal(statuses.filter((s) => s === 429).length, 5);
  const key = await ingestKey(app);
  const other = await alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] }, headers: { "X-Forwarded-For": "198.51.100.4" } });
  assert.equal(other.status, 202, "another address is not held to that budget");
});

test("an ingest key restricted to agent-1 writes agent-1 alone, and is refused with 403 for agent-2", async () => {
  const { app, world } = setup();
  const key = await ingestKey(app, { agentIds: ["agent-1"] });
  const other = await alone(app, key, "/v1/agents/agent-2/interactions", { body: { interactions: [item("c1")] } });
  assert.equal(other.status, 403);
  assert.equal((await codeOf(other)).code, "PERMISSION_DENIED");
  assert.deepEqual(world.ingests, []);
  assert.equal((await alone(app, key, "/v1/agents/agent-1/interactions", { body: { interactions: [item("c1")] } })).status, 202);
});
