/**
 * The walking skeleton end to end, through the real `api` function and the real source trigger in
 * the emulators: a source written with firebase-admin shows up in the signed view served over HTTP,
 * and every refusal is the contract's status and envelope.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { signedMessageText } from "../../functions/src/contract/signed-message";
import { adminDb, apiBaseUrl, eventually, signUp, unique } from "../support/emulators";

interface MetricsBody {
  data: { scope: string; id: string; version: number; sources: { count: number; totalBytes: number; totalTokens: number; byType: Record<string, number>; byStatus: Record<string, number> } };
  signature: { alg: string; keyId: string; signedAt: string; value: string };
  meta: { cache: string };
}

let base: string;
const ids = { org: unique("org"), otherOrg: unique("org"), alice: unique("alice"), mallory: unique("mallory"), agent: unique("agent") };
const tokens: Record<string, string> = {};

async function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function createKey(token: string, permissions: string[]): Promise<string> {
  const res = await call("/v1/api-keys", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    // Polling until a change shows through the edge cache (up to ~5 s each) needs more than 60 requests a minute.
    body: JSON.stringify({ name: "test", permissions, rateLimitPerMinute: 1000 }),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.key;
}

const readMetrics = (token: string, key: string) =>
  call(`/v1/agents/${ids.agent}/metrics`, { headers: { Authorization: `Bearer ${token}`, "X-API-Key": key } });

function source(sizeBytes: number, type = "pdf", status = "ready") {
  const now = Timestamp.now();
  return { agentId: ids.agent, type, sizeBytes, tokenCount: Math.floor(sizeBytes / 4), status, createdAt: now, updatedAt: now };
}

before(async () => {
  base = await apiBaseUrl();
  const db = adminDb();
  tokens.alice = await signUp(ids.alice);
  tokens.mallory = await signUp(ids.mallory);
  await db.doc(`organizations/${ids.org}`).set({ name: "Acme" });
  await db.doc(`organizations/${ids.otherOrg}`).set({ name: "Globex" });
  await db.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner", displayName: "Alice" });
  await db.doc(`users/${ids.mallory}`).set({ orgId: ids.otherOrg, role: "owner", displayName: "Mallory" });
  await db.doc(`agents/${ids.agent}`).set({ name: "Support bot", ownerId: ids.alice, orgId: ids.org, createdAt: Timestamp.now() });
});

test("GET /v1/health answers 200 through the Functions emulator", async () => {
  const res = await call("/v1/health");
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "ok");
});

test("sources written with firebase-admin are reflected exactly: create, update, delete", async () => {
  const key = await createKey(tokens.alice, ["read:agent-metrics"]);
  const db = adminDb();
  const first = db.collection("context_sources").doc(unique("src"));
  const second = db.collection("context_sources").doc(unique("src"));
  await first.set(source(1000));
  await second.set(source(250, "url", "processing"));

  const afterCreate = await eventually(() => readMetrics(tokens.alice, key), (r) => r.body?.data?.sources?.count === 2);
  assert.equal(afterCreate.status, 200);
  assert.equal(afterCreate.body.data.sources.totalBytes, 1250);
  assert.equal(afterCreate.body.data.sources.totalTokens, 250 + 62);
  assert.equal(afterCreate.body.data.sources.byType.url, 1);
  assert.equal(afterCreate.body.data.sources.byStatus.processing, 1);

  await second.update({ sizeBytes: 4000, status: "ready", updatedAt: Timestamp.now() });
  const afterUpdate = await eventually(() => readMetrics(tokens.alice, key), (r) => r.body?.data?.sources?.totalBytes === 5000);
  assert.equal(afterUpdate.body.data.sources.count, 2);
  assert.deepEqual(afterUpdate.body.data.sources.byStatus, { processing: 0, ready: 2, failed: 0 });

  await first.delete();
  const afterDelete = await eventually(() => readMetrics(tokens.alice, key), (r) => r.body?.data?.sources?.count === 1);
  assert.equal(afterDelete.body.data.sources.totalBytes, 4000);
  assert.equal(afterDelete.body.data.sources.byType.pdf, 0);
  assert.ok(afterDelete.body.data.version > afterCreate.body.data.version);
});

test("the served signature verifies with /v1/signing-keys and node:crypto, and not after one number changes", async () => {
  const key = await createKey(tokens.alice, ["read:agent-metrics"]);
  const res = await readMetrics(tokens.alice, key);
  assert.equal(res.status, 200);
  const body = res.body as MetricsBody;
  const { keys } = (await call("/v1/signing-keys")).body as { keys: Array<{ keyId: string; publicKey: string }> };
  const jwk = keys.find((k) => k.keyId === body.signature.keyId);
  assert.ok(jwk, "the signing key is served");
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.publicKey }, format: "jwk" });
  const check = (data: object) => verify(null, Buffer.from(signedMessageText(data, body.signature.keyId, body.signature.signedAt, "view")), publicKey, Buffer.from(body.signature.value, "base64url"));
  assert.equal(check(body.data), true);
  assert.equal(check({ ...body.data, sources: { ...body.data.sources, totalBytes: body.data.sources.totalBytes + 1 } }), false);
});

test("refusals: no session 401, no key 401, key without permission 403, other organization 403", async () => {
  const aliceKey = await createKey(tokens.alice, ["read:agent-metrics"]);
  const aliceWeakKey = await createKey(tokens.alice, ["read:user-metrics"]);
  const malloryKey = await createKey(tokens.mallory, ["read:agent-metrics"]);
  const path = `/v1/agents/${ids.agent}/metrics`;
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ["no session", { "X-API-Key": aliceKey }, 401, "UNAUTHENTICATED"],
    ["no key", { Authorization: `Bearer ${tokens.alice}` }, 401, "UNAUTHENTICATED"],
    ["key lacking the permission", { Authorization: `Bearer ${tokens.alice}`, "X-API-Key": aliceWeakKey }, 403, "PERMISSION_DENIED"],
    ["user outside the organization", { Authorization: `Bearer ${tokens.mallory}`, "X-API-Key": malloryKey }, 403, "PERMISSION_DENIED"],
  ];
  for (const [name, headers, status, code] of cases) {
    const res = await call(path, { headers });
    assert.equal(res.status, status, name);
    assert.equal(res.body.error.code, code, name);
    assert.equal(typeof res.body.error.message, "string");
    assert.equal("data" in res.body, false, `${name}: no metrics in a refusal`);
  }
});

test("API keys are stored only as a keyed hash: no plaintext anywhere in Firestore", async () => {
  const key = await createKey(tokens.alice, ["read:agent-metrics"]);
  const stored = await adminDb().collection("api_keys").get();
  const dump = JSON.stringify(stored.docs.map((d) => ({ id: d.id, ...d.data() })));
  assert.equal(dump.includes(key), false);
  assert.equal(dump.includes(key.slice(12)), false, "not even the secret part");
});
