/**
 * The hourly reconcile, run as the deployed scheduled function through firebase-functions-test's
 * `wrap()` against the Firestore emulator. It works in a project id of its own (no trigger fires
 * there and no other suite writes there), so every difference it finds was planted by this test.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import functionsTest from "firebase-functions-test";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { pricingFromConfig } from "../../functions/src/domain/pricing";
import { seal } from "../../functions/src/domain/metrics-view";
import { parseKeyring } from "../../functions/src/domain/signing";
import { reconcile } from "../../functions/src/reconcile/reconciler";
import { firestoreAgentViewStore } from "../../functions/src/store/agent-view-store";
import { firestoreRollupStore } from "../../functions/src/store/rollup-store";
import { decodeView, encodeView } from "../../functions/src/store/view-codec";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { recordingLogger } from "../support/fakes";
import { adminDb, requireEmulators } from "../support/emulators";

const PROJECT = "demo-metrics-reconcile";
requireEmulators();
const secrets = readLocalSecrets();
// The scheduled function builds its own services from the environment, as in production.
process.env.GCLOUD_PROJECT = PROJECT;
process.env.FIREBASE_CONFIG = JSON.stringify({ projectId: PROJECT });
process.env.METRICS_SIGNING_KEYRING = secrets.METRICS_SIGNING_KEYRING;
process.env.RETENTION_DAYS = "30";

const db = adminDb(PROJECT);
const keyring = parseKeyring(secrets.METRICS_SIGNING_KEYRING);
const ctx = () => ({ keyring, pricing: pricingFromConfig(null), now: () => new Date() });
const views = firestoreAgentViewStore(db);
const now = Timestamp.now();

async function truth(agentId: string) {
  const computed = await views.recompute(agentId, ctx());
  assert.ok(computed, `agent ${agentId} exists`);
  return { ...computed.sealed.data, version: 0, computedAt: "" };
}

before(async () => {
  const batch = db.batch();
  batch.set(db.doc("users/owner"), { orgId: "org-r", role: "owner" });
  batch.set(db.doc("organizations/org-r"), { name: "R" });
  for (const agent of ["tampered", "drifted", "healthy"]) batch.set(db.doc(`agents/${agent}`), { name: agent, ownerId: "owner", orgId: "org-r" });
  for (const [i, agent] of ["tampered", "tampered", "drifted", "healthy"].entries()) {
    batch.set(db.doc(`context_sources/s${i}`), { agentId: agent, type: "pdf", sizeBytes: 100 * (i + 1), tokenCount: 10, status: "ready", createdAt: now, updatedAt: now });
  }
  batch.set(db.doc("agent_interactions/i1"), { agentId: "drifted", userId: "owner", model: "claude-sonnet-4", inputTokens: 5, outputTokens: 5, latencyMs: 80, status: "success", occurredAt: now });
  batch.set(db.doc("trigger_events/old"), { processedAt: Timestamp.fromMillis(Date.now() - 40 * 86_400_000) });
  batch.set(db.doc("trigger_events/recent"), { processedAt: now });
  await batch.commit();
  for (const agent of ["tampered", "drifted", "healthy"]) await views.recompute(agent, ctx());

  // Tampered: a number changed in place, so the signature no longer verifies.
  await db.doc("agent_metrics_cache/tampered").update({ "sources.count": 999 });
  // Drifted: validly signed, but its totals disagree with source (as after a lost event).
  const drifted = decodeView((await db.doc("agent_metrics_cache/drifted").get()).data());
  assert.ok(drifted);
  const wrong = { ...drifted.sealed.data, sources: { ...drifted.sealed.data.sources, count: 7, totalBytes: 7 } };
  await db.doc("agent_metrics_cache/drifted").set(encodeView(seal(wrong, keyring, new Date()), { watermarks: drifted.watermarks }), { merge: false });
});

test("the scheduled function repairs a tampered and a drifted view, and prunes old markers", async () => {
  const { reconcileHourly } = await import("../../functions/src/index");
  const expected = { tampered: await truth("tampered"), drifted: await truth("drifted") };
  // truth() rewrote both views: plant the damage again before the run.
  await db.doc("agent_metrics_cache/tampered").update({ "sources.count": 999 });
  const drifted = decodeView((await db.doc("agent_metrics_cache/drifted").get()).data());
  assert.ok(drifted);
  await db.doc("agent_metrics_cache/drifted").set(encodeView(seal({ ...drifted.sealed.data, sources: { ...drifted.sealed.data.sources, totalBytes: 1 } }, keyring, new Date()), { watermarks: drifted.watermarks }));

  // firebase-functions-test has no v2 schedule typing and routes it through its v1 wrapper
  // (firebase-functions-test#210), so the event has the v1 shape; the reconcile does not read its event.
  const harness = functionsTest({ projectId: PROJECT });
  const wrap = harness.wrap as unknown as (fn: typeof reconcileHourly) => () => Promise<void>;
  try {
    await wrap(reconcileHourly)();
  } finally {
    harness.cleanup();
  }

  for (const agent of ["tampered", "drifted"] as const) {
    const stored = decodeView((await db.doc(`agent_metrics_cache/${agent}`).get()).data());
    assert.ok(stored && keyring.verify(stored.sealed.data, stored.sealed.signature), `${agent} is signed again`);
    assert.deepEqual({ ...stored.sealed.data, version: 0, computedAt: "" }, expected[agent], `${agent} equals a full recompute`);
  }
  assert.equal((await db.doc("trigger_events/old").get()).exists, false, "a marker past retention is deleted");
  assert.equal((await db.doc("trigger_events/recent").get()).exists, true, "a recent marker is kept");
  const org = decodeView((await db.doc("org_metrics_cache/org-r").get()).data());
  assert.equal(org?.sealed.data.agentCount, 3);
  assert.equal(org?.sealed.data.sources.count, 4);
  assert.equal((await db.doc("reconcile_state/agents").get()).get("cursor"), null, "a complete pass leaves no cursor");
});

test("a run out of time stops after a page and the next run resumes from its cursor", async () => {
  const log = recordingLogger();
  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: async () => ctx(), log };
  const first = await reconcile(deps, { budgetMs: 0, pageSize: 1, parallelism: 1, retentionDays: 30 });
  assert.equal(first.complete, false);
  assert.equal((await db.doc("reconcile_state/agents").get()).get("cursor"), "drifted");
  const second = await reconcile(deps, { budgetMs: 60_000, pageSize: 1, parallelism: 1, retentionDays: 30 });
  assert.equal(second.complete, true);
  const seen = Object.values(first.agents).reduce((a, b) => a + b, 0) + Object.values(second.agents).reduce((a, b) => a + b, 0);
  assert.equal(seen, 3, "every agent checked exactly once across the two runs");
  assert.ok(log.entries.some((e) => e.event === "reconcile.finished"));
});

test("a run over exact views finds nothing to fix: the page read agrees with a per-agent recompute", async () => {
  const log = recordingLogger();
  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: async () => ctx(), log };
  await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 });
  const again = await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 });
  assert.deepEqual(again.agents, { repaired: 0, rolled: 0, resigned: 0, unchanged: 3, gone: 0, failed: 0 });
  // And the page read still catches a drift planted after the first run.
  await db.doc("agent_metrics_cache/drifted").update({ "sources.count": 42 });
  const third = await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 });
  assert.equal(third.agents.repaired, 1);
});

test("a view whose stored owner disagrees with its agent, or that has none, is given the agent's", async () => {
  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: async () => ctx(), log: recordingLogger() };
  await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 });
  // As after a lost agent event, and as a view stored before owners were kept beside views.
  await db.doc("agent_metrics_cache/healthy").update({ _access: { ownerId: "someone-else", orgId: "org-x" } });
  await db.doc("agent_metrics_cache/drifted").update({ _access: FieldValue.delete() });
  const run = await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 });
  assert.equal(run.owners, 2);
  assert.equal(run.agents.unchanged, 3, "the views themselves are left as they were");
  for (const agent of ["healthy", "drifted"]) {
    const stored = decodeView((await db.doc(`agent_metrics_cache/${agent}`).get()).data());
    assert.deepEqual(stored?.access, { ownerId: "owner", orgId: "org-r" }, agent);
  }
  assert.equal((await reconcile(deps, { budgetMs: 60_000, pageSize: 300, parallelism: 4, retentionDays: 30 })).owners, 0);
});

test("a repair made after the view changed judges it again from a full read; an agent deleted since gets no view back", async () => {
  await db.doc("agent_metrics_cache/drifted").update({ "sources.count": 42 });
  await db.doc("agent_metrics_cache/healthy").update({ "sources.count": 42 });
  const look = await views.verdicts(["drifted", "healthy"], ctx());
  assert.deepEqual([look.get("drifted")?.verdict, look.get("healthy")?.verdict], ["repaired", "repaired"]);

  // Since that look: a source was added to "drifted" and a trigger rewrote its view from source...
  await db.doc("context_sources/late").set({ agentId: "drifted", type: "csv", sizeBytes: 7, tokenCount: 1, status: "ready", createdAt: now, updatedAt: now });
  await views.recompute("drifted", ctx());
  // ...and "healthy" was deleted, its view removed by the agent trigger.
  await db.doc("agents/healthy").delete();
  await views.followAgent("healthy");

  assert.equal(await views.reconcile("drifted", ctx(), look.get("drifted")), "unchanged", "the view is judged again, not rewritten from the look");
  const drifted = decodeView((await db.doc("agent_metrics_cache/drifted").get()).data());
  assert.equal(drifted?.sealed.data.sources.count, 2, "the source added after the look is still counted");
  assert.equal(await views.reconcile("healthy", ctx(), look.get("healthy")), "gone");
  assert.equal((await db.doc("agent_metrics_cache/healthy").get()).exists, false, "the deleted agent's view did not come back");
});
