/**
 * The hourly reconcile against the Firestore emulator, in a project id of its own (no trigger fires
 * there and no other suite writes there), so every difference it finds was planted by this test: the
 * deployed scheduled function through firebase-functions-test's `wrap()`, then `reconcile` itself to
 * show what each kind of damage costs and how "behind" is told from "drift".
 */
import { beforeEach, test } from "node:test";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import assert from "node:assert/strict";
import functionsTest from "firebase-functions-test";
import { Timestamp } from "firebase-admin/firestore";
import { seal } from "../../functions/src/metrics/metrics-view";
import { parseKeyring } from "../../functions/src/signing/signing";
import { DEFAULT_RECONCILE_OPTIONS, reconcile, type ReconcileOptions } from "../../functions/src/reconcile/reconciler";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { firestoreRollupStore } from "../../functions/src/rollups/rollup-store";
import { decodeView } from "../../functions/src/agent-views/view-codec";
import { handleAgentDocumentWritten } from "../../functions/src/triggers/agent-document-written";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { recordingLogger } from "../support/fakes";
import { writeWithEvent } from "../support/written-event";
import { adminDb, clearProject, requireEmulators } from "../support/emulators";

const PROJECT = "demo-metrics-reconcile";
requireEmulators();
const secrets = readLocalSecrets();
// The scheduled function builds its own services from the environment, as in production.
process.env.GCLOUD_PROJECT = PROJECT;
process.env.FIREBASE_CONFIG = JSON.stringify({ projectId: PROJECT });
process.env.METRICS_SIGNING_KEYRING = secrets.METRICS_SIGNING_KEYRING;

const db = adminDb(PROJECT);
const keyring = parseKeyring(secrets.METRICS_SIGNING_KEYRING);
const ctx = () => ({ keyring, now: () => new Date() });
const log = recordingLogger();
const views = firestoreAgentViewStore(db, log);
const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: ctx, log };
const AGENTS = ["a-behind", "a-drifted", "a-healthy", "a-moved", "a-tampered"];
const options = (changes: Partial<ReconcileOptions> = {}): ReconcileOptions => ({ ...DEFAULT_RECONCILE_OPTIONS, budgetMs: 60_000, parallelism: 2, passesPerAudit: 1, ...changes });
const stored = async (agentId: string) => decodeView((await db.doc(`agent_metrics_cache/${agentId}`).get()).data());

/** Sets a view's totals to what a lost event would leave, validly signed. */
async function plantDrift(agentId: string, totalBytes: number) {
  const view = await stored(agentId);
  assert.ok(view);
  const wrong = { ...view.sealed.data, sources: { ...view.sealed.data.sources, totalBytes } };
  await db.doc(`agent_metrics_cache/${agentId}`).update({ ...wrong, signature: seal(wrong, keyring, new Date()).signature });
}

beforeEach(async () => {
  await clearProject(PROJECT);
  const now = Timestamp.now();
  const batch = db.batch();
  batch.set(db.doc("users/owner"), { orgId: "org-r", role: "owner" });
  batch.set(db.doc("organizations/org-r"), { name: "R" });
  for (const agent of AGENTS) batch.set(db.doc(`agents/${agent}`), { name: agent, ownerId: "owner", orgId: "org-r" });
  AGENTS.forEach((agent, i) => batch.set(db.doc(`context_sources/s-${agent}`), { agentId: agent, type: "pdf", sizeBytes: 100 * (i + 1), tokenCount: 10, status: "ready", createdAt: now, updatedAt: now }));
  batch.set(db.doc("agent_interactions/i1"), { agentId: "a-drifted", userId: "owner", model: "claude-sonnet-4", inputTokens: 5, outputTokens: 5, latencyMs: 80, status: "success", occurredAt: now });
  await batch.commit();
  for (const agent of AGENTS) await views.recompute(agent, ctx());
  log.entries.length = 0;
});

