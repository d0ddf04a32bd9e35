/**
 * The serving path against the real Auth and Firestore emulators, with the app in process so the
 * test can count every RPC its Firestore client sends and move its clock: an edge hit sends none, a
 * store hit one (the view), a write made elsewhere (by the trigger in the Functions emulator) shows
 * through the edge within the documented bound, a matching ETag gives 304, batchGet follows the
 * contract, and the cache statistics reflect those reads.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { createCheckedApp } from "../support/openapi-check";
import { parseKeyring } from "../../functions/src/signing/signing";
import { VIEW_POLICY } from "../../functions/src/cache/cache-policy";
import { apiDeps } from "../../functions/src/services";
import { RateLimiter } from "../../functions/src/rate-limits/rate-limiter";
import { firestoreRateCounterStore } from "../../functions/src/rate-limits/rate-counter-store";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { recordingLogger } from "../support/fakes";
import { countRpcs } from "../support/rpc-counter";
import { adminAuth, adminDb, apiBaseUrl, eventually, PROJECT_ID, requireEmulators, signIn, signUp, unique } from "../support/emulators";

const ids = { org: unique("org"), otherOrg: unique("org"), alice: unique("alice"), bob: unique("bob"), a1: unique("agent"), a2: unique("agent"), a3: unique("agent"), b1: unique("agent") };
let offsetMs = 0;
let app: ReturnType<typeof createCheckedApp>;
let deps: ReturnType<typeof apiDeps>;
let rpcs: ReturnType<typeof countRpcs>;
let headers: Record<string, string>;

type Body = { data: { version: number; sources: { count: number } }; signature: unknown; meta: { cache: string; ageMs: number; stale: boolean } };

const addSource = (agentId: string, sizeBytes = 100) =>
  adminDb().collection("context_sources").doc(unique("s")).set({ agentId, type: "pdf", sizeBytes, tokenCount: 1, status: "ready", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
const storedVersion = async (agentId: string) => ((await adminDb().doc(`agent_metrics_cache/${agentId}`).get()).get("version") as number | undefined) ?? 0;

/** Lets the off-path timers (rate-limit sync, usage flush) finish, so a count covers only the request. */
async function quiesce() {
  await deps.rateLimiter.sync();
  await deps.usage.flush();
}

/** Sends a request and returns the response with the RPCs the app's Firestore client sent for it. */
async function measured(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  await quiesce();
  const start = rpcs.length;
  const res = await app.request(path, { ...init, headers: { ...headers, ...init.headers } });
  const sent = rpcs.slice(start);
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null, sent };
}

before(async () => {
  requireEmulators();
  // The app gets its own Firestore client, so the counter sees only what the app sends.
  const firebase = initializeApp({ projectId: PROJECT_ID }, unique("serving"));
  const db = getFirestore(firebase);
  rpcs = countRpcs(db);
  const secrets = readLocalSecrets();
  deps = apiDeps({ db, auth: getAuth(firebase), keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, emulator: true, log: recordingLogger(), now: () => new Date(Date.now() + offsetMs) });
  // The rate limiter's background sync runs only when the test asks (`quiesce`), never inside a count.
  deps.rateLimiter = new RateLimiter(firestoreRateCounterStore(db), undefined, 3_600_000);
  app = createCheckedApp(deps);

  const admin = adminDb();
  await signUp(ids.alice);
  // Alice operates this deployment: her key may read the cache stats of the instance (finding 6).
  await adminAuth().setCustomUserClaims(ids.alice, { operator: true });
  const token = await signIn(ids.alice);
  await signUp(ids.bob);
  await admin.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await admin.doc(`users/${ids.bob}`).set({ orgId: ids.otherOrg, role: "owner" });
  for (const [agent, owner, org] of [[ids.a1, ids.alice, ids.org], [ids.a2, ids.alice, ids.org], [ids.a3, ids.alice, ids.org], [ids.b1, ids.bob, ids.otherOrg]]) {
    await admin.doc(`agents/${agent}`).set({ name: agent, ownerId: owner, orgId: org, createdAt: Timestamp.now() });
    await addSource(agent);
  }
  for (const agent of [ids.a1, ids.a2, ids.a3, ids.b1]) await eventually(() => storedVersion(agent), (v) => v >= 1, 30_000);
  const created = await app.request("/v1/api-keys", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: "serving", permissions: ["read:agent-metrics", "read:cache-stats"], rateLimitPerMinute: 10_000 }),
  });
  headers = { Authorization: `Bearer ${token}`, "X-API-Key": ((await created.json()) as { key: string }).key };
});

