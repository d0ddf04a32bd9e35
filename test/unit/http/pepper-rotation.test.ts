/**
 * Rotating the API key pepper (#13, finding 6) through the app: keys made under the old pepper keep
 * working while it stays in the ring, new keys are hashed under the new one, and a retired pepper's
 * keys stop working.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { keyedHash, parsePepperRing } from "../../../functions/src/signing/keyed-hash";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

const OLD = "old-pepper-".padEnd(43, "o");
const NEW = "new-pepper-".padEnd(43, "n");

test("a key made under the old pepper works after rotation, new keys use the new pepper, and retiring the old one ends its keys", async () => {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  world.views.set("agent-1", storedView(seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now())));
  world.deps.peppers = parsePepperRing(OLD);
  const app = createCheckedApp(world.deps);
  const create = async () => {
    const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"] }) });
    assert.equal(res.status, 201);
    return ((await res.json()) as { key: string }).key;
  };
  const read = (key: string) => app.request("/v1/agents/agent-1/metrics", { headers: { Authorization: "Bearer alice-token", "X-API-Key": key } });
  const oldKey = await create();
  assert.deepEqual([...world.keys.keys()], [keyedHash(parsePepperRing(OLD), "api-key", oldKey)]);

  world.deps.peppers = parsePepperRing(JSON.stringify({ current: "2", peppers: { "1": OLD, "2": NEW } }));
  assert.equal((await read(oldKey)).status, 200, "the old key still works");
  assert.ok(world.log.entries.some((e) => e.event === "api-key.older-pepper" && e.fields?.pepperVersion === "1"), "and says it was found under the older pepper");
  const newKey = await create();
  assert.ok(world.keys.has(keyedHash(world.deps.peppers, "api-key", newKey)), "a new key is stored under the current pepper");
  assert.equal((await read(newKey)).status, 200);

  world.deps.peppers = parsePepperRing(JSON.stringify({ current: "2", peppers: { "2": NEW } }));
  const afterRetirement = createCheckedApp(world.deps);
  const retiredRead = await afterRetirement.request("/v1/agents/agent-1/metrics", { headers: { Authorization: "Bearer alice-token", "X-API-Key": oldKey } });
  assert.equal(retiredRead.status, 401, "a retired pepper's keys are not found");
  assert.equal((await afterRetirement.request("/v1/agents/agent-1/metrics", { headers: { Authorization: "Bearer alice-token", "X-API-Key": newKey } })).status, 200);
});