/** Plants one of each kind of damage: tampered, drifted (a lost event), behind (a delta not folded), moved. */
async function plantDamage() {
  await db.doc("agent_metrics_cache/a-tampered").update({ "sources.count": 999 });
  await plantDrift("a-drifted", 7);
  // A recorded delta whose fold request was lost.
  const handle = handleAgentDocumentWritten("source", { views, folds: { request: async () => undefined }, log });
  const now = Timestamp.now();
  await handle(await writeWithEvent(db.doc("context_sources/s-late"), { agentId: "a-behind", type: "csv", sizeBytes: 7, tokenCount: 1, status: "ready", createdAt: now, updatedAt: now }));
  // A lost agent event: the agent moved, its view still names the old owner.
  await db.doc("agents/a-moved").update({ ownerId: "someone-else" });
}

test("the scheduled function repairs tampered, drifted and behind views, moves an owner, refolds the rollup, and prunes", async () => {
  await plantDamage();
  await db.doc("agent_metrics_cache/a-healthy/deltas/old").set({ kind: "event", applied: true, expireAt: Timestamp.fromMillis(Date.now() - 1000) });
  // Usage records expire by the same rule: their expireAt, written RETENTION_DAYS ahead.
  await db.doc(`${COLLECTIONS.apiKeyUsage}/expired`).set({ keyId: "key_AAAAAAAAAAAAAAAA", lastAt: Timestamp.fromMillis(Date.now() - 31 * 86_400_000), expireAt: Timestamp.fromMillis(Date.now() - 1000) });
  await db.doc(`${COLLECTIONS.apiKeyUsage}/kept`).set({ keyId: "key_AAAAAAAAAAAAAAAA", lastAt: Timestamp.now(), expireAt: Timestamp.fromMillis(Date.now() + 86_400_000) });
  const { reconcileHourly } = await import("../../functions/src/index");
  // firebase-functions-test has no v2 schedule typing and routes it through its v1 wrapper
  // (firebase-functions-test#210), so the event has the v1 shape; the reconcile does not read its event.
  const harness = functionsTest({ projectId: PROJECT });
  const wrap = harness.wrap as unknown as (fn: typeof reconcileHourly) => () => Promise<void>;
  try {
    await wrap(reconcileHourly)();
  } finally {
    harness.cleanup();
  }
  const expectedBytes = { "a-tampered": 500, "a-drifted": 200, "a-behind": 107, "a-healthy": 300 };
  for (const [agent, bytes] of Object.entries(expectedBytes)) {
    const view = await stored(agent);
    assert.ok(view && keyring.verify(view.sealed.data, view.sealed.signature, "view"), `${agent} is signed`);
    assert.equal(view.sealed.data.sources.totalBytes, bytes, agent);
  }
  assert.equal((await stored("a-tampered"))?.sealed.data.sources.count, 1);
  const moved = (await stored("a-moved"))?.access;
  assert.deepEqual(moved && { ownerId: moved.ownerId, orgId: moved.orgId }, { ownerId: "someone-else", orgId: "org-r" });
  assert.equal((await db.doc("agent_metrics_cache/a-healthy/deltas/old").get()).exists, false, "a delta past its expiry is deleted");
  assert.deepEqual([(await db.doc(`${COLLECTIONS.apiKeyUsage}/expired`).get()).exists, (await db.doc(`${COLLECTIONS.apiKeyUsage}/kept`).get()).exists], [false, true], "a usage record past its expiry is deleted, a current one kept");
  const org = decodeView((await db.doc("org_metrics_cache/org-r").get()).data());
  assert.deepEqual([org?.sealed.data.agentCount, org?.sealed.data.sources.totalBytes], [5, 1507]);
});