test("the second read is served from the edge with no Firestore call; a store hit costs one read", async () => {
  const first = await measured(`/v1/agents/${ids.a1}/metrics`);
  assert.equal(first.res.status, 200);
  assert.equal((first.body as Body).meta.cache, "store");
  // A first read decides and reads in one query, which can only match the caller's views: the
  // organization's (a1 is in it); no access read before it, and no read of the view after it.
  assert.deepEqual(
    first.sent.filter((rpc) => rpc.method === "runQuery"),
    [{ method: "runQuery", documents: 0, query: { collection: "agent_metrics_cache", equals: { "_access.orgId": ids.org } } }],
    JSON.stringify(first.sent),
  );
  const others = first.sent.filter((rpc) => rpc.method !== "runQuery").flatMap((rpc) => rpc.collections);
  assert.deepEqual(others.sort(), ["api_keys", "users"], "besides, only this instance's first look at the key and the caller's profile");

  const second = await measured(`/v1/agents/${ids.a1}/metrics`);
  assert.equal((second.body as Body).meta.cache, "edge");
  assert.deepEqual(second.body.data, first.body.data);
  assert.deepEqual(second.sent, [], "an edge hit sends no RPC at all");

  // A read that skips the edge's copy; directory, key and session stay cached.
  const storeHit = await measured(`/v1/agents/${ids.a1}/metrics`, { headers: { "Cache-Control": "no-cache" } });
  assert.equal((storeHit.body as Body).meta.cache, "store");
  assert.deepEqual(storeHit.sent, [{ method: "batchGetDocuments", documents: 1, collections: ["agent_metrics_cache"] }], "one read: the view");
});

test("a matching ETag gives 304 from the edge, with no Firestore call", async () => {
  const first = await measured(`/v1/agents/${ids.a1}/metrics`);
  const etag = first.res.headers.get("etag");
  assert.ok(etag);
  const again = await measured(`/v1/agents/${ids.a1}/metrics`, { headers: { "If-None-Match": etag } });
  assert.equal(again.res.status, 304);
  assert.deepEqual(again.sent, []);
});

test(`a write made elsewhere shows through the edge within the bound (${VIEW_POLICY.freshMs} ms fresh, never older than ${VIEW_POLICY.maxAgeMs} ms)`, async () => {
  const before = (await measured(`/v1/agents/${ids.a1}/metrics`)).body as Body;
  await addSource(ids.a1, 500);
  await eventually(() => storedVersion(ids.a1), (v) => v > before.data.version, 30_000);

  // Past fresh: the held copy is served stale once while one refresh loads the new revision.
  offsetMs += VIEW_POLICY.freshMs;
  const stale = (await measured(`/v1/agents/${ids.a1}/metrics`)).body as Body;
  assert.equal(stale.meta.cache, "edge");
  assert.equal(stale.meta.stale, true);
  assert.ok(stale.meta.ageMs < VIEW_POLICY.maxAgeMs);
  const updated = await eventually(async () => (await measured(`/v1/agents/${ids.a1}/metrics`)).body as Body, (b) => b.data.version > before.data.version, 5_000);
  assert.equal(updated.meta.cache, "edge");
  assert.equal(updated.meta.stale, false);

  // Nobody reads for longer than the bound: the next read waits for the new revision instead.
  const held = updated.data.version;
  await addSource(ids.a1, 700);
  await eventually(() => storedVersion(ids.a1), (v) => v > held, 30_000);
  offsetMs += VIEW_POLICY.maxAgeMs;
  const late = (await measured(`/v1/agents/${ids.a1}/metrics`)).body as Body;
  assert.ok(late.data.version > held);
  assert.equal(late.meta.cache, "store");
});

