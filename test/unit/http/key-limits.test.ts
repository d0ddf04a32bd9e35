/**
 * Issue #13, findings "62 keys created by one user, no cap" and "`rateLimitPerMinute` up to 100,000
 * chosen by the caller": at most 50 active keys a user (429 RESOURCE_EXHAUSTED past it, as the
 * contract says), and the deployment's ceiling on a key's rate limit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { DEFAULT_KEY_LIMITS } from "../../../functions/src/api-keys/api-key-policy";
import { fakeWorld } from "../../support/fakes";

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("bob-token", "bob");
  const app = createCheckedApp(world.deps);
  const create = (body: Record<string, unknown> = {}, token = "alice-token") =>
    app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"], ...body }) });
  return { world, app, create };
}

test("62 keys created by one user: the 51st active key is 429 RESOURCE_EXHAUSTED; revoked and expired keys do not count", async () => {
  const { world, app, create } = setup();
  assert.equal(DEFAULT_KEY_LIMITS.maxActiveKeys, 50);
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const res = await create();
    assert.equal(res.status, 201);
    ids.push(((await res.json()) as { apiKey: { id: string } }).apiKey.id);
  }
  const over = await create();
  assert.equal(over.status, 429);
  const body = (await over.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "RESOURCE_EXHAUSTED");
  assert.match(body.error.message, /50 active API keys/);
  assert.equal([...world.keys.values()].length, 50, "nothing was stored");
  assert.equal((await create({}, "bob-token")).status, 201, "the cap is per user");

  assert.equal((await app.request(`/v1/api-keys/${ids[0]}`, { method: "DELETE", headers: { Authorization: "Bearer alice-token" } })).status, 200);
  assert.equal((await create()).status, 201, "a revoked key frees its place");
  const [, oldest] = [...world.keys.values()].filter((r) => r.ownerId === "alice" && !r.revokedAt);
  oldest.expiresAt = new Date(world.deps.now().getTime() - 1);
  assert.equal((await create()).status, 201, "so does an expired one");
  assert.equal((await create()).status, 429);
});

test("rateLimitPerMinute up to 100,000 chosen by the caller: the deployment's ceiling (10,000 by default) is a 400 past it", async () => {
  const { create } = setup();
  const over = await create({ rateLimitPerMinute: DEFAULT_KEY_LIMITS.maxRateLimitPerMinute + 1 });
  assert.equal(over.status, 400);
  const body = (await over.json()) as { error: { code: string; message: string; details: unknown } };
  assert.equal(body.error.code, "INVALID_ARGUMENT");
  assert.deepEqual(body.error.details, { field: "rateLimitPerMinute", max: 10_000 });
  assert.equal((await create({ rateLimitPerMinute: 100_000 })).status, 400);
  const at = await create({ rateLimitPerMinute: 10_000 });
  assert.equal(at.status, 201);
  assert.equal(((await at.json()) as { apiKey: { rateLimitPerMinute: number } }).apiKey.rateLimitPerMinute, 10_000);
});
