/**
 * What the rules admit is what the views count (issue #26): documents written through the Firestore
 * web SDK under firestore.rules at every bound are counted exactly by the real triggers; documents
 * that no rule would admit but the Admin SDK can still write cost a bounded number of reads per fold
 * and one recompute in the audit, not one every pass; and no time a client can send reaches a 5xx.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { deleteApp, initializeApp as initializeWebApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import { connectFirestoreEmulator, doc, getFirestore, setDoc, setLogLevel, Timestamp as WebTimestamp, writeBatch } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { MAX_LATENCY_MS, MAX_SOURCE_BYTES, MAX_SOURCE_TOKENS, MAX_TOKENS_PER_INTERACTION, MODEL_MAX_LENGTH } from "../../functions/src/contract/document-bounds";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { MAX_EXTREME_CANDIDATES } from "../../functions/src/agent-views/latest-finder";
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from "../../functions/src/reconcile/reconciler";
import { firestoreRollupStore } from "../../functions/src/rollups/rollup-store";
import { decodeView } from "../../functions/src/agent-views/view-codec";
import { handleAgentDocumentWritten } from "../../functions/src/triggers/agent-document-written";
import { parseKeyring } from "../../functions/src/signing/signing";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { installReadCounter, withTally } from "../load/read-counter";
import { recordingLogger } from "../support/fakes";
import { writeWithEvent } from "../support/written-event";
import { adminAuth, adminDb, apiBaseUrl, clearProject, eventually, keyedCaller, PROJECT_ID, requireEmulators, signUp, unique } from "../support/emulators";

requireEmulators();
const ISOLATED = "demo-metrics-integrity";
const keyring = parseKeyring(readLocalSecrets().METRICS_SIGNING_KEYRING);
const ctx = () => ({ keyring, now: () => new Date() });

let web: FirebaseApp | undefined;
after(async () => {
  if (web) await deleteApp(web);
});

test("every document the rules admit, written through the web SDK at the bounds, is counted exactly in the view", async () => {
  const owner = unique("bounds-owner");
  const agentId = unique("bounds-agent");
  const email = `${owner}@bounds.test`;
  await adminAuth().createUser({ uid: owner, email, password: "bounds-password" });
  const db = adminDb();
  await db.doc(`users/${owner}`).set({ orgId: unique("org"), role: "owner" });
  await db.doc(`agents/${agentId}`).set({ name: "bounds", ownerId: owner, orgId: "org-bounds" });

  web = initializeWebApp({ projectId: PROJECT_ID, apiKey: "demo-key" }, unique("web"));
  const auth = getAuth(web);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  setLogLevel("error");
  const client = getFirestore(web);
  const [host, port] = String(process.env.FIRESTORE_EMULATOR_HOST).split(":");
  connectFirestoreEmulator(client, host, Number(port));
  await signInWithEmailAndPassword(auth, email, "bounds-password");

  const now = WebTimestamp.now();
  const interactions = [
    {
      inputTokens: MAX_TOKENS_PER_INTERACTION,
      outputTokens: MAX_TOKENS_PER_INTERACTION,
      cacheReadTokens: MAX_TOKENS_PER_INTERACTION,
      cacheWriteTokens: MAX_TOKENS_PER_INTERACTION,
      reasoningTokens: MAX_TOKENS_PER_INTERACTION,
      latencyMs: MAX_LATENCY_MS,
      timeToFirstTokenMs: MAX_LATENCY_MS,
      model: "m".repeat(MODEL_MAX_LENGTH),
    },
    { inputTokens: 0, outputTokens: 0, latencyMs: 0, model: "😀".repeat(MODEL_MAX_LENGTH / 2), occurredAt: WebTimestamp.fromDate(new Date("0001-01-01T00:00:00Z")) },
    { inputTokens: 7, outputTokens: 3, cacheWriteTokens: 0, reasoningTokens: 3, latencyMs: 0.25, timeToFirstTokenMs: 0, model: "gpt-4o", status: "timeout" },
  ];
  const batch = writeBatch(client);
  interactions.forEach((changes, i) =>
    batch.set(doc(client, `agent_interactions/${agentId}-i${i}`), { agentId, userId: owner, status: "success", occurredAt: now, ...changes }),
  );
  batch.set(doc(client, `context_sources/${agentId}-s0`), { agentId, type: "pdf", sizeBytes: MAX_SOURCE_BYTES, tokenCount: MAX_SOURCE_TOKENS, status: "ready", createdAt: now, updatedAt: now });
  batch.set(doc(client, `context_sources/${agentId}-s1`), { agentId, type: "text", sizeBytes: 0, tokenCount: 0, status: "failed", createdAt: now, updatedAt: now });
  await batch.commit();
  // One more through a plain write, as an app writes one document at a time.
  await setDoc(doc(client, `agent_interactions/${agentId}-i3`), { agentId, userId: owner, model: "gpt-4o", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "error", occurredAt: now });

  const view = await eventually(
    async () => decodeView((await db.doc(`agent_metrics_cache/${agentId}`).get()).data())?.sealed.data,
    (data) => data?.interactions.count === 4 && data.sources.count === 2,
    60_000,
  );
  assert.ok(view);
  assert.equal(view.interactions.inputTokens, MAX_TOKENS_PER_INTERACTION + 0 + 7 + 1);
  assert.equal(view.interactions.outputTokens, MAX_TOKENS_PER_INTERACTION + 0 + 3 + 1);
  assert.equal(view.interactions.cacheReadTokens, MAX_TOKENS_PER_INTERACTION);
  assert.equal(view.interactions.cacheWriteTokens, MAX_TOKENS_PER_INTERACTION);
  assert.equal(view.interactions.reasoningTokens, MAX_TOKENS_PER_INTERACTION + 3);
  assert.equal(view.interactions.timeToFirstTokenMs.count, 2, "the two calls that report a time to first token");
  assert.ok(Math.abs(view.interactions.timeToFirstTokenMs.p95 - MAX_LATENCY_MS) / MAX_LATENCY_MS <= 0.02);
  assert.equal(view.interactions.errorCount, 2);
  assert.equal(view.interactions.latencyMs.max, MAX_LATENCY_MS);
  assert.equal(view.sources.totalBytes, MAX_SOURCE_BYTES);
  assert.equal(view.sources.totalTokens, MAX_SOURCE_TOKENS);
  assert.deepEqual(view.sources.byStatus, { processing: 0, ready: 1, failed: 1 });
});

/** An interaction no rule admits (too many tokens) that sorts first in both extremes queries. */
const unparseable = (agentId: string, at: Date) => ({ agentId, userId: "u", model: "m", inputTokens: 2_000_000_000, outputTokens: 1, latencyMs: MAX_LATENCY_MS, status: "success", occurredAt: Timestamp.fromDate(at) });