test("an audit tells a view that is behind (deltas waiting) from one that drifted, and pays for a recompute only on drift", async () => {
  await plantDamage();
  const report = await reconcile(deps, options({ unfoldedAfterMs: 3_600_000 }));
  assert.deepEqual(report.repaired, { behind: 1, drift: 2 });
  assert.equal(report.moved, 1);
  const causes = Object.fromEntries(log.entries.filter((e) => e.event === "reconcile.repaired").map((e) => [e.fields?.agentId, e.fields?.cause]));
  assert.deepEqual(causes, { "a-behind": "behind", "a-drifted": "drift", "a-tampered": "signature" });
  // A steady pass afterwards: everything agrees, and nothing is folded or written.
  const versions = await Promise.all(AGENTS.map(async (a) => (await stored(a))?.sealed.data.version));
  log.entries.length = 0;
  const steady = await reconcile(deps, options());
  const noted = JSON.stringify(log.entries.filter((e) => e.level !== "info" || e.event !== "reconcile.finished"));
  assert.deepEqual([steady.repaired, steady.moved, steady.unexplained, steady.failed], [{ behind: 0, drift: 0 }, 0, 0, 0], noted);
  assert.deepEqual(await Promise.all(AGENTS.map(async (a) => (await stored(a))?.sealed.data.version)), versions);
});

test("a drift in an agent nothing changed heals within one cycle of passes (a day of hourly passes, here five)", async () => {
  await reconcile(deps, options({ passesPerAudit: 5 })); // the views were just written: the change feed looks at them once
  await plantDrift("a-healthy", 1);
  const healedAfter: number[] = [];
  let audited = 0;
  for (let pass = 1; pass <= 5; pass++) {
    const report = await reconcile(deps, options({ passesPerAudit: 5 }));
    audited += report.audited;
    if (report.repaired.drift > 0) healedAfter.push(pass);
  }
  assert.equal(healedAfter.length, 1, "found exactly once in the cycle");
  // Each pass audits its slice of one agent; the pass after the repair also audits the repaired view.
  assert.ok(audited <= 6, `${audited} audits in five passes over five agents`);
  assert.equal((await stored("a-healthy"))?.sealed.data.sources.totalBytes, 300);
});

test("the change feed audits a view changed since the last pass at once, outside its slice", async () => {
  await reconcile(deps, options({ passesPerAudit: 5 }));
  await plantDrift("a-behind", 3);
  await db.doc("agent_metrics_cache/a-behind").update({ "_sync.changedAt": Timestamp.now() });
  const report = await reconcile(deps, options({ passesPerAudit: 5 }));
  assert.equal(report.audited, 2, "its slice of one, and the changed view");
  assert.equal(report.repaired.drift, 1);
});

test("a pass out of time keeps its cursor and change feed for the next", async () => {
  const first = await reconcile(deps, options({ budgetMs: -1, passesPerAudit: 5 }));
  assert.equal(first.complete, false);
  assert.equal((await db.doc("reconcile_state/agents").get()).get("auditCursor") ?? null, null, "the slice was not done: the cursor stays");
  const second = await reconcile(deps, options({ passesPerAudit: 5 }));
  assert.equal(second.complete, true);
  assert.equal((await db.doc("reconcile_state/agents").get()).get("auditCursor"), "a-behind");
});

test("windows due to roll are re-rendered from the view's own state", async () => {
  const HOUR = 3_600_000;
  await db.doc("agent_interactions/i-roll").set({ agentId: "a-healthy", userId: "owner", model: "gpt-4o", inputTokens: 1, outputTokens: 1, latencyMs: 50, status: "success", occurredAt: Timestamp.fromMillis(Date.now() - 3 * HOUR) });
  // Rendered two and a half hours ago, when that interaction was half an hour old.
  const past = new Date(Date.now() - 2.5 * HOUR);
  await views.recompute("a-healthy", { keyring, now: () => past });
  assert.equal((await stored("a-healthy"))?.sealed.data.windows["1h"].count, 1);
  const report = await reconcile(deps, options());
  assert.equal(report.rolled, 1);
  const windows = (await stored("a-healthy"))?.sealed.data.windows;
  assert.deepEqual([windows?.["1h"].count, windows?.["24h"].count], [0, 1], "the interaction left the last hour, not the last day");
  const next = (await db.doc("agent_metrics_cache/a-healthy").get()).get("_sync.rollAt") as Timestamp;
  assert.ok(next.toMillis() > Date.now(), "the next roll is in the future");
});
