/**
 * Issue #13, finding 2 ("the client IP in usage records is the first X-Forwarded-For entry: the
 * client writes it, and each distinct value is a new usage tally write"): the address is now the
 * entry the platform appends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { clientAddress } from "../../../functions/src/http/client-address";
import { keyedHash } from "../../../functions/src/signing/keyed-hash";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

test("clientAddress takes the entry Google's front end appends, or the one a trusted proxy hop before it", () => {
  assert.equal(clientAddress("6.6.6.6, 203.0.113.7"), "203.0.113.7");
  assert.equal(clientAddress(" 203.0.113.7 "), "203.0.113.7");
  assert.equal(clientAddress("6.6.6.6, 203.0.113.7, 151.101.1.195", 1), "203.0.113.7", "through Hosting: its edge is last");
  assert.equal(clientAddress("203.0.113.7", 1), "203.0.113.7", "fewer entries than hops: the first");
  assert.equal(clientAddress(undefined), null);
  assert.equal(clientAddress(" , "), null);
});

test("the client IP in usage records: forged leading X-Forwarded-For entries make one tally, not one each", async () => {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  world.views.set("agent-1", storedView(seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now())));
  const app = createCheckedApp(world.deps);
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"] }) });
  const { key } = (await created.json()) as { key: string };
  for (let i = 0; i < 20; i++) {
    const res = await app.request("/v1/agents/agent-1/metrics", { headers: { Authorization: "Bearer alice-token", "X-API-Key": key, "X-Forwarded-For": `10.0.0.${i}, 203.0.113.7` } });
    assert.equal(res.status, 200);
  }
  await world.deps.usage.flush();
  const tallies = world.usageTallies ?? [];
  assert.equal(tallies.length, 1, "one client, one tally");
  assert.equal(tallies[0].count, 20);
  assert.equal(tallies[0].ipHash, keyedHash(world.deps.peppers, "client-ip", "203.0.113.7"));
});
