/**
 * Issue #13, finding "300 requests with forged well-formed keys from one signed-in user: no limit,
 * each costing a read; session-only routes have no limiter at all": limits per user (and per client
 * address where there is no user) now stand in front of each.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { generateApiKey } from "../../../functions/src/api-keys/api-key-format";
import { ACCOUNT_REQUESTS_PER_MINUTE, BAD_KEYS_PER_MINUTE, SESSION_MINTS_PER_MINUTE } from "../../../functions/src/http/caller-limits";
import { cachedApiKeyStore } from "../../../functions/src/api-keys/cached-api-key-store";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("bob-token", "bob");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  world.views.set("agent-1", storedView(seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now())));
  let lookUps = 0;
  const inner = world.deps.apiKeys;
  // The real key cache over the in-memory store, counting what would be Firestore reads.
  const apiKeys = cachedApiKeyStore({ ...inner, findByHash: (hash) => (lookUps++, inner.findByHash(hash)) }, { now: () => world.deps.now().getTime() });
  const app = createCheckedApp({ ...world.deps, apiKeys });
  return { world, app, lookUps: () => lookUps };
}

const read = (app: ReturnType<typeof createCheckedApp>, key: string, token = "alice-token") => app.request("/v1/agents/agent-1/metrics", { headers: { Authorization: `Bearer ${token}`, "X-API-Key": key } });

test("forged well-formed keys from one signed-in user: limited after the budget, reads bounded, the user's real key keeps working", async () => {
  const { app, lookUps } = setup();
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "real", permissions: ["read:agent-metrics"] }) });
  const realKey = ((await created.json()) as { key: string }).key;
  assert.equal((await read(app, realKey)).status, 200);
  const statuses: number[] = [];
  for (let i = 0; i < 300; i++) statuses.push((await read(app, generateApiKey("test"))).status);
  assert.equal(statuses.filter((s) => s === 401).length, BAD_KEYS_PER_MINUTE);
  assert.equal(statuses.filter((s) => s === 429).length, 300 - BAD_KEYS_PER_MINUTE);
  assert.equal(lookUps(), 1 + BAD_KEYS_PER_MINUTE, "one read for the real key, then one per forged key within the budget");
  const refused = await read(app, generateApiKey("test"));
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get("retry-after")) >= 1);
  assert.equal(((await refused.json()) as { error: { code: string; retryAfterSeconds: number } }).error.code, "RESOURCE_EXHAUSTED");
  assert.equal((await read(app, realKey)).status, 200, "a key this instance holds costs no read and is still served");
  assert.equal((await read(app, generateApiKey("test"), "bob-token")).status, 401, "another user has a budget of their own");
});

test("session-only routes have a limit per user, with Retry-After", async () => {
  const { app } = setup();
  const list = (token: string) => app.request("/v1/api-keys", { headers: { Authorization: `Bearer ${token}` } });
  for (let i = 0; i < ACCOUNT_REQUESTS_PER_MINUTE; i++) assert.equal((await list("alice-token")).status, 200);
  const over = await list("alice-token");
  assert.equal(over.status, 429);
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  assert.equal((await list("bob-token")).status, 200, "per user");
});

test("POST /v1/session has a limit per client address (there is no user yet)", async () => {
  const { app } = setup();
  const mint = (address: string) => app.request("/v1/session", { method: "POST", headers: { "X-Forwarded-For": address }, body: JSON.stringify({ idToken: "forged" }) });
  for (let i = 0; i < SESSION_MINTS_PER_MINUTE; i++) assert.equal((await mint("203.0.113.7")).status, 401);
  assert.equal((await mint("203.0.113.7")).status, 429);
  assert.equal((await mint("198.51.100.9")).status, 401, "another address has its own budget");
});

/**
 * Issue #26, finding 4 ("no limit per user across keys: 50 keys × 10,000 requests a minute, each
 * no-cache read costing a Firestore read and a signature"): one budget per user across all its keys
 * for the requests that reach the store; edge hits are free.
 */
