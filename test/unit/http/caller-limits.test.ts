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
