/**
 * Issue #13 ("Security round 2") against the real emulators: each test is named after the finding it
 * shows fixed. Some go over the wire (the Hosting rewrite on its own port, the deployed function);
 * the read-counting ones hold the app in process with its own Firestore client, so every RPC it
 * sends is counted.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { createCheckedApp } from "../support/openapi-check";
import { generateApiKey } from "../../functions/src/api-keys/api-key-format";
import { interactionDocId } from "../../functions/src/metrics/interaction-batch";
import { BAD_KEYS_PER_MINUTE } from "../../functions/src/http/caller-limits";
import { parseKeyring } from "../../functions/src/signing/signing";
import { apiDeps } from "../../functions/src/services";
import { RateLimiter } from "../../functions/src/rate-limits/rate-limiter";
import { firestoreRateCounterStore } from "../../functions/src/rate-limits/rate-counter-store";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { createKeyThrough } from "../support/api-keys";
import { recordingLogger } from "../support/fakes";
import { countRpcs } from "../support/rpc-counter";
import { adminAuth, adminDb, apiBaseUrl, eventually, hostingBaseUrl, PROJECT_ID, requireEmulators, signIn, signUp, unique } from "../support/emulators";

const ids = { org: unique("org"), otherOrg: unique("org"), alice: unique("alice"), mallory: unique("mallory") };
const tokens: Record<string, string> = {};
let app: ReturnType<typeof createCheckedApp>;
let deps: ReturnType<typeof apiDeps>;
let rpcs: ReturnType<typeof countRpcs>;

before(async () => {
  requireEmulators();
  const firebase = initializeApp({ projectId: PROJECT_ID }, unique("round-2"));
  const db = getFirestore(firebase);
  rpcs = countRpcs(db);
  const secrets = readLocalSecrets();
  deps = apiDeps({ db, auth: getAuth(firebase), keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, emulator: true, log: recordingLogger() });
  // The rate limiter syncs only when a test asks, never inside a count.
  deps.rateLimiter = new RateLimiter(firestoreRateCounterStore(db), undefined, 3_600_000);
  app = createCheckedApp(deps);
  for (const name of ["alice", "mallory"] as const) tokens[name] = await signUp(ids[name]);
  await adminDb().doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await adminDb().doc(`users/${ids.mallory}`).set({ orgId: ids.otherOrg, role: "owner" });
});

/** A `__session` cookie for `name`, minted through `base` (the function or the Hosting rewrite). */
async function sessionCookie(base: string, name: keyof typeof tokens, origin: string): Promise<string> {
  const res = await fetch(`${base}/v1/session`, { method: "POST", headers: { "content-type": "application/json", Origin: origin }, body: JSON.stringify({ idToken: tokens[name] }) });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = /__session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  assert.ok(cookie, "a __session cookie was set");
  return cookie;
}

