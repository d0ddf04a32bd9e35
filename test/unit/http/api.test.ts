/**
 * In-process tests of the HTTP layer (Hono's app.request, no server, no emulator): envelopes,
 * validation, the order of the authentication checks and what a refusal may contain.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { keyedHash } from "../../../functions/src/signing/keyed-hash";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

function setup() {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("mallory-token", "mallory");
  world.users.set("alice", { orgId: "acme", role: "owner" }).set("mallory", { orgId: "globex", role: "member" });
  world.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  const sealed = seal(nextRevision("agent", "agent-1", null, emptyAgentView(world.deps.now()), world.deps.now()), world.keyring, world.deps.now());
  world.views.set("agent-1", storedView(sealed));
  return { world, app: createCheckedApp(world.deps) };
}

async function createKey(app: ReturnType<typeof createCheckedApp>, token: string, body: unknown) {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { key: string; apiKey: Record<string, unknown> } };
}

const read = (app: ReturnType<typeof createCheckedApp>, headers: Record<string, string>, path = "/v1/agents/agent-1/metrics") => app.request(path, { headers });

function assertEnvelope(body: unknown, code: string) {
  const envelope = body as { error?: { code?: string; message?: string } };
  assert.equal(envelope.error?.code, code);
  assert.equal(typeof envelope.error?.message, "string");
  assert.equal(JSON.stringify(body).includes('"sources"'), false, "a refusal carries no metrics");
}

test("health and signing keys need no credentials; both prefixes route", async () => {
  const { app, world } = setup();
  assert.equal((await app.request("/v1/health")).status, 200);
  const keys = await (await app.request("/api/v1/signing-keys")).json();
  assert.deepEqual(keys, { keys: world.keyring.publicKeys });
});

test("creating a key returns its plaintext once and stores only the keyed hash", async () => {
  const { app, world } = setup();
  const { status, body } = await createKey(app, "alice-token", { name: "ci", permissions: ["read:agent-metrics"], expiresInDays: 7 });
  assert.equal(status, 201);
  assert.match(body.key, /^mk_test_/);
  assert.deepEqual(Object.keys(body.apiKey).sort(), ["createdAt", "expiresAt", "id", "name", "permissions", "prefix", "rateLimitPerMinute"]);
  assert.equal(body.apiKey.rateLimitPerMinute, 60);
  assert.equal(body.apiKey.expiresAt, "2026-11-30T10:00:00.000Z");
  assert.equal(body.key.startsWith(String(body.apiKey.prefix)), true);
  assert.deepEqual([...world.keys.keys()], [keyedHash(world.deps.peppers, "api-key", body.key)]);
  assert.equal(JSON.stringify([...world.keys.values()]).includes(body.key), false);
  assert.equal(JSON.stringify(world.log.entries).includes(body.key), false, "the plaintext is never logged");
});

test("key creation refuses bad bodies with 400 and a useful message", async () => {
  const { app } = setup();
  for (const body of [
    { name: "x", permissions: ["read:everything"] },
    { name: "", permissions: ["read:agent-metrics"] },
    { name: "x", permissions: [] },
    { name: "x", permissions: ["read:agent-metrics"], expiresInDays: 0 },
    { name: "x", permissions: ["read:agent-metrics"], extra: true },
  ]) {
    const { status, body: answer } = await createKey(app, "alice-token", body);
    assert.equal(status, 400, JSON.stringify(body));
    assertEnvelope(answer, "INVALID_ARGUMENT");
  }
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: "{not json" });
  assert.equal(res.status, 400);
  assertEnvelope(await res.json(), "INVALID_ARGUMENT");
});

test("key creation needs a session; an API key alone cannot mint keys", async () => {
  const { app } = setup();
  const res = await app.request("/v1/api-keys", { method: "POST", body: JSON.stringify({ name: "x", permissions: ["admin:all"] }) });
  assert.equal(res.status, 401);
  assertEnvelope(await res.json(), "UNAUTHENTICATED");
});

async function keyFor(app: ReturnType<typeof createCheckedApp>, token: string, permissions: string[]) {
  return (await createKey(app, token, { name: "k", permissions })).body.key;
}

test("the dual-auth matrix answers 401/401/403/403 and 200 in the contract's envelope", async () => {
  const { app } = setup();
  const aliceKey = await keyFor(app, "alice-token", ["read:agent-metrics"]);
  const aliceWeakKey = await keyFor(app, "alice-token", ["read:org-metrics"]);
  const malloryKey = await keyFor(app, "mallory-token", ["admin:all"]);
  const cases: Array<[string, Record<string, string>, number, string | null]> = [
    ["no credentials", {}, 401, "UNAUTHENTICATED"],
    ["session only", { Authorization: "Bearer alice-token" }, 401, "UNAUTHENTICATED"],
    ["key only", { "X-API-Key": aliceKey }, 401, "UNAUTHENTICATED"],
    ["forged token", { Authorization: "Bearer forged", "X-API-Key": aliceKey }, 401, "UNAUTHENTICATED"],
    ["malformed key", { Authorization: "Bearer alice-token", "X-API-Key": "mk_test_nope" }, 401, "UNAUTHENTICATED"],
    ["someone else's key", { Authorization: "Bearer alice-token", "X-API-Key": malloryKey }, 401, "UNAUTHENTICATED"],
    ["key without the permission", { Authorization: "Bearer alice-token", "X-API-Key": aliceWeakKey }, 403, "PERMISSION_DENIED"],
    ["user of another org", { Authorization: "Bearer mallory-token", "X-API-Key": malloryKey }, 403, "PERMISSION_DENIED"],
    ["owner", { Authorization: "Bearer alice-token", "X-API-Key": aliceKey }, 200, null],
  ];
  for (const [name, headers, status, code] of cases) {
    const res = await read(app, headers);
    assert.equal(res.status, status, name);
    if (code) assertEnvelope(await res.json(), code);
  }
});

test("a missing agent is 403 like a foreign one, so ids cannot be probed", async () => {
  const { app } = setup();
  const key = await keyFor(app, "alice-token", ["read:agent-metrics"]);
  const res = await read(app, { Authorization: "Bearer alice-token", "X-API-Key": key }, "/v1/agents/no-such-agent/metrics");
  assert.equal(res.status, 403);
  assertEnvelope(await res.json(), "PERMISSION_DENIED");
});

test("a served view carries its signature, a strong ETag, private caching, and 304 on a match", async () => {
  const { app, world } = setup();
  const key = await keyFor(app, "alice-token", ["read:agent-metrics"]);
  const headers = { Authorization: "Bearer alice-token", "X-API-Key": key };
  const res = await read(app, headers);
  const body = (await res.json()) as { data: { version: number }; signature: unknown; meta: { cache: string } };
  assert.equal(world.keyring.verify(body.data, body.signature as never, "view"), true);
  assert.equal(body.meta.cache, "store");
  const etag = res.headers.get("etag");
  assert.match(etag ?? "", /^"[A-Za-z0-9_-]+"$/);
  assert.match(res.headers.get("cache-control") ?? "", /^private, max-age=\d+/);
  const again = await read(app, { ...headers, "If-None-Match": etag ?? "" });
  assert.equal(again.status, 304);
});

test("a tampered stored view is never served: it is recomputed and the event logged", async () => {
  const { app, world } = setup();
  const key = await keyFor(app, "alice-token", ["read:agent-metrics"]);
  const stored = world.views.get("agent-1");
  assert.ok(stored);
  stored.sealed.data.sources.count = 999;
  const res = await read(app, { Authorization: "Bearer alice-token", "X-API-Key": key });
  const body = (await res.json()) as { data: { sources: { count: number } }; meta: { cache: string } };
  assert.equal(body.data.sources.count, 0);
  assert.equal(body.meta.cache, "computed");
  assert.deepEqual(world.recomputes, ["agent-1"]);
  assert.ok(world.log.entries.some((e) => e.event === "view.signature-invalid"));
});

test("unknown routes and bad ids answer in the envelope, never with a stack trace", async () => {
  const { app } = setup();
  const key = await keyFor(app, "alice-token", ["read:agent-metrics"]);
  const notFound = await app.request("/v1/nothing-here");
  assert.equal(notFound.status, 404);
  assertEnvelope(await notFound.json(), "NOT_FOUND");
  const badId = await read(app, { Authorization: "Bearer alice-token", "X-API-Key": key }, `/v1/agents/${"x".repeat(200)}/metrics`);
  assert.equal(badId.status, 400);
  assertEnvelope(await badId.json(), "INVALID_ARGUMENT");
});
