/**
 * Analytics through the real function and triggers: series after a shuffled, duplicated history
 * equal a full recompute bucket by bucket (and the documents' own sums), and a price change dated in
 * the past re-prices exactly the interactions it covers, in every view that has them, with no new
 * interaction written; a change of a `prefix*` price re-prices the views holding a model it matches,
 * and only those.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { adminDb, apiBaseUrl, eventually, keyedCaller, signUp, unique } from "../support/emulators";
import { SERIES_CSV_COLUMNS, type SeriesPoint } from "../../functions/src/contract/schemas/series";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let base = "";
let token = "";
let key = "";
const ids = { org: unique("org"), alice: unique("alice"), series: unique("agent"), priced: unique("agent"), other: unique("agent"), prefixed: unique("agent"), longer: unique("agent") };
const MODEL_PRICED = unique("model-priced");
const MODEL_OTHER = unique("model-other");

const call = keyedCaller(() => ({ base, token, key }));

/** A seeded shuffle, so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

before(async () => {
  base = await apiBaseUrl();
  token = await signUp(ids.alice);
  const db = adminDb();
  await db.doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await db.doc(`organizations/${ids.org}`).set({ name: "Analytics" });
  for (const agent of [ids.series, ids.priced, ids.other, ids.prefixed, ids.longer]) await db.doc(`agents/${agent}`).set({ name: agent, ownerId: ids.alice, orgId: ids.org });
  const res = await fetch(`${base}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "analytics", permissions: ["read:agent-metrics", "read:user-metrics", "read:org-metrics", "write:interactions", "write:agent-metrics"], rateLimitPerMinute: 5000 }),
  });
  key = ((await res.json()) as { key: string }).key;
});

after(async () => {
  await adminDb().doc("metrics_config/pricing").delete();
});

test("series after a shuffled, duplicated history equal a full recompute, bucket by bucket", async () => {
  const now = Date.now();
  // 300 interactions over the last 30 hours, 10 of them in the future's edge cases (the current hour).
  const items = Array.from({ length: 300 }, (_, i) => ({
    id: `s-${i}`,
    model: i % 3 ? "claude-sonnet-4" : "gpt-4.1-mini",
    inputTokens: 100 + i,
    outputTokens: 10 + (i % 17),
    ...(i % 4 === 0 && { cacheReadTokens: 5 }),
    // The newer fields on some items only: the others count them as zeros.
    ...(i % 5 === 0 && { cacheWriteTokens: 200 + i }),
    ...(i % 3 === 0 && { reasoningTokens: i % 7 }),
    ...(i % 2 === 0 && { timeToFirstTokenMs: 10 + ((i * 13) % 40) }), // below every latency (50 ms or more)
    latencyMs: 50 + ((i * 37) % 900),
    status: i % 11 === 0 ? "error" : "success",
    occurredAt: new Date(now - ((i * 6_037_000) % (30 * HOUR))).toISOString(),
  }));
  // Shuffled, in batches, every batch sent twice in a different order, some items in two batches.
  const sent = shuffle([...items, ...items.slice(0, 60)], 7);
  const batches: Array<typeof items> = [];
  for (let i = 0; i < sent.length; i += 45) batches.push(sent.slice(i, i + 45));
  // A 503 is sent again with the same ids, as the contract tells a client to.
  const post = async (batch: typeof items) => {
    for (let attempt = 1; ; attempt++) {
      const answer = await call(`/v1/agents/${ids.series}/interactions`, { method: "POST", body: { interactions: batch } });
      if (answer.status !== 503 || attempt === 5) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const sends = shuffle([...batches, ...batches.map((b) => shuffle(b, 3))], 11);
  const answers = await Promise.all(sends.map(post));
  for (const [i, answer] of answers.entries()) {
    assert.equal(answer.status, 202, `batch ${i}: ${answer.text}`);
    assert.equal(answer.body.accepted + answer.body.duplicates, sends[i].length, "every item is either stored now or already was");
  }
  assert.ok(answers.reduce((sum, a) => sum + a.body.accepted, 0) <= items.length, "no interaction accepted twice");
  // A few written straight to Firestore too, through the trigger.
  const db = adminDb();
  const direct = Array.from({ length: 6 }, (_, i) => ({
    agentId: ids.series,
    userId: ids.alice,
    model: "claude-sonnet-4",
    inputTokens: 1000 + i,
    outputTokens: 1,
    ...(i % 2 === 0 && { cacheWriteTokens: 5000, reasoningTokens: 1, timeToFirstTokenMs: 9 }),
    latencyMs: 10 + i,
    status: "success",
    occurredAt: Timestamp.fromMillis(now - i * 2 * HOUR),
  }));
  await Promise.all(direct.map((doc) => db.collection("agent_interactions").add(doc)));
  const total = items.length + direct.length;

  const path = `/v1/agents/${ids.series}/metrics/series?granularity=hour&from=${new Date(now - 30 * HOUR).toISOString()}`;
  // Until the agent's first fold has stored a view, a read recomputes one (meta.cache "computed");
  // once stored, the view is served from its state: wait for that answer, with everything counted.
  const counted = (r: Awaited<ReturnType<typeof call>>) => r.status === 200 && r.body.data.points.reduce((sum: number, p: { count: number }) => sum + p.count, 0) === total;
  const incremental = await eventually(() => call(path, { fresh: true }), (r) => counted(r) && r.body.meta.cache === "store", 30_000);
  assert.equal(incremental.body.meta.cache, "store", "a stored, authentic view is served from its state, not recomputed");
  const points = incremental.body.data.points as SeriesPoint[];
  // From the hour of `from` to the hour the server answered in (the test may cross an hour boundary).
  const firstHour = Math.floor((now - 30 * HOUR) / HOUR) * HOUR;
  const lastHour = Date.parse(points[points.length - 1].start);
  assert.ok([Math.floor(now / HOUR) * HOUR, Math.floor(Date.now() / HOUR) * HOUR].includes(lastHour), `the last point is the current hour: ${points[points.length - 1].start}`);
  assert.equal(points.length, (lastHour - firstHour) / HOUR + 1, "one point per hour, ascending, empty buckets included");
  assert.equal(Date.parse(points[0].start), firstHour, "the first point is the hour of from");
  assert.deepEqual(points.map((p) => p.start), [...points.map((p) => p.start)].sort());

  // The documents' own sums, hour by hour.
  const docs = (await db.collection("agent_interactions").where("agentId", "==", ids.series).get()).docs.map((d) => d.data());
  assert.equal(docs.length, total);
  for (const point of points) {
    const start = Date.parse(point.start);
    const inHour = docs.filter((d) => d.occurredAt.toMillis() >= start && d.occurredAt.toMillis() < start + HOUR);
    assert.equal(point.count, inHour.length, `count at ${point.start}`);
    assert.equal(point.errorCount, inHour.filter((d) => d.status !== "success").length, `errors at ${point.start}`);
    assert.equal(point.inputTokens, inHour.reduce((sum, d) => sum + d.inputTokens, 0), `input tokens at ${point.start}`);
    assert.equal(point.outputTokens, inHour.reduce((sum, d) => sum + d.outputTokens, 0));
    assert.equal(point.cacheReadTokens, inHour.reduce((sum, d) => sum + (d.cacheReadTokens ?? 0), 0));
    assert.equal(point.cacheWriteTokens, inHour.reduce((sum, d) => sum + (d.cacheWriteTokens ?? 0), 0), `cache writes at ${point.start}`);
    assert.equal(point.reasoningTokens, inHour.reduce((sum, d) => sum + (d.reasoningTokens ?? 0), 0), `reasoning at ${point.start}`);
    if (inHour.length > 0) {
      const sorted = inHour.map((d) => d.latencyMs).sort((a, b) => a - b);
      const trueP95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
      assert.ok(Math.abs(point.p95LatencyMs - trueP95) <= Math.max(0.02 * trueP95, 0.0011), `p95 at ${point.start}: ${point.p95LatencyMs} vs ${trueP95}`);
    }
    const firstTokens = inHour.flatMap((d) => (d.timeToFirstTokenMs === undefined ? [] : [d.timeToFirstTokenMs as number])).sort((a, b) => a - b);
    const trueP50 = firstTokens.length ? firstTokens[Math.max(0, Math.ceil(0.5 * firstTokens.length) - 1)] : 0;
    assert.ok(Math.abs(point.p50TimeToFirstTokenMs - trueP50) <= 0.02 * trueP50, `TTFT p50 at ${point.start}: ${point.p50TimeToFirstTokenMs} vs ${trueP50}`);
  }
  // The view's totals hold the same new fields, over every document.
  const view = (await call(`/v1/agents/${ids.series}/metrics`, { fresh: true })).body.data.interactions;
  const sum = (field: string) => docs.reduce((total, d) => total + (d[field] ?? 0), 0);
  assert.deepEqual([view.cacheWriteTokens, view.reasoningTokens, view.timeToFirstTokenMs.count], [sum("cacheWriteTokens"), sum("reasoningTokens"), docs.filter((d) => d.timeToFirstTokenMs !== undefined).length]);
  assert.equal(Object.values(view.byModel as Record<string, { inputTokens: number }>).reduce((total, m) => total + m.inputTokens, 0), sum("inputTokens"), "byModel carries every input token");

  // As CSV: the same ETag, one row per JSON point with the same numbers, and a 304 for that ETag.
  const csv = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}`, "X-API-Key": key, Accept: "text/csv", "Cache-Control": "no-cache" } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  assert.equal(csv.headers.get("etag"), incremental.headers.get("etag"), "the CSV names the revision the JSON does");
  const [header, ...rows] = (await csv.text()).split("\r\n").filter(Boolean);
  assert.deepEqual(header.split(","), [...SERIES_CSV_COLUMNS]);
  assert.deepEqual(rows.map((row) => row.split(",")), points.map((p) => SERIES_CSV_COLUMNS.map((column) => String(p[column]))));
  const revalidated = await fetch(`${base}${path}&format=csv`, { headers: { Authorization: `Bearer ${token}`, "X-API-Key": key, "If-None-Match": csv.headers.get("etag") ?? "" } });
  assert.equal(revalidated.status, 304);

  // A full recompute from the documents gives the same series, bucket by bucket (costs included).
  const refreshed = await call(`/v1/agents/${ids.series}/metrics:refresh`, { method: "POST" });
  assert.equal(refreshed.status, 200, refreshed.text);
  const recomputed = await call(path, { fresh: true });
  assert.deepEqual(recomputed.body.data.points, incremental.body.data.points);
  // The daily series adds up to the same totals.
  const daily = await call(`/v1/agents/${ids.series}/metrics/series?granularity=day`, { fresh: true });
  assert.equal(daily.status, 200, daily.text);
  assert.equal(daily.body.data.points.reduce((sum: number, p: { count: number }) => sum + p.count, 0), total);
});

test("a price change dated in the past re-prices exactly the interactions it covers, in every affected view, with no new write", async () => {
  const now = Date.now();
  const db = adminDb();
  const ratesBefore = { [MODEL_PRICED]: { inputPerMTok: 1, outputPerMTok: 2 }, [MODEL_OTHER]: { inputPerMTok: 5, outputPerMTok: 5 } };
  await db.doc("metrics_config/pricing").set({ models: ratesBefore });
  // Old interactions (3 days ago) and recent ones (1 hour ago) of the priced model; one agent of another model.
  const item = (id: string, model: string, at: number) => ({ id, model, inputTokens: 1_000_000, outputTokens: 500_000, latencyMs: 100, status: "success", occurredAt: new Date(at).toISOString() });
  const oldItems = Array.from({ length: 4 }, (_, i) => item(`old-${i}`, MODEL_PRICED, now - 3 * DAY - i * HOUR));
  const newItems = Array.from({ length: 3 }, (_, i) => item(`new-${i}`, MODEL_PRICED, now - HOUR - i * 60_000));
  for (const [agent, interactions] of [[ids.priced, [...oldItems, ...newItems]], [ids.other, [item("o-1", MODEL_OTHER, now - HOUR)]]] as const) {
    const answer = await call(`/v1/agents/${agent}/interactions`, { method: "POST", body: { interactions } });
    assert.equal(answer.body.accepted, interactions.length, answer.text);
  }
  const costOf = (r: { body: { data: { interactions: { costUsd: number } } } }) => r.body.data.interactions.costUsd;
  // Before: 7 × (1 M input × $1 + 0.5 M output × $2) = 7 × $2.
  const before = await eventually(() => call(`/v1/agents/${ids.priced}/metrics`, { fresh: true }), (r) => r.body?.data?.interactions?.count === 7, 30_000);
  assert.equal(costOf(before), 14);
  const otherBefore = await eventually(() => call(`/v1/agents/${ids.other}/metrics`, { fresh: true }), (r) => r.body?.data?.interactions?.count === 1, 30_000);
  const userBefore = await eventually(() => call(`/v1/users/${ids.alice}/metrics`, { fresh: true }), (r) => r.body?.data?.interactions?.count >= 8, 30_000);
  const interactionsBefore = (await db.collection("agent_interactions").where("agentId", "==", ids.priced).count().get()).data().count;

  // New rate from 2 days ago: covers the 3 recent interactions, not the 4 old ones.
  const changedAt = Date.now();
  await db.doc("metrics_config/pricing").set({ models: { ...ratesBefore, [MODEL_PRICED]: [{ inputPerMTok: 1, outputPerMTok: 2 }, { inputPerMTok: 3, outputPerMTok: 4, effectiveFrom: new Date(now - 2 * DAY).toISOString() }] } });
  // After: 4 × $2 + 3 × (1 M × $3 + 0.5 M × $4 = $5) = $23, within the contract's 5 minutes (seconds here).
  const repriced = await eventually(() => call(`/v1/agents/${ids.priced}/metrics`, { fresh: true }), (r) => costOf(r) === 23, 60_000);
  const tookMs = Date.now() - changedAt;
  assert.ok(tookMs < 5 * 60_000, `re-priced after ${tookMs} ms`);
  assert.equal(repriced.body.data.interactions.count, 7);
  assert.equal(repriced.body.data.interactions.byModel[MODEL_PRICED].costUsd, 23);
  // Only the recent buckets changed: the daily series puts $8 three days back and $15 an hour ago.
  const daily = await call(`/v1/agents/${ids.priced}/metrics/series?granularity=day`, { fresh: true });
  const spent = (daily.body.data.points as Array<{ costUsd: number }>).filter((p) => p.costUsd > 0).map((p) => p.costUsd);
  assert.equal(spent.reduce((sum, c) => sum + c, 0), 23);
  assert.ok(spent.includes(15) || spent.length > 2, `daily costs ${JSON.stringify(spent)}`);
  // The rollups follow; the agent of the other model is left as it was.
  const userAfter = await eventually(() => call(`/v1/users/${ids.alice}/metrics`, { fresh: true }), (r) => Math.abs(costOf(r) - (costOf(userBefore) + 9)) < 1e-9, 60_000);
  assert.ok(userAfter.body.data.interactions.count >= 8);
  await eventually(() => call(`/v1/orgs/${ids.org}/metrics`, { fresh: true }), (r) => Math.abs(costOf(r) - costOf(userAfter)) < 1e-9, 60_000);
  const otherAfter = await call(`/v1/agents/${ids.other}/metrics`, { fresh: true });
  assert.equal(otherAfter.body.data.version, otherBefore.body.data.version, "an agent without the changed model gets no new revision");
  assert.equal(costOf(otherAfter), costOf(otherBefore));
  // No interaction was written to get there.
  assert.equal((await db.collection("agent_interactions").where("agentId", "==", ids.priced).count().get()).data().count, interactionsBefore);
});

test("a changed prefix price re-prices the views holding a model it matches, and leaves the others' revisions", async () => {
  const db = adminDb();
  const stem = `${unique("acme")}-`;
  const current = ((await db.doc("metrics_config/pricing").get()).data()?.models ?? {}) as Record<string, unknown>;
  const withPrefix = (inputPerMTok: number) => ({ ...current, [`${stem}*`]: { inputPerMTok, outputPerMTok: 0 }, [`${stem}1*`]: { inputPerMTok: 3, outputPerMTok: 0 } });
  await db.doc("metrics_config/pricing").set({ models: withPrefix(1) });
  const item = (id: string, model: string) => ({ id, model, inputTokens: 1_000_000, outputTokens: 0, latencyMs: 50, status: "success", occurredAt: new Date(Date.now() - HOUR).toISOString() });
  for (const [agent, interactions] of [[ids.prefixed, [item("p-1", `${stem}large-2026-01-01`), item("p-2", `${stem}small`)]], [ids.longer, [item("l-1", `${stem}1-turbo`)]]] as const) {
    const answer = await call(`/v1/agents/${agent}/interactions`, { method: "POST", body: { interactions } });
    assert.equal(answer.body.accepted, interactions.length, answer.text);
  }
  const costOf = (r: { body: { data: { interactions: { costUsd: number } } } }) => r.body.data.interactions.costUsd;
  const view = (agent: string) => call(`/v1/agents/${agent}/metrics`, { fresh: true });
  // Snapshot names priced by the prefixes: 2 × 1 M × $1, and 1 M × $3 by the longer prefix.
  await eventually(() => view(ids.prefixed), (r) => r.body?.data?.interactions?.count === 2 && costOf(r) === 2, 30_000);
  const longerBefore = await eventually(() => view(ids.longer), (r) => r.body?.data?.interactions?.count === 1 && costOf(r) === 3, 30_000);
  const otherBefore = await view(ids.other);

  const changedAt = Date.now();
  await db.doc("metrics_config/pricing").set({ models: withPrefix(4) });
  const repriced = await eventually(() => view(ids.prefixed), (r) => costOf(r) === 8, 60_000);
  assert.ok(Date.now() - changedAt < 5 * 60_000);
  assert.equal(repriced.body.data.interactions.byModel[`${stem}small`].costUsd, 4);
  // The trigger asked for its folds together; a view it wrongly chose would have moved by now.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (const [agent, was] of [[ids.longer, longerBefore], [ids.other, otherBefore]] as const) {
    const now = await view(agent);
    assert.equal(now.body.data.version, was.body.data.version, `${agent}: no new revision`);
    assert.equal(costOf(now), costOf(was));
  }
});
