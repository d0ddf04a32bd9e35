/**
 * Security against the real emulators: the authorization matrix through the deployed `api`
 * function, rate limits, revocation reaching an instance that had the key cached, and no secret
 * anywhere it should not be (Firestore, responses, logs).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { generateApiKey, isWellFormedApiKey } from "../../functions/src/api-keys/api-key-format";
import { createCheckedApp } from "../support/openapi-check";
import { parseKeyring } from "../../functions/src/signing/signing";
import { apiDeps } from "../../functions/src/services";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { recordingLogger } from "../support/fakes";
import { adminAuth, adminDb, apiBaseUrl, eventually, signUp, unique } from "../support/emulators";

let base: string;
const ids = { org: unique("org"), otherOrg: unique("org"), alice: unique("alice"), bob: unique("bob"), mallory: unique("mallory"), agent: unique("agent") };
const tokens: Record<string, string> = {};

async function call(path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, { ...init, headers: { "content-type": "application/json", ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

async function createKey(token: string, body: Record<string, unknown>): Promise<{ key: string; id: string; text: string }> {
  const res = await call("/v1/api-keys", { Authorization: `Bearer ${token}` }, { method: "POST", body: JSON.stringify({ name: "k", ...body }) });
  assert.equal(res.status, 201, res.text);
  return { key: res.body.key, id: res.body.apiKey.id, text: res.text };
}

before(async () => {
  base = await apiBaseUrl();
  const db = adminDb();
  for (const name of ["alice", "bob", "mallory"] as const) tokens[name] = await signUp(ids[name]);
  await db.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await db.doc(`users/${ids.bob}`).set({ orgId: ids.org, role: "member" });
  await db.doc(`users/${ids.mallory}`).set({ orgId: ids.otherOrg, role: "owner" });
  await db.doc(`agents/${ids.agent}`).set({ name: "A", ownerId: ids.alice, orgId: ids.org, createdAt: Timestamp.now() });
});

test("the authorization matrix answers the contract's status and envelope in every cell", async () => {
  const alice = await createKey(tokens.alice, { permissions: ["read:agent-metrics"] });
  const aliceAdmin = await createKey(tokens.alice, { permissions: ["admin:all"] });
  const aliceWeak = await createKey(tokens.alice, { permissions: ["read:user-metrics"] });
  const expired = await createKey(tokens.alice, { permissions: ["read:agent-metrics"], expiresInDays: 1 });
  const revoked = await createKey(tokens.alice, { permissions: ["read:agent-metrics"] });
  const bob = await createKey(tokens.bob, { permissions: ["read:agent-metrics"] });
  const mallory = await createKey(tokens.mallory, { permissions: ["admin:all"] });
  const expiredDoc = (await adminDb().collection("api_keys").where("id", "==", expired.id).get()).docs[0];
  await expiredDoc.ref.update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
  assert.equal((await call(`/v1/api-keys/${revoked.id}`, { Authorization: `Bearer ${tokens.alice}` }, { method: "DELETE" })).status, 200);

  assert.equal(isWellFormedApiKey(alice.key.slice(0, -1) + (alice.key.endsWith("A") ? "B" : "A")), false);
  const session = (name: string) => ({ Authorization: `Bearer ${tokens[name]}` });
  const path = `/v1/agents/${ids.agent}/metrics`;
  const cells: Array<[string, Record<string, string>, number, string | null]> = [
    ["no credentials", {}, 401, "UNAUTHENTICATED"],
    ["session only", session("alice"), 401, "UNAUTHENTICATED"],
    ["key only", { "X-API-Key": alice.key }, 401, "UNAUTHENTICATED"],
    ["forged token", { Authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "X-API-Key": alice.key }, 401, "UNAUTHENTICATED"],
    ["unknown key", { ...session("alice"), "X-API-Key": generateApiKey("test") }, 401, "UNAUTHENTICATED"],
    ["malformed key", { ...session("alice"), "X-API-Key": alice.key.slice(0, -1) + (alice.key.endsWith("A") ? "B" : "A") }, 401, "UNAUTHENTICATED"],
    ["someone else's key", { ...session("alice"), "X-API-Key": bob.key }, 401, "UNAUTHENTICATED"],
    ["expired key", { ...session("alice"), "X-API-Key": expired.key }, 401, "UNAUTHENTICATED"],
    ["revoked key", { ...session("alice"), "X-API-Key": revoked.key }, 401, "UNAUTHENTICATED"],
    ["key without the permission", { ...session("alice"), "X-API-Key": aliceWeak.key }, 403, "PERMISSION_DENIED"],
    ["admin:all", { ...session("alice"), "X-API-Key": aliceAdmin.key }, 200, null],
    ["owner", { ...session("alice"), "X-API-Key": alice.key }, 200, null],
    ["same-org member", { ...session("bob"), "X-API-Key": bob.key }, 200, null],
    ["other org", { ...session("mallory"), "X-API-Key": mallory.key }, 403, "PERMISSION_DENIED"],
    ["other org, missing agent", { ...session("mallory"), "X-API-Key": mallory.key, "x-path": "/v1/agents/no-such-agent/metrics" }, 403, "PERMISSION_DENIED"],
  ];
  for (const [cell, headers, status, code] of cells) {
    const { "x-path": alternate, ...sent } = headers;
    const res = await call(alternate ?? path, sent);
    assert.equal(res.status, status, `${cell}: ${res.text}`);
    if (code) {
      assert.equal(res.body.error.code, code, cell);
      assert.equal(typeof res.body.error.message, "string", cell);
      assert.equal(/"sources"|"data"/.test(res.text), false, `${cell}: no metrics in a refusal`);
    } else {
      assert.equal(res.body.data.id, ids.agent, cell);
    }
  }
});

test("a key created with rateLimitPerMinute 5 gets exactly 5 answers, then 429 with Retry-After", async () => {
  const { key } = await createKey(tokens.alice, { permissions: ["read:agent-metrics"], rateLimitPerMinute: 5 });
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < 8; i++) {
    last = await call(`/v1/agents/${ids.agent}/metrics`, { Authorization: `Bearer ${tokens.alice}`, "X-API-Key": key });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
  assert.ok(last);
  assert.equal(last.body.error.code, "RESOURCE_EXHAUSTED");
  assert.ok(Number(last.headers.get("retry-after")) >= 1);
  assert.equal(last.headers.get("ratelimit-limit"), "5");
  assert.equal(last.headers.get("ratelimit-remaining"), "0");
});

function instance(log = recordingLogger()) {
  const secrets = readLocalSecrets();
  const deps = apiDeps({ db: adminDb(), auth: adminAuth(), keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, emulator: true, log });
  return { app: createCheckedApp(deps), deps, log };
}

test("a revoked key is refused within 10 s by another instance that had it cached", async () => {
  const first = instance();
  const second = instance();
  const headers = { Authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" };
  const created = await first.app.request("/v1/api-keys", { method: "POST", headers, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"] }) });
  const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string } };
  const read = (app: typeof first.app) => app.request(`/v1/agents/${ids.agent}/metrics`, { headers: { ...headers, "X-API-Key": key } });
  assert.equal((await read(second.app)).status, 200, "the second instance now has the key cached");
  const revokedAt = Date.now();
  assert.equal((await first.app.request(`/v1/api-keys/${apiKey.id}`, { method: "DELETE", headers })).status, 200);
  assert.equal((await read(first.app)).status, 401, "immediate on the revoking instance");
  await eventually(async () => (await read(second.app)).status, (status) => status === 401, 10_000);
  assert.ok(Date.now() - revokedAt <= 10_000);
});

test("usage of a key is reported by day and outcome through the API", async () => {
  const app = instance();
  const headers = { Authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" };
  const created = await app.app.request("/v1/api-keys", { method: "POST", headers, body: JSON.stringify({ name: "k", permissions: ["read:org-metrics"] }) });
  const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string } };
  await app.app.request(`/v1/agents/${ids.agent}/metrics`, { headers: { ...headers, "X-API-Key": key } });
  await app.deps.usage.flush();
  const res = await app.app.request(`/v1/api-keys/${apiKey.id}/usage`, { headers });
  const usage = (await res.json()) as { days: Array<{ day: string; total: number; byOutcome: Record<string, number> }>; lastUsedAt: string | null };
  assert.equal(usage.days[0].total, 1);
  assert.equal(usage.days[0].byOutcome.denied, 1);
  assert.ok(usage.lastUsedAt);
});

test("no plaintext key, pepper or private signing key in Firestore, other responses, or logs", async () => {
  const secrets = readLocalSecrets();
  const seeds = (JSON.parse(secrets.METRICS_SIGNING_KEYRING).keys as Array<{ d?: string }>).flatMap((k) => (k.d ? [k.d] : []));
  const app = instance();
  const headers = { Authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" };
  const created = await app.app.request("/v1/api-keys", { method: "POST", headers, body: JSON.stringify({ name: "k", permissions: ["admin:all"] }) });
  const { key } = (await created.json()) as { key: string };
  const responses = [
    await (await app.app.request("/v1/api-keys", { headers })).text(),
    await (await app.app.request(`/v1/agents/${ids.agent}/metrics`, { headers: { ...headers, "X-API-Key": key } })).text(),
    await (await app.app.request("/v1/signing-keys")).text(),
    await (await app.app.request(`/v1/agents/${ids.agent}/metrics`, { headers: { ...headers, "X-API-Key": key.slice(0, -2) + "zz" } })).text(),
  ];
  await app.deps.usage.flush();
  const db = adminDb();
  const dump: string[] = [];
  for (const collection of await db.listCollections()) {
    for (const doc of (await collection.get()).docs) dump.push(doc.id, JSON.stringify(doc.data()));
  }
  const haystacks = { firestore: dump.join("\n"), responses: responses.join("\n"), logs: JSON.stringify(app.log.entries) };
  for (const [where, text] of Object.entries(haystacks)) {
    assert.equal(text.includes(key), false, `plaintext key in ${where}`);
    assert.equal(text.includes(secrets.API_KEY_PEPPER), false, `pepper in ${where}`);
    for (const seed of seeds) assert.equal(text.includes(seed), false, `signing key in ${where}`);
  }
});