test("cookie session writing through the Hosting rewrite: same-origin writes work, cross-site ones and cross-site sign-ins are refused", async () => {
  const hosting = await hostingBaseUrl();
  const page = new URL(hosting).origin;
  const cookie = await sessionCookie(`${hosting}/api`, "alice", page);
  const create = (origin: string) =>
    fetch(`${hosting}/api/v1/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", Cookie: `__session=${cookie}`, Origin: origin },
      body: JSON.stringify({ name: "from the page", permissions: ["read:agent-metrics"] }),
    });
  const same = await create(page);
  assert.equal(same.status, 201, await same.clone().text());
  const cross = await create("https://evil.example");
  assert.equal(cross.status, 403);
  assert.equal(((await cross.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED");
  const signIn = await fetch(`${hosting}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json", Origin: "https://evil.example" }, body: JSON.stringify({ idToken: tokens.mallory }) });
  assert.equal(signIn.status, 403);
  assert.equal(signIn.headers.get("set-cookie"), null);
});

test("batchGet or a no-cache read for agents the caller may not read loads and recomputes none of them (finding 1)", async () => {
  // Alice's agents, half without a view (a read used to recompute them), and ids of no agent at all.
  const agentIds = Array.from({ length: 100 }, (_, i) => (i < 50 ? unique(`victim-${i}`) : unique(`ghost-${i}`)));
  const writer = adminDb().batch();
  for (const id of agentIds.slice(0, 50)) writer.set(adminDb().doc(`agents/${id}`), { name: id, ownerId: ids.alice, orgId: ids.org, createdAt: Timestamp.now() });
  await writer.commit();
  const key = await createKeyThrough(app, tokens.mallory, { name: "probe", permissions: ["read:agent-metrics"], rateLimitPerMinute: 1_000 });
  const headers = { Authorization: `Bearer ${tokens.mallory}`, "X-API-Key": key, "content-type": "application/json", "Cache-Control": "no-cache" };
  await deps.usage.flush();
  const start = rpcs.length;
  for (let i = 0; i < 100; i++) {
    const res = await app.request("/v1/agents/metrics:batchGet", { method: "POST", headers, body: JSON.stringify({ agentIds }) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { forbidden: string[] }).forbidden.length, 100);
  }
  const single = await app.request(`/v1/agents/${agentIds[0]}/metrics`, { headers });
  assert.equal(single.status, 403);
  const sent = rpcs.slice(start).filter((rpc) => rpc.method !== "commit"); // usage and rate-limit writes, off the path
  // A query that matches nothing is billed one read; a document fetched is one read.
  const reads = sent.reduce((sum, rpc) => sum + (rpc.method === "runQuery" ? 1 : rpc.documents), 0);
  assert.ok(reads <= 100, `at most one read per request amortized: ${reads} reads for 101 requests (${JSON.stringify(sent.slice(0, 12))})`);
  assert.ok(sent.every((rpc) => rpc.method !== "batchGetDocuments" || rpc.documents <= 1), "no view was read (only the caller's profile and key)");
  const created = await adminDb().getAll(...agentIds.slice(0, 50).map((id) => adminDb().doc(`agent_metrics_cache/${id}`)));
  assert.equal(created.filter((snap) => snap.exists).length, 0, "no view was recomputed for the caller who may not read it");
});

test("forged well-formed keys at 100 a second from one signed-in user: limited within the first second, reads bounded", async () => {
  const headers = (key: string) => ({ Authorization: `Bearer ${tokens.alice}`, "X-API-Key": key });
  await deps.usage.flush();
  const start = rpcs.length;
  const began = Date.now();
  const statuses: number[] = [];
  for (let i = 0; i < 100; i++) statuses.push((await app.request(`/v1/agents/any/metrics`, { headers: headers(generateApiKey("test")) })).status);
  const elapsedMs = Date.now() - began;
  const keyReads = rpcs.slice(start).filter((rpc) => rpc.method === "batchGetDocuments").length;
  const first429 = statuses.indexOf(429);
  assert.ok(first429 > 0 && first429 <= BAD_KEYS_PER_MINUTE, `limited after ${first429} refusals`);
  assert.ok(elapsedMs < 1_000 || first429 <= BAD_KEYS_PER_MINUTE, "within the first second");
  assert.ok(keyReads <= BAD_KEYS_PER_MINUTE + 1, `${keyReads} key reads for 100 forged keys (the budget is ${BAD_KEYS_PER_MINUTE}, plus the caller's profile)`);
});

test("62 keys created by one user: past 50 active keys the API answers 429, concurrent creations included", async () => {
  const uid = unique("collector");
  const token = await signUp(uid);
  const create = () =>
    app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"] }) });
  for (let i = 0; i < 47; i++) assert.equal((await create()).status, 201);
  // Five at once for the last three places: the owner's lock document serializes them. The emulator
  // may give up on a contended transaction (503 UNAVAILABLE, Retry-After): retried, as a client would.
  const createRetrying = async () => {
    for (let attempt = 1; ; attempt++) {
      const res = await create();
      if (res.status !== 503 || attempt === 5) return res;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  };
  const racing = await Promise.all(Array.from({ length: 5 }, createRetrying));
  assert.deepEqual(racing.map((res) => res.status).sort(), [201, 201, 201, 429, 429]);
  const over = await create();
  assert.equal(over.status, 429);
  assert.equal(((await over.json()) as { error: { code: string } }).error.code, "RESOURCE_EXHAUSTED");
  const stored = await adminDb().collection("api_keys").where("ownerId", "==", uid).count().get();
  assert.equal(stored.data().count, 50);
});

test("interaction id squatting: ingest never counts another agent's document as a duplicate", async () => {
  // A victim of their own: alice's budget of refused keys went to the forged-key test.
  const victim = unique("victim");
  const victimToken = await signUp(victim);
  const victimAgent = unique("victim-agent");
  const squatterAgent = unique("squatter-agent");
  await adminDb().doc(`agents/${victimAgent}`).set({ name: "victim", ownerId: victim, orgId: ids.org, createdAt: Timestamp.now() });
  await adminDb().doc(`agents/${squatterAgent}`).set({ name: "squatter", ownerId: ids.mallory, orgId: ids.otherOrg, createdAt: Timestamp.now() });
  // What the rules now refuse a client (test/rules), written as a client once could: the victim's id, another agent.
  await adminDb().doc(`agent_interactions/${interactionDocId(victimAgent, "call-1")}`).set({
    agentId: squatterAgent, userId: ids.mallory, model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: Timestamp.now(),
  });
  const key = await createKeyThrough(app, victimToken, { name: "ingest", permissions: ["write:interactions"] });
  const item = (id: string) => ({ id, model: "m", inputTokens: 10, outputTokens: 2, latencyMs: 5, status: "success", occurredAt: new Date().toISOString() });
  const res = await app.request(`/v1/agents/${victimAgent}/interactions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${victimToken}`, "X-API-Key": key, "content-type": "application/json" },
    body: JSON.stringify({ interactions: [item("call-1"), item("call-2")] }),
  });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { accepted: 1, duplicates: 0, rejected: [{ index: 0, reason: "id: already names an interaction of another agent" }] });
});

