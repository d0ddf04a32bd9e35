/**
 * In-process tests of the key life cycle, rate limits, usage and sessions (in-memory stores).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("bob-token", "bob");
  world.users.set("alice", { orgId: "acme", role: "owner" }).set("bob", { orgId: "acme", role: "member" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  const sealed = seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now());
  world.views.set("agent-1", storedView(sealed));
  return { world, app: createCheckedApp(world.deps) };
}

type App = ReturnType<typeof createCheckedApp>;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function create(app: App, token: string, body: Record<string, unknown>) {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: auth(token), body: JSON.stringify(body) });
  assert.equal(res.status, 201);
  return (await res.json()) as { key: string; apiKey: { id: string; prefix: string } };
}

test("list shows the owner's keys with status, never the plaintext or the hash", async () => {
  const { app, world } = setup();
  const first = await create(app, "alice-token", { name: "one", permissions: ["read:agent-metrics"] });
  await create(app, "alice-token", { name: "two", permissions: ["admin:all"], expiresInDays: 1 });
  await create(app, "bob-token", { name: "bob's", permissions: ["read:agent-metrics"] });
  const res = await app.request("/v1/api-keys", { headers: auth("alice-token") });
  const { apiKeys } = (await res.json()) as { apiKeys: Array<Record<string, unknown>> };
  assert.deepEqual(apiKeys.map((k) => k.name).sort(), ["one", "two"]);
  assert.ok(apiKeys.every((k) => k.status === "active" && k.revokedAt === null));
  const body = JSON.stringify(apiKeys);
  assert.equal(body.includes(first.key), false);
  for (const hash of world.keys.keys()) assert.equal(body.includes(hash), false);
});

test("a revoked key is refused with 401 at once; revoking someone else's key is 404", async () => {
  const { app } = setup();
  const { key, apiKey } = await create(app, "alice-token", { name: "k", permissions: ["read:agent-metrics"] });
  const read = () => app.request("/v1/agents/agent-1/metrics", { headers: { ...auth("alice-token"), "X-API-Key": key } });
  assert.equal((await read()).status, 200);
  assert.equal((await app.request(`/v1/api-keys/${apiKey.id}`, { method: "DELETE", headers: auth("bob-token") })).status, 404);
  const revoked = await app.request(`/v1/api-keys/${apiKey.id}`, { method: "DELETE", headers: auth("alice-token") });
  assert.equal(revoked.status, 200);
  assert.equal(((await revoked.json()) as { apiKey: { status: string } }).apiKey.status, "revoked");
  const refused = await read();
  assert.equal(refused.status, 401);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "UNAUTHENTICATED");
  assert.equal((await app.request("/v1/api-keys/not-an-id", { method: "DELETE", headers: auth("alice-token") })).status, 400);
});

test("an expired key is refused with 401", async () => {
  const { app, world } = setup();
  const { key } = await create(app, "alice-token", { name: "k", permissions: ["read:agent-metrics"], expiresInDays: 1 });
  for (const record of world.keys.values()) record.expiresAt = new Date(world.deps.now().getTime() - 1);
  const res = await app.request("/v1/agents/agent-1/metrics", { headers: { ...auth("alice-token"), "X-API-Key": key } });
  assert.equal(res.status, 401);
});

test("rateLimitPerMinute 5 gives exactly 5 answers, then 429 with Retry-After and the RateLimit headers", async () => {
  const { app } = setup();
  const { key } = await create(app, "alice-token", { name: "k", permissions: ["read:agent-metrics"], rateLimitPerMinute: 5 });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 8; i++) {
    last = await app.request("/v1/agents/agent-1/metrics", { headers: { ...auth("alice-token"), "X-API-Key": key } });
    statuses.push(last.status);
    assert.equal(last.headers.get("ratelimit-limit"), "5");
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  assert.ok(last);
  assert.equal(last.headers.get("ratelimit-remaining"), "0");
  assert.ok(Number(last.headers.get("retry-after")) >= 1);
  const body = (await last.json()) as { error: { code: string; retryAfterSeconds: number } };
  assert.equal(body.error.code, "RESOURCE_EXHAUSTED");
  assert.equal(body.error.retryAfterSeconds, Number(last.headers.get("retry-after")));
});

test("usage counts each keyed request by outcome and stores no key and no raw IP", async () => {
  const { app, world } = setup();
  const { key, apiKey } = await create(app, "alice-token", { name: "k", permissions: ["read:org-metrics"], rateLimitPerMinute: 2 });
  for (let i = 0; i < 3; i++) {
    await app.request("/v1/agents/agent-1/metrics", { headers: { ...auth("alice-token"), "X-API-Key": key, "X-Forwarded-For": "203.0.113.9, 10.0.0.1" } });
  }
  await world.deps.usage.flush();
  const res = await app.request(`/v1/api-keys/${apiKey.id}/usage`, { headers: auth("alice-token") });
  const usage = (await res.json()) as { days: Array<{ total: number; byOutcome: Record<string, number> }>; lastUsedAt: string };
  assert.equal(usage.days[0].total, 3);
  assert.equal(usage.days[0].byOutcome.denied, 2, "no permission: 403 twice");
  assert.equal(usage.days[0].byOutcome.rate_limited, 1);
  assert.equal(usage.lastUsedAt, world.deps.now().toISOString());
  const stored = JSON.stringify(world.usageTallies);
  assert.equal(stored.includes("203.0.113.9"), false);
  assert.equal(stored.includes(key), false);
  // One audit tally per status from this client: the two 403s share one.
  const tallies = world.usageTallies ?? [];
  assert.deepEqual(tallies.map((t) => [t.status, t.count]).sort(), [[403, 2], [429, 1]]);
  assert.match(tallies[0].ipHash ?? "", /^[0-9a-f]{64}$/);
  assert.equal(tallies[0].route, "GET /v1/agents/:agentId/metrics");
});

test("a session cookie is minted HttpOnly, Secure and SameSite=Strict, and DELETE revokes it", async () => {
  const { app, world } = setup();
  const res = await app.request("/v1/session", { method: "POST", body: JSON.stringify({ idToken: "alice-token" }) });
  assert.equal(res.status, 200);
  const cookie = res.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^__session=cookie-for-alice-token;/);
  for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"]) assert.ok(cookie.includes(attribute), attribute);
  world.tokens.set("cookie-for-alice-token", "alice");
  const signOut = await app.request("/v1/session", { method: "DELETE", headers: { Cookie: "__session=cookie-for-alice-token", Host: "localhost" } });
  assert.equal(signOut.status, 204);
  assert.match(signOut.headers.get("set-cookie") ?? "", /__session=;.*Max-Age=0/);
  assert.equal((await app.request("/v1/api-keys", { headers: { Cookie: "__session=cookie-for-alice-token" } })).status, 401);
  assert.equal((await app.request("/v1/session", { method: "POST", body: JSON.stringify({ idToken: "forged" }) })).status, 401);
});

test("a cross-site write with the session cookie is refused", async () => {
  const { app, world } = setup();
  world.tokens.set("alice-cookie", "alice");
  const res = await app.request("/v1/api-keys", {
    method: "POST",
    headers: { Cookie: "__session=alice-cookie", Origin: "https://evil.example", Host: "metrics.example" },
    body: JSON.stringify({ name: "x", permissions: ["admin:all"] }),
  });
  assert.equal(res.status, 403);
  assert.equal(world.keys.size, 0);
});

test("only an operator grants or uses the operator permissions; admin:all grants a user what that user may do (finding 6)", async () => {
  const { app, world } = setup();
  const refused = await app.request("/v1/api-keys", { method: "POST", headers: auth("bob-token"), body: JSON.stringify({ name: "stats", permissions: ["read:agent-metrics", "read:cache-stats"] }) });
  assert.equal(refused.status, 403);
  const body = (await refused.json()) as { error: { code: string; details: unknown } };
  assert.equal(body.error.code, "PERMISSION_DENIED");
  assert.deepEqual(body.error.details, { permissions: ["read:cache-stats"] });
  assert.equal(world.keys.size, 0, "nothing was stored");

  const bobAdmin = await create(app, "bob-token", { name: "all", permissions: ["admin:all"] });
  const bobHeaders = { ...auth("bob-token"), "X-API-Key": bobAdmin.key };
  assert.equal((await app.request("/v1/agents/agent-1/metrics", { headers: bobHeaders })).status, 200, "admin:all reads what bob may read");
  assert.equal((await app.request("/v1/cache/stats", { headers: bobHeaders })).status, 403, "but not the instance's figures");

  world.operators.add("alice");
  const stats = await create(app, "alice-token", { name: "stats", permissions: ["read:cache-stats"] });
  assert.equal((await app.request("/v1/cache/stats", { headers: { ...auth("alice-token"), "X-API-Key": stats.key } })).status, 200);
  world.operators.delete("alice");
  assert.equal((await app.request("/v1/cache/stats", { headers: { ...auth("alice-token"), "X-API-Key": stats.key } })).status, 403, "a key outlives its maker's operator claim only as far as the claim goes");
});
