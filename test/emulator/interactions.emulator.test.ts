/**
 * Interactions through the real function and triggers: a batch of 1000 counted once (and not again
 * by the triggers or on a re-send), per-item rejections, interactions written straight to Firestore
 * counted by the trigger, and the incremental view equal to a full recompute.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { adminDb, apiBaseUrl, eventually, keyedCaller, signUp, unique } from "../support/emulators";

let base: string;
const ids = { org: unique("org"), alice: unique("alice"), busy: unique("agent"), direct: unique("agent"), hot: unique("agent"), zoo: unique("agent") };
let token = "";
let key = "";

const call = keyedCaller(() => ({ base, token, key }));

const interaction = (i: number) => ({
  id: `call-${i}`,
  model: i % 3 === 0 ? "claude-haiku-4" : "claude-sonnet-4",
  inputTokens: 1000 + i,
  outputTokens: 100 + (i % 50),
  cacheReadTokens: i % 2 === 0 ? 10 : undefined,
  latencyMs: 100 + i,
  status: i % 10 === 0 ? "error" : "success",
  occurredAt: new Date(Date.now() - i * 1000).toISOString(),
});

before(async () => {
  base = await apiBaseUrl();
  token = await signUp(ids.alice);
  const db = adminDb();
  await db.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await db.doc(`agents/${ids.busy}`).set({ name: "busy", ownerId: ids.alice, orgId: ids.org });
  await db.doc(`agents/${ids.direct}`).set({ name: "direct", ownerId: ids.alice, orgId: ids.org });
  await db.doc(`agents/${ids.hot}`).set({ name: "hot", ownerId: ids.alice, orgId: ids.org });
  await db.doc(`agents/${ids.zoo}`).set({ name: "zoo", ownerId: ids.alice, orgId: ids.org });
  const res = await fetch(`${base}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics", "write:interactions", "write:agent-metrics"], rateLimitPerMinute: 1000 }),
  });
  key = ((await res.json()) as { key: string }).key;
});

test("1000 interactions in one request for one agent are all counted once", async () => {
  const items = Array.from({ length: 1000 }, (_, i) => interaction(i));
  const first = await call(`/v1/agents/${ids.busy}/interactions`, { method: "POST", body: { interactions: items } });
  assert.equal(first.status, 202, first.text);
  assert.deepEqual(first.body, { accepted: 1000, duplicates: 0, rejected: [] });

  const again = await call(`/v1/agents/${ids.busy}/interactions`, { method: "POST", body: { interactions: items.slice(0, 10) } });
  assert.deepEqual(again.body, { accepted: 0, duplicates: 10, rejected: [] });

  // Accepted means stored; the view shows them after the agent's next fold (about a second).
  const view = await eventually(() => call(`/v1/agents/${ids.busy}/metrics`, { fresh: true }), (r) => r.body?.data?.interactions?.count === 1000);
  const block = view.body.data.interactions;
  assert.equal(block.count, 1000);
  assert.equal(block.errorCount, 100);
  assert.equal(block.errorRate, 0.1);
  assert.equal(block.inputTokens, items.reduce((sum, i) => sum + i.inputTokens, 0));
  assert.equal(block.byModel["claude-haiku-4"].count, 334);
  assert.equal(block.latencyMs.max, 1099);
  const trueP95 = 100 + 949; // nearest rank over latencies 100..1099
  assert.ok(Math.abs(block.latencyMs.p95 - trueP95) / trueP95 <= 0.02, `p95 ${block.latencyMs.p95} vs ${trueP95}`);
  assert.equal(view.body.data.windows["7d"].count, 1000);

  // The triggers fire for all 1000 documents; none may count them a second time.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const later = await call(`/v1/agents/${ids.busy}/metrics`, { fresh: true });
  assert.equal(later.body.data.interactions.count, 1000);
  assert.equal(later.body.data.version, view.body.data.version);
});

test("concurrent requests for one agent, retries among them, each get their own answer and count once", async () => {
  const batches = Array.from({ length: 12 }, (_, r) => Array.from({ length: 5 }, (_, j) => ({ ...interaction(10_000 + r * 5 + j), id: `hot-${r}-${j}` })));
  // Three clients re-send a batch while the first attempt may still be on its way.
  const retries = [0, 4, 8].map((r) => batches[r]);
  // Each request here may run on an instance of its own; a 503 (none is expected: writers never
  // contend) would be answered by sending the same batch again, as the contract says.
  const post = async (interactions: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      const answer = await call(`/v1/agents/${ids.hot}/interactions`, { method: "POST", body: { interactions } });
      if (answer.status !== 503 || attempt === 5) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(answer.body.error.retryAfterSeconds ?? 1)));
    }
  };
  const answers = await Promise.all([...batches, ...retries].map(post));
  for (const answer of answers) {
    assert.equal(answer.status, 202, answer.text);
    assert.equal(answer.body.accepted + answer.body.duplicates, 5);
  }
  // A batch sent again after a 503 may find its first attempt committed late: its items then count
  // as duplicates of that attempt, so only the sum is fixed; the view shows each interaction once.
  const total = (field: "accepted" | "duplicates") => answers.reduce((sum, a) => sum + a.body[field], 0);
  assert.equal(total("accepted") + total("duplicates"), 75);
  assert.ok(total("accepted") <= 60 && total("duplicates") >= 15, `accepted ${total("accepted")}, duplicates ${total("duplicates")}`);
  // Accepted means stored: the view shows them once the agent's next fold has run (about a second).
  const view = await eventually(() => call(`/v1/agents/${ids.hot}/metrics`), (r) => r.body?.data?.interactions?.count === 60);
  assert.equal(view.body.data.interactions.inputTokens, batches.flat().reduce((sum, i) => sum + i.inputTokens, 0));
});

test("bad items are rejected with index and reason while the rest go in", async () => {
  const res = await call(`/v1/agents/${ids.busy}/interactions`, {
    method: "POST",
    body: { interactions: [interaction(5000), { ...interaction(5001), latencyMs: -3 }, { ...interaction(5002), model: "" }, "junk"] },
  });
  assert.equal(res.status, 202);
  assert.equal(res.body.accepted, 1);
  assert.deepEqual(res.body.rejected.map((r: { index: number }) => r.index), [1, 2, 3]);
  for (const body of [{}, { interactions: [] }, { interactions: Array.from({ length: 1001 }, (_, i) => interaction(i)) }]) {
    const refused = await call(`/v1/agents/${ids.busy}/interactions`, { method: "POST", body });
    assert.equal(refused.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(refused.body.error.code, "INVALID_ARGUMENT");
  }
});

test("interactions written straight to Firestore are counted by the trigger; edits and deletes too", async () => {
  const db = adminDb();
  const refs = [0, 1, 2].map(() => db.collection("agent_interactions").doc(unique("i")));
  const doc = (tokens: number, status = "success") => ({
    agentId: ids.direct, userId: ids.alice, model: "gpt-4.1-mini", inputTokens: tokens, outputTokens: 1, latencyMs: 50, status, occurredAt: Timestamp.now(),
  });
  await Promise.all(refs.map((ref, i) => ref.set(doc(100 * (i + 1)))));
  // Up to 30 s: the 1000 trigger events of the ingestion test may still be queued ahead of these, and
  // the edge cache adds up to ~5 s before a change shows.
  await eventually(() => call(`/v1/agents/${ids.direct}/metrics`), (r) => r.body?.data?.interactions?.count === 3, 30_000);
  await refs[0].update({ status: "timeout", inputTokens: 1000 });
  await refs[1].delete();
  const view = await eventually(() => call(`/v1/agents/${ids.direct}/metrics`), (r) => r.body?.data?.interactions?.inputTokens === 1300, 30_000);
  assert.equal(view.body.data.interactions.count, 2);
  assert.equal(view.body.data.interactions.errorCount, 1);

  const refreshed = await call(`/v1/agents/${ids.direct}/metrics:refresh`, { method: "POST" });
  assert.equal(refreshed.status, 200, refreshed.text);
  assert.equal(refreshed.body.meta.cache, "computed");
  const strip = (data: Record<string, unknown>) => ({ ...data, version: 0, computedAt: "" });
  assert.deepEqual(strip(refreshed.body.data), strip(view.body.data), "the incremental view equals a full recompute");
  assert.equal(refreshed.body.data.version, view.body.data.version, "a refresh that finds nothing new writes no new revision");
});

test("three requests of 1,000 new model names each leave the agent writable, with at most 50 names plus other", async () => {
  for (let r = 0; r < 3; r++) {
    const items = Array.from({ length: 1000 }, (_, i) => ({ ...interaction(i), id: `zoo-${r}-${i}`, model: `model-${r}-${i}-${"x".repeat(40)}` }));
    const answer = await call(`/v1/agents/${ids.zoo}/interactions`, { method: "POST", body: { interactions: items } });
    assert.equal(answer.status, 202, answer.text);
    assert.equal(answer.body.accepted, 1000);
  }
  // Still writable: one more interaction of a known model goes in and shows up.
  const last = await call(`/v1/agents/${ids.zoo}/interactions`, { method: "POST", body: { interactions: [{ ...interaction(1), id: "zoo-last", model: "model-0-0-" + "x".repeat(40) }] } });
  assert.deepEqual(last.body, { accepted: 1, duplicates: 0, rejected: [] });
  const view = await eventually(() => call(`/v1/agents/${ids.zoo}/metrics`), (r) => r.body?.data?.interactions?.count === 3001, 30_000);
  const byModel = view.body.data.interactions.byModel as Record<string, { count: number }>;
  const names = Object.keys(byModel).filter((name) => name !== "other");
  assert.ok(names.length <= 50, `${names.length} named models`);
  assert.ok(byModel.other, "the rest are counted under other");
  assert.equal(Object.values(byModel).reduce((sum, m) => sum + m.count, 0), 3001, "every interaction is counted under some model");
  // Nothing stored for the agent comes near Firestore's 1 MiB document limit.
  const stored = await adminDb().doc(`agent_metrics_cache/${ids.zoo}`).get();
  const state = stored.get("_state") as { length: number } | undefined;
  assert.ok(state && state.length < 256 * 1024, `stored state ${state?.length} bytes`);
});