test("1,000 documents that do not parse and sort first: the next fold reads a fixed number of documents, and the audit recomputes the agent once, not every pass", async (t) => {
  await clearProject(ISOLATED);
  const db = adminDb(ISOLATED);
  const log = recordingLogger();
  const views = firestoreAgentViewStore(db, log);
  const agentId = "junk-agent";
  await db.doc(`agents/${agentId}`).set({ name: "junk", ownerId: "owner", orgId: "org" });
  await db.doc("agent_interactions/valid-1").set({ agentId, userId: "u", model: "m", inputTokens: 5, outputTokens: 5, latencyMs: 500, status: "success", occurredAt: Timestamp.fromDate(new Date(Date.now() - 60_000)) });
  await views.recompute(agentId, ctx());
  for (let start = 0; start < 1000; start += 500) {
    const batch = db.batch();
    for (let i = start; i < start + 500; i++) batch.set(db.doc(`agent_interactions/junk-${i}`), unparseable(agentId, new Date(Date.now() + 60_000)));
    await batch.commit();
  }

  // A valid interaction arrives through the trigger; the fold that takes it searches the extremes.
  const handle = handleAgentDocumentWritten("interaction", { views, folds: { request: async () => undefined }, log });
  await handle(await writeWithEvent(db.doc("agent_interactions/valid-2"), { agentId, userId: "u", model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 200, status: "success", occurredAt: Timestamp.now() }));
  installReadCounter();
  const { result, reads } = await withTally(async (finish) => {
    const result = await views.fold(agentId, ctx());
    return { result, reads: finish() };
  });
  // The view, the agent, the deltas, and two bounded searches; 1,000 documents would be 400 pages of 5 before.
  const bound = 2 * MAX_EXTREME_CANDIDATES + 10;
  t.diagnostic(`the fold after 1,000 unparseable documents read ${reads} documents (bound ${bound})`);
  assert.ok(reads <= bound, `the fold read ${reads} documents (bound ${bound})`);
  assert.equal(result.extremesBounded, true);
  const data = result.view?.sealed.data;
  assert.equal(data?.interactions.count, 2, "the two valid interactions, and none of the 1,000");
  assert.equal(data?.interactions.latencyMs.max, 500, "the largest valid latency, kept from the view");

  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: ctx, log };
  const options = { ...DEFAULT_RECONCILE_OPTIONS, budgetMs: 60_000, parallelism: 2, passesPerAudit: 1 };
  const first = await reconcile(deps, options);
  assert.equal(first.audited, 1);
  assert.equal(first.unexplained + first.repaired.drift, 1, JSON.stringify(first));
  const version = decodeView((await db.doc(`agent_metrics_cache/${agentId}`).get()).data())?.sealed.data.version;
  for (let pass = 0; pass < 2; pass++) {
    const steady = await reconcile(deps, options);
    assert.equal(steady.known, 1, JSON.stringify(steady));
    assert.deepEqual([steady.unexplained, steady.repaired], [0, { behind: 0, drift: 0 }]);
  }
  assert.equal(decodeView((await db.doc(`agent_metrics_cache/${agentId}`).get()).data())?.sealed.data.version, version, "no recompute wrote a revision");

  // Removing some of them changes the difference: the audit looks again, once.
  const batch = db.batch();
  for (let i = 0; i < 10; i++) batch.delete(db.doc(`agent_interactions/junk-${i}`));
  await batch.commit();
  const changed = await reconcile(deps, options);
  assert.equal(changed.known, 0);
  assert.equal((await reconcile(deps, options)).known, 1);
});