test("any user could mint admin:all and read:cache-stats keys and read instance-wide figures: only an operator's may (finding 6)", async () => {
  const api = await apiBaseUrl();
  const operator = unique("operator");
  const user = unique("user");
  await signUp(operator);
  await adminAuth().setCustomUserClaims(operator, { operator: true });
  const tokenOf = { [operator]: await signIn(operator), [user]: await signUp(user) };
  const mint = (uid: string, permissions: string[]) =>
    fetch(`${api}/v1/api-keys`, { method: "POST", headers: { Authorization: `Bearer ${tokenOf[uid]}`, "content-type": "application/json" }, body: JSON.stringify({ name: "k", permissions }) });
  const stats = (uid: string, key: string) => fetch(`${api}/v1/cache/stats`, { headers: { Authorization: `Bearer ${tokenOf[uid]}`, "X-API-Key": key } });

  const refused = await mint(user, ["read:cache-stats"]);
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED");
  const admin = await mint(user, ["admin:all"]);
  assert.equal(admin.status, 201);
  assert.equal((await stats(user, ((await admin.json()) as { key: string }).key)).status, 403, "admin:all of a user is not an operator's");

  const granted = await mint(operator, ["read:cache-stats"]);
  assert.equal(granted.status, 201);
  assert.equal((await stats(operator, ((await granted.json()) as { key: string }).key)).status, 200);
});

test("the signature did not bind who may read a view (finding 4): an owner edited in the store lets no one else in, and the agent's owner still reads it", async () => {
  // An owner of their own: alice's budget of refused keys went to the forged-key test.
  const owner = unique("owner");
  const ownerToken = await signUp(owner);
  await adminDb().doc(`users/${owner}`).set({ orgId: ids.org, role: "owner" });
  const agentId = unique("edited-owner");
  await adminDb().doc(`agents/${agentId}`).set({ name: "edited", ownerId: owner, orgId: ids.org, createdAt: Timestamp.now() });
  const ownerKey = await createKeyThrough(app, ownerToken, { name: "owner", permissions: ["read:agent-metrics", "write:agent-metrics"] });
  const refreshed = await app.request(`/v1/agents/${agentId}/metrics:refresh`, { method: "POST", headers: { Authorization: `Bearer ${ownerToken}`, "X-API-Key": ownerKey } });
  assert.equal(refreshed.status, 200, await refreshed.clone().text());
  // Someone with write access to the database (not a client: the rules refuse those) names mallory as the owner.
  const view = adminDb().doc(`agent_metrics_cache/${agentId}`);
  await view.update({ "_access.ownerId": ids.mallory, "_access.orgId": ids.otherOrg });
  // Fresh instances, so nothing held from the refresh decides for them.
  const fresh = () => createCheckedApp({ ...apiDeps({ db: adminDb(), auth: adminAuth(), keyring: deps.keyring, pepper: readLocalSecrets().API_KEY_PEPPER, emulator: true, log: recordingLogger() }) });
  const malloryApp = fresh();
  const malloryKey = await createKeyThrough(malloryApp, tokens.mallory, { name: "reader", permissions: ["read:agent-metrics"] });
  const asMallory = { Authorization: `Bearer ${tokens.mallory}`, "X-API-Key": malloryKey, "content-type": "application/json" };
  assert.equal((await malloryApp.request(`/v1/agents/${agentId}/metrics`, { headers: asMallory })).status, 403);
  const batch = await malloryApp.request("/v1/agents/metrics:batchGet", { method: "POST", headers: asMallory, body: JSON.stringify({ agentIds: [agentId] }) });
  assert.deepEqual(await batch.json(), { data: {}, notFound: [], forbidden: [agentId] });
  const ownerRead = await fresh().request(`/v1/agents/${agentId}/metrics`, { headers: { Authorization: `Bearer ${ownerToken}`, "X-API-Key": ownerKey } });
  assert.equal(ownerRead.status, 200, "the agent document decides for its owner");
});

