/**
 * User and organization rollups through the real function and trigger: exact sums of the agents'
 * views after uploads, edits and deletes, an agent moving to another owner and organization, and the
 * access rules of both scopes.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { adminDb, apiBaseUrl, eventually, signUp, unique } from "../support/emulators";

let base: string;
const ids = { org: unique("org"), otherOrg: unique("org"), owner: unique("owner"), member: unique("member"), admin: unique("admin"), outsider: unique("out") };
const agents = { a: unique("agent"), b: unique("agent"), c: unique("agent") };
const tokens: Record<string, string> = {};
const keys: Record<string, string> = {};

async function call(path: string, who: string) {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${tokens[who]}`, "X-API-Key": keys[who] } });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

function source(agentId: string, sizeBytes: number) {
  const now = Timestamp.now();
  return { agentId, type: "pdf", sizeBytes, tokenCount: sizeBytes, status: "ready", createdAt: now, updatedAt: now };
}

before(async () => {
  base = await apiBaseUrl();
  const db = adminDb();
  const roles: Record<string, [string, string]> = { owner: [ids.org, "owner"], member: [ids.org, "member"], admin: [ids.otherOrg, "admin"], outsider: [ids.otherOrg, "member"] };
  for (const [who, [orgId, role]] of Object.entries(roles)) {
    tokens[who] = await signUp(ids[who as keyof typeof ids]);
    await db.doc(`users/${ids[who as keyof typeof ids]}`).set({ orgId, role });
    const res = await fetch(`${base}/v1/api-keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "k", permissions: ["read:user-metrics", "read:org-metrics"], rateLimitPerMinute: 1000 }),
    });
    keys[who] = ((await res.json()) as { key: string }).key;
  }
  await db.doc(`organizations/${ids.org}`).set({ name: "Acme" });
  await db.doc(`organizations/${ids.otherOrg}`).set({ name: "Globex" });
  await db.doc(`agents/${agents.a}`).set({ name: "a", ownerId: ids.owner, orgId: ids.org });
  await db.doc(`agents/${agents.b}`).set({ name: "b", ownerId: ids.owner, orgId: ids.org });
  await db.doc(`agents/${agents.c}`).set({ name: "c", ownerId: ids.member, orgId: ids.org });
});

test("user and organization views are exact sums of their agents, and follow a moved agent", async () => {
  const db = adminDb();
  const s1 = db.collection("context_sources").doc(unique("s"));
  await s1.set(source(agents.a, 100));
  await db.collection("context_sources").doc(unique("s")).set(source(agents.b, 20));
  await db.collection("context_sources").doc(unique("s")).set(source(agents.c, 3));
  const bytes = (r: Awaited<ReturnType<typeof call>>) => r.body?.data?.sources?.totalBytes;

  const org = await eventually(() => call(`/v1/orgs/${ids.org}/metrics`, "member"), (r) => bytes(r) === 123, 30_000);
  assert.equal(org.body.data.scope, "org");
  assert.equal(org.body.data.agentCount, 3);
  assert.equal(org.body.data.sources.count, 3);
  const user = await eventually(() => call(`/v1/users/${ids.owner}/metrics`, "owner"), (r) => bytes(r) === 120, 30_000);
  assert.equal(user.body.data.agentCount, 2);

  await s1.update({ sizeBytes: 1000, updatedAt: Timestamp.now() });
  await eventually(() => call(`/v1/users/${ids.owner}/metrics`, "owner"), (r) => bytes(r) === 1020, 30_000);

  // Agent b moves to the member, in the other organization: its totals move with it.
  await db.doc(`agents/${agents.b}`).update({ ownerId: ids.member, orgId: ids.otherOrg });
  const moved = await eventually(() => call(`/v1/users/${ids.owner}/metrics`, "owner"), (r) => bytes(r) === 1000, 30_000);
  assert.equal(moved.body.data.agentCount, 1);
  const memberView = await eventually(() => call(`/v1/users/${ids.member}/metrics`, "member"), (r) => bytes(r) === 23, 30_000);
  assert.equal(memberView.body.data.agentCount, 2);
  const orgAfter = await eventually(() => call(`/v1/orgs/${ids.org}/metrics`, "member"), (r) => bytes(r) === 1003, 30_000);
  assert.equal(orgAfter.body.data.agentCount, 2);
  assert.ok(orgAfter.body.data.version > org.body.data.version);
});

test("a deleted agent's view is removed and its totals leave the user and organization views", async () => {
  const db = adminDb();
  const bytes = (r: Awaited<ReturnType<typeof call>>) => r.body?.data?.sources?.totalBytes;
  const view = db.doc(`agent_metrics_cache/${agents.c}`);
  // After the move above, the member owns b (20 bytes) and c (3 bytes); the first organization has a and c.
  await eventually(() => call(`/v1/users/${ids.member}/metrics`, "member"), (r) => bytes(r) === 23, 30_000);
  assert.equal((await view.get()).exists, true);

  await db.doc(`agents/${agents.c}`).delete();
  await eventually(async () => (await view.get()).exists, (exists) => exists === false, 30_000);
  const user = await eventually(() => call(`/v1/users/${ids.member}/metrics`, "member"), (r) => bytes(r) === 20, 30_000);
  assert.equal(user.body.data.agentCount, 1);
  const org = await eventually(() => call(`/v1/orgs/${ids.org}/metrics`, "member"), (r) => bytes(r) === 1000, 30_000);
  assert.equal(org.body.data.agentCount, 1);
});

test("user and org scopes: who may read, and 404 only for those who could have read it", async () => {
  const cells: Array<[string, string, number, string | null]> = [
    ["self", `/v1/users/${ids.member}/metrics`, 200, null],
    ["org owner reads a member", `/v1/users/${ids.member}/metrics`, 200, null],
    ["member reads the org owner", `/v1/users/${ids.owner}/metrics`, 403, "PERMISSION_DENIED"],
    ["admin of another org reads a member", `/v1/users/${ids.member}/metrics`, 403, "PERMISSION_DENIED"],
    ["unknown user, not self", `/v1/users/${unique("ghost")}/metrics`, 403, "PERMISSION_DENIED"],
    ["org member", `/v1/orgs/${ids.org}/metrics`, 200, null],
    ["other org's admin", `/v1/orgs/${ids.org}/metrics`, 403, "PERMISSION_DENIED"],
    ["unknown org", `/v1/orgs/${unique("ghost")}/metrics`, 403, "PERMISSION_DENIED"],
  ];
  const who = ["member", "owner", "member", "admin", "owner", "member", "admin", "member"];
  for (const [i, [cell, path, status, code]] of cells.entries()) {
    const res = await call(path, who[i]);
    assert.equal(res.status, status, `${cell}: ${res.text}`);
    if (code) {
      assert.equal(res.body.error.code, code, cell);
      assert.equal(res.text.includes('"sources"'), false, `${cell}: no metrics in a refusal`);
    }
  }
  // A member of an organization whose document is missing could read it: 404.
  await adminDb().doc(`users/${ids.outsider}`).set({ orgId: "org-without-document", role: "member" });
  const missing = await call("/v1/orgs/org-without-document/metrics", "outsider");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, "NOT_FOUND");
});