test("batchGet: readable ids as single reads, misses in one getAll, foreign and missing ids forbidden and remembered", async () => {
  const single = (await measured(`/v1/agents/${ids.a1}/metrics`)).body as Body;
  const ghost = unique("ghost");
  const batch = await measured("/v1/agents/metrics:batchGet", { method: "POST", body: JSON.stringify({ agentIds: [ids.a1, ids.a2, ids.a3, ids.b1, ghost] }) });
  assert.equal(batch.res.status, 200);
  const body = batch.body as { data: Record<string, Body>; notFound: string[]; forbidden: string[] };
  assert.deepEqual(Object.keys(body.data).sort(), [ids.a1, ids.a2, ids.a3].sort());
  assert.deepEqual(body.data[ids.a1].data, single.data);
  assert.deepEqual(body.data[ids.a1].signature, single.signature);
  assert.equal(body.data[ids.a1].meta.cache, "edge");
  assert.equal(body.data[ids.a2].meta.cache, "store");
  assert.deepEqual(body.forbidden, [ids.b1, ghost]);
  assert.deepEqual(body.notFound, []);
  // Rights first: a1 is held with its owner; the others are asked for by queries that can only match
  // alice's (her organization's, then her own among what is left): first of the stored views, which
  // reads a2's and a3's, then of the agents for what is left (b1, ghost), which matches nothing. No
  // view is read by id: nothing of b1 or ghost is read at all.
  const queries = batch.sent.filter((rpc) => rpc.method === "runQuery").map((rpc) => rpc.query);
  assert.deepEqual(
    queries,
    [
      { collection: "agent_metrics_cache", equals: { "_access.orgId": ids.org } },
      { collection: "agent_metrics_cache", equals: { "_access.ownerId": ids.alice } },
      { collection: "agents", equals: { orgId: ids.org } },
      { collection: "agents", equals: { ownerId: ids.alice } },
    ],
    JSON.stringify(batch.sent),
  );
  assert.deepEqual(batch.sent.filter((rpc) => rpc.method !== "runQuery"), [], JSON.stringify(batch.sent));
  assert.equal((await adminDb().doc(`agent_metrics_cache/${ghost}`).get()).exists, false);
  const again = await measured("/v1/agents/metrics:batchGet", { method: "POST", body: JSON.stringify({ agentIds: [ids.a1, ids.a2, ids.a3, ids.b1, ghost] }) });
  assert.deepEqual((again.body as { forbidden: string[] }).forbidden, [ids.b1, ghost]);
  assert.deepEqual(again.sent, [], "every id, the missing one too, is now answered by the edge");
});

test("cache stats reflect the reads of this instance, and the deployed function serves the route", async () => {
  const { res, body } = await measured("/v1/cache/stats");
  assert.equal(res.status, 200);
  assert.equal(body.instanceId, deps.cacheStats.instanceId);
  const { views, directory, apiKeys, sessions } = body.layers;
  assert.ok(views.hits >= 4, JSON.stringify(views));
  assert.ok(views.misses >= 4);
  assert.ok(views.staleServes >= 1);
  assert.ok(views.entries >= 3 && views.bytes > 0);
  assert.ok(views.hitRate > 0 && views.hitRate < 1);
  // Only the caller's profile: agents' owners come with their views.
  assert.ok(directory.entries >= 1 && directory.hits > 0, JSON.stringify(directory));
  assert.ok(apiKeys.hits > 0 && sessions.hits > 0);

  const deployed = await fetch(`${await apiBaseUrl()}/v1/cache/stats`, { headers });
  assert.equal(deployed.status, 200);
  const remote = (await deployed.json()) as { instanceId: string; layers: Record<string, { hits: number }> };
  assert.notEqual(remote.instanceId, deps.cacheStats.instanceId, "another instance, with its own figures");
  assert.deepEqual(Object.keys(remote.layers).sort(), ["access", "apiKeys", "directory", "series", "sessions", "views"]);
});