test("the signature did not bind the document asked for or the order of revisions (finding 4): a view pasted under another id, or an older copy put back, is not served", async () => {
  const owner = unique("owner");
  const ownerToken = await signUp(owner);
  await adminDb().doc(`users/${owner}`).set({ orgId: ids.org, role: "owner" });
  const [agentId, otherId] = [unique("rolled-back"), unique("pasted-from")];
  for (const id of [agentId, otherId]) await adminDb().doc(`agents/${id}`).set({ name: id, ownerId: owner, orgId: ids.org, createdAt: Timestamp.now() });
  const reader = createCheckedApp({ ...apiDeps({ db: adminDb(), auth: adminAuth(), keyring: deps.keyring, pepper: readLocalSecrets().API_KEY_PEPPER, emulator: true, log: recordingLogger() }) });
  const key = await createKeyThrough(reader, ownerToken, { name: "owner", permissions: ["read:agent-metrics", "write:interactions"] });
  const headers = { Authorization: `Bearer ${ownerToken}`, "X-API-Key": key, "content-type": "application/json" };
  const ingest = async (id: string, count: number, from: number) => {
    const interactions = Array.from({ length: count }, (_, i) => ({ id: `call-${from + i}`, model: "m", inputTokens: 10, outputTokens: 2, latencyMs: 5, status: "success", occurredAt: new Date().toISOString() }));
    const res = await reader.request(`/v1/agents/${id}/interactions`, { method: "POST", headers, body: JSON.stringify({ interactions }) });
    assert.equal(res.status, 202, await res.clone().text());
  };
  const read = async (app: typeof reader, id: string) => {
    const res = await app.request(`/v1/agents/${id}/metrics`, { headers: { ...headers, "Cache-Control": "no-cache" } });
    assert.equal(res.status, 200);
    return (await res.json()) as { data: { id: string; version: number; interactions: { count: number } }; meta: { cache: string } };
  };
  const counted = (id: string, count: number) => eventually(() => read(reader, id), (body) => body.data.interactions.count === count, 30_000);

  await ingest(agentId, 2, 0);
  await ingest(otherId, 9, 0);
  await counted(agentId, 2);
  await counted(otherId, 9);
  const view = adminDb().doc(`agent_metrics_cache/${agentId}`);
  const older = (await view.get()).data();
  await ingest(agentId, 3, 2);
  const newer = await counted(agentId, 5);

  // Someone with write access to the database puts the older revision back, signature and all.
  await view.set(older!);
  const afterRollback = await read(reader, agentId);
  assert.equal(afterRollback.data.interactions.count, 5, "the instance that served the later revision does not go back");
  assert.equal(afterRollback.meta.cache, "computed", "it rebuilt the view from source");
  assert.ok(afterRollback.data.version > (older!.version as number));
  assert.equal((await view.get()).data()?.interactions.count, 5, "and the rebuild overwrote the older copy");
  assert.ok(newer.data.version > (older!.version as number));

  // The other agent's view (valid signature, another id) pasted under this id is refused like a bad signature.
  await view.set((await adminDb().doc(`agent_metrics_cache/${otherId}`).get()).data()!);
  const fresh = createCheckedApp({ ...apiDeps({ db: adminDb(), auth: adminAuth(), keyring: deps.keyring, pepper: readLocalSecrets().API_KEY_PEPPER, emulator: true, log: recordingLogger() }) });
  const afterPaste = await read(fresh, agentId);
  assert.deepEqual([afterPaste.data.id, afterPaste.data.interactions.count, afterPaste.meta.cache], [agentId, 5, "computed"]);
});