test("times a client can send: year 0, year 10000 and offsets that cross year 1 are refused per item, the others stored, no 5xx", async () => {
  const base = await apiBaseUrl();
  const owner = unique("times-owner");
  const agentId = unique("times-agent");
  const token = await signUp(owner);
  const db = adminDb();
  await db.doc(`users/${owner}`).set({ orgId: "org-times", role: "owner" });
  await db.doc(`agents/${agentId}`).set({ name: "times", ownerId: owner, orgId: "org-times" });
  const created = await fetch(`${base}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "times", permissions: ["write:interactions", "read:agent-metrics"] }),
  });
  const key = ((await created.json()) as { key: string }).key;
  const call = keyedCaller(() => ({ base, token, key }));

  const times = [
    "0000-06-15T12:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "10000-01-01T00:00:00Z",
    "+010000-01-01T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:30:00-01:00",
    new Date(Date.now() - 1000).toISOString(),
  ];
  const items = times.map((occurredAt, i) => ({ id: `t-${i}`, model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt }));
  // Past one chunk, so the refused items sit in a request whose good items span two commits.
  const filler = Array.from({ length: 600 }, (_, i) => ({ id: `f-${i}`, model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: new Date(Date.now() - 2000).toISOString() }));
  const answer = await call(`/v1/agents/${agentId}/interactions`, { method: "POST", body: { interactions: [...items, ...filler] } });
  assert.equal(answer.status, 202, answer.text);
  assert.deepEqual(answer.body.rejected.map((r: { index: number }) => r.index), [0, 1, 2, 3, 4]);
  for (const rejection of answer.body.rejected) assert.match(rejection.reason, /^occurredAt: /);
  assert.equal(answer.body.accepted, 3 + 600);

  const stored = (await db.collection("agent_interactions").where("agentId", "==", agentId).count().get()).data().count;
  assert.equal(stored, 603, "exactly the accepted items are stored");
  const view = await eventually(() => call(`/v1/agents/${agentId}/metrics`, { fresh: true }), (r) => r.body?.data?.interactions?.count === 603);
  assert.equal(view.body.data.interactions.count, 603);
});