function budgetSetup(budget: number) {
  const { world } = setup();
  const app = createCheckedApp({ ...world.deps, keyLimits: { maxActiveKeys: 50, maxRateLimitPerMinute: 10_000, userStoreRequestsPerMinute: budget } });
  const key = async (token: string) => {
    const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"], rateLimitPerMinute: 10_000 }) });
    return ((await res.json()) as { key: string }).key;
  };
  const readWith = (k: string, noCache: boolean, token = "alice-token") => app.request("/v1/agents/agent-1/metrics", { headers: { Authorization: `Bearer ${token}`, "X-API-Key": k, ...(noCache && { "Cache-Control": "no-cache" }) } });
  return { world, key, readWith };
}

test("one store budget per user across two keys: no-cache reads alternate keys, and the budget holds for both together", async () => {
  const { world, key, readWith } = budgetSetup(10);
  const keys = [await key("alice-token"), await key("alice-token")];
  const reads = world.viewReads.length;
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) statuses.push((await readWith(keys[i % 2], true)).status);
  assert.equal(statuses.filter((s) => s === 200).length, 10, "10 in all, not 10 per key");
  assert.equal(world.viewReads.length - reads, 10, "the refused ones read nothing");
  const refused = await readWith(keys[0], true);
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 120, `Retry-After ${retryAfter}`);
  assert.equal(refused.headers.get("ratelimit-limit"), "10000", "the key's own RateLimit headers still say the key's limit");
  const error = ((await refused.json()) as { error: { code: string; message: string; retryAfterSeconds: number } }).error;
  assert.equal(error.code, "RESOURCE_EXHAUSTED");
  assert.equal(error.retryAfterSeconds, retryAfter);
  assert.match(error.message, /exceed 10 a minute across all its API keys \(answers from the edge cache do not count\); retry in \d+ s\./);
  world.advance(2 * 60_000);
  assert.equal((await readWith(keys[1], true)).status, 200, "the budget comes back with time");
});

test("edge hits cost none of the budget; other users have their own", async () => {
  const { world, key, readWith } = budgetSetup(4);
  world.tokens.set("carol-token", "carol");
  world.users.set("carol", { orgId: "acme", role: "member" });
  const [a, b] = [await key("alice-token"), await key("alice-token")];
  // The first read loads the view (one against the budget); the 49 after it are edge hits.
  for (let i = 0; i < 50; i++) assert.equal((await readWith(i % 2 ? a : b, false)).status, 200, `edge read ${i}`);
  assert.equal((await readWith(a, true)).status, 200);
  assert.equal((await readWith(b, true)).status, 200);
  assert.equal((await readWith(a, false)).status, 200, "still an edge hit");
  const carol = await key("carol-token");
  for (let i = 0; i < 3; i++) assert.equal((await readWith(carol, true, "carol-token")).status, 200, "carol's budget is hers");
  assert.equal((await readWith(b, true)).status, 200, "alice's fourth");
  assert.equal((await readWith(a, true)).status, 429);
  assert.equal((await readWith(a, false)).status, 429, "once spent, every keyed request waits (it may not know in advance that it is a hit)");
});

test("concurrent batchGets take their ids from the budget before reading: together they cannot overrun it", async () => {
  const { world, key } = budgetSetup(5);
  for (const id of ["agent-2", "agent-3"]) {
    world.agents.set(id, { name: id, ownerId: "alice", orgId: "acme" });
    world.views.set(id, storedView(seal(nextRevision("agent", id, null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now())));
  }
  const app = createCheckedApp({ ...world.deps, keyLimits: { maxActiveKeys: 50, maxRateLimitPerMinute: 10_000, userStoreRequestsPerMinute: 5 } });
  const k = await key("alice-token");
  const batch = () => app.request("/v1/agents/metrics:batchGet", { method: "POST", headers: { Authorization: "Bearer alice-token", "X-API-Key": k, "Cache-Control": "no-cache" }, body: JSON.stringify({ agentIds: ["agent-1", "agent-2", "agent-3"] }) });
  const reads = world.viewReads.flat().length;
  const statuses = (await Promise.all(Array.from({ length: 4 }, batch))).map((r) => r.status);
  assert.ok(statuses.filter((s) => s === 200).length <= 1, `at most one fits: ${statuses}`);
  assert.ok(statuses.filter((s) => s === 429).length >= 3);
  assert.ok(world.viewReads.flat().length - reads <= 5, "no more view reads than the budget");
});
