/**
 * Keys restricted to some agents, through the real `api` function in the Functions emulator, with
 * the key stored in the Firestore emulator: the restriction survives the store, the key reads its
 * own agent, is refused for another agent of the same owner, sees that agent under `forbidden` in a
 * batch read, and cannot read its owner's user metrics (they span other agents). An ingest key
 * restricted to one agent, sent alone (no session), writes that agent as its owner and no other.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { interactionDocId } from "../../functions/src/metrics/interaction-batch";
import { adminDb, apiBaseUrl, keyedCaller, signUp, unique } from "../support/emulators";

const ids = { org: unique("org"), alice: unique("alice"), agentA: unique("agent-a"), agentB: unique("agent-b") };
let base: string;
let token: string;
let key: string;
const call = keyedCaller(() => ({ base, token, key }));

before(async () => {
  base = await apiBaseUrl();
  token = await signUp(ids.alice);
  const db = adminDb();
  await db.doc(`organizations/${ids.org}`).set({ name: "Acme" });
  await db.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner", displayName: "Alice" });
  for (const agent of [ids.agentA, ids.agentB]) await db.doc(`agents/${agent}`).set({ name: agent, ownerId: ids.alice, orgId: ids.org, createdAt: Timestamp.now() });
  key = await createKey({ name: "agent A only", permissions: ["read:agent-metrics", "read:user-metrics"], agentIds: [ids.agentA] });
});

async function createKey(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/v1/api-keys`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const created = (await res.json()) as { key: string; apiKey: { agentIds?: string[] } };
  assert.equal(res.status, 201, JSON.stringify(created));
  assert.deepEqual(created.apiKey.agentIds, body.agentIds);
  return created.key;
}

test("the listing shows the key's agents as stored", async () => {
  const res = await fetch(`${base}/v1/api-keys`, { headers: { Authorization: `Bearer ${token}` } });
  const { apiKeys } = (await res.json()) as { apiKeys: Array<{ name: string; agentIds?: string[] }> };
  assert.deepEqual(apiKeys.find((k) => k.name === "agent A only")?.agentIds, [ids.agentA]);
});

test("a restricted key reads its agent (200) and is refused for the owner's other agent (403)", async () => {
  const own = await call(`/v1/agents/${ids.agentA}/metrics`);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.data.id, ids.agentA);
  const other = await call(`/v1/agents/${ids.agentB}/metrics`);
  assert.equal(other.status, 403, other.text);
  assert.equal(other.body.error.code, "PERMISSION_DENIED");
});

test("a batch read with both agents answers the key's agent and lists the other under forbidden", async () => {
  const res = await call("/v1/agents/metrics:batchGet", { method: "POST", body: { agentIds: [ids.agentA, ids.agentB] } });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.body.data), [ids.agentA]);
  assert.deepEqual(res.body.forbidden, [ids.agentB]);
});

test("the owner's user metrics are 403 for a restricted key, though it holds read:user-metrics", async () => {
  const res = await call(`/v1/users/${ids.alice}/metrics`);
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.error.code, "PERMISSION_DENIED");
});

test("an ingest key restricted to agent A, sent alone: writes agent A as its owner (202), refused for agent B (403)", async () => {
  const ingestKey = await createKey({ name: "exporter of agent A", permissions: ["write:interactions"], agentIds: [ids.agentA] });
  const send = (agentId: string, id: string) =>
    fetch(`${base}/v1/agents/${agentId}/interactions`, {
      method: "POST",
      headers: { "X-API-Key": ingestKey, "content-type": "application/json" },
      body: JSON.stringify({ interactions: [{ id, model: "claude-sonnet-4", inputTokens: 10, outputTokens: 4, latencyMs: 120, status: "success", occurredAt: new Date().toISOString() }] }),
    });
  const own = await send(ids.agentA, "otel-1");
  assert.equal(own.status, 202, await own.clone().text());
  assert.deepEqual(await own.json(), { accepted: 1, duplicates: 0, rejected: [] });
  const stored = (await adminDb().collection(COLLECTIONS.interactions).doc(interactionDocId(ids.agentA, "otel-1")).get()).data();
  assert.equal(stored?.userId, ids.alice, "userId defaults to the key's owner");
  assert.equal(stored?.agentId, ids.agentA);

  const other = await send(ids.agentB, "otel-2");
  assert.equal(other.status, 403, await other.clone().text());
  assert.equal(((await other.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED");
  assert.equal((await adminDb().collection(COLLECTIONS.interactions).doc(interactionDocId(ids.agentB, "otel-2")).get()).exists, false);

  const read = await fetch(`${base}/v1/agents/${ids.agentA}/metrics`, { headers: { "X-API-Key": ingestKey } });
  assert.equal(read.status, 401, "alone, the ingest key reads nothing");
});
