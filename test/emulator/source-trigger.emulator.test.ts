/**
 * The source trigger's handler driven by hand against the Firestore emulator, in a project where no
 * deployed trigger fires, so each test decides exactly which deliveries happen: duplicates,
 * out-of-order deliveries and a recompute racing the events it already includes. Each delivery's fold
 * runs as soon as it is asked for, so a test sees the view as of its last delivery.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Timestamp } from "firebase-admin/firestore";
import { generateKeyringSecret, parseKeyring } from "../../functions/src/signing/signing";
import { firestoreAgentViewStore, firestoreViewDatabase } from "../../functions/src/agent-views/agent-view-store";
import { agentViewsOver } from "../../functions/src/agent-views/agent-views";
import { handleAgentDocumentWritten } from "../../functions/src/triggers/agent-document-written";
import { recordingLogger } from "../support/fakes";
import { failingOnce } from "../support/failing-database";
import { writeWithEvent as write } from "../support/written-event";
import { adminDb, ISOLATED_PROJECT_ID, unique } from "../support/emulators";

const db = adminDb(ISOLATED_PROJECT_ID);
const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("trigger-test")));
const log = recordingLogger();
const views = firestoreAgentViewStore(db, log);
const ctx = () => ({ keyring, now: () => new Date() });
const folds = { request: async (agentId: string) => void (await views.fold(agentId, ctx())) };
const handle = handleAgentDocumentWritten("source", { views, folds, log });

/** The view equals a full recompute of its agent's documents. */
async function assertExact(agentId: string) {
  const stored = await views.read(agentId);
  const recomputed = await views.recompute(agentId, ctx());
  assert.deepEqual(stored?.sealed.data.sources, recomputed?.sealed.data.sources, "the view equals a full recompute");
}

/** Creates an agent document (views exist only for agents that exist) and returns its id. */
async function newAgent(): Promise<string> {
  const id = unique("agent");
  await db.doc(`agents/${id}`).set({ name: id, ownerId: "owner", orgId: "org" });
  return id;
}


function source(agentId: string, sizeBytes: number, extra: Record<string, unknown> = {}) {
  const now = Timestamp.now();
  return { agentId, type: "text", sizeBytes, tokenCount: 1, status: "ready", createdAt: now, updatedAt: now, ...extra };
}

async function sources(agentId: string) {
  const stored = await views.read(agentId);
  assert.ok(stored, "the view exists");
  assert.equal(keyring.verify(stored.sealed.data, stored.sealed.signature, "view"), true, "the stored view is signed");
  return stored.sealed.data.sources;
}

for (const failure of ["before-commit", "after-commit"] as const) {
  test(`a trigger that fails ${failure.replace("-", " the ")} is retried with the same event and counts the document once`, async () => {
    const agent = await newAgent();
    // The view exists first, so the write below is applied as a delta, not absorbed by a recompute.
    await handle(await write(db.collection("context_sources").doc(unique("s")), source(agent, 5)));
    const event = await write(db.collection("context_sources").doc(unique("s")), source(agent, 100));
    const failing = handleAgentDocumentWritten("source", { views: agentViewsOver(failingOnce(firestoreViewDatabase(db, log), failure)), folds, log });
    await assert.rejects(failing(event), "the failed attempt throws, so Cloud Functions retries it");
    await failing(event);
    await handle(event); // a further redelivery
    const { count, totalBytes } = await sources(agent);
    assert.deepEqual({ count, totalBytes }, { count: 2, totalBytes: 105 });
    await assertExact(agent);
  });
}

test("a redelivered event changes nothing", async () => {
  const agent = await newAgent();
  const first = await write(db.collection("context_sources").doc(unique("s")), source(agent, 10));
  const second = await write(db.collection("context_sources").doc(unique("s")), source(agent, 20));
  await handle(first);
  await handle(second);
  await handle(second);
  await handle(first);
  assert.deepEqual({ count: (await sources(agent)).count, totalBytes: (await sources(agent)).totalBytes }, { count: 2, totalBytes: 30 });
});

test("events delivered in reverse order converge to the truth", async () => {
  const agent = await newAgent();
  const ref = db.collection("context_sources").doc(unique("s"));
  const other = await write(db.collection("context_sources").doc(unique("s")), source(agent, 5));
  await handle(other); // the view exists before the out-of-order events arrive
  const created = await write(ref, source(agent, 100));
  const updated = await write(ref, source(agent, 300, { type: "pdf" }));
  const deleted = await write(ref, null);
  for (const event of [deleted, updated, created]) await handle(event);
  const block = await sources(agent);
  assert.equal(block.count, 1);
  assert.equal(block.totalBytes, 5);
  assert.equal(block.byType.pdf, 0);
  assert.equal(block.byType.text, 1);
});

test("a source moved to another agent leaves one view and joins the other", async () => {
  const from = await newAgent();
  const to = await newAgent();
  const ref = db.collection("context_sources").doc(unique("s"));
  await handle(await write(ref, source(from, 70)));
  await handle(await write(db.collection("context_sources").doc(unique("s")), source(to, 1)));
  await handle(await write(ref, source(to, 70)));
  assert.equal((await sources(from)).count, 0);
  assert.deepEqual([(await sources(to)).count, (await sources(to)).totalBytes], [2, 71]);
});

test("a recompute is not double counted by the late events of writes it already saw", async () => {
  const agent = await newAgent();
  const events = [];
  for (let i = 1; i <= 3; i++) events.push(await write(db.collection("context_sources").doc(unique("s")), source(agent, i * 10)));
  await views.recompute(agent, ctx());
  for (const event of events) await handle(event);
  const late = await write(db.collection("context_sources").doc(unique("s")), source(agent, 1000));
  await handle(late);
  const block = await sources(agent);
  assert.deepEqual([block.count, block.totalBytes], [4, 1060]);
});

test("a malformed document is skipped and logged, and never breaks the view", async () => {
  const agent = await newAgent();
  await handle(await write(db.collection("context_sources").doc(unique("s")), source(agent, 8)));
  const bad = db.collection("context_sources").doc(unique("s"));
  for (const data of [source(agent, -5), source(agent, 5, { status: "exploded" }), source(agent, 5, { type: "__proto__" }), { agentId: agent, sizeBytes: "big" }]) {
    await handle(await write(bad, data));
  }
  const block = await sources(agent);
  assert.deepEqual([block.count, block.totalBytes], [1, 8]);
  assert.ok(log.entries.some((e) => e.event === "source.invalid"));
  await assertExact(agent); // a full recompute leaves it out too
});

test("a view whose signature was tampered with is rebuilt from source, not used as a base", async () => {
  const agent = await newAgent();
  await handle(await write(db.collection("context_sources").doc(unique("s")), source(agent, 40)));
  await db.doc(`agent_metrics_cache/${agent}`).update({ "sources.count": 50 });
  await handle(await write(db.collection("context_sources").doc(unique("s")), source(agent, 2)));
  const block = await sources(agent);
  assert.deepEqual([block.count, block.totalBytes], [2, 42]);
});

test("a run of malformed newer documents does not hide the newest valid one from lastAddedAt", async () => {
  const agent = await newAgent();
  const valid = db.collection("context_sources").doc(unique("s"));
  const createdAt = Timestamp.fromDate(new Date("2026-01-05T00:00:00Z"));
  await handle(await write(valid, source(agent, 10, { createdAt })));
  // More malformed documents than one page of candidates, all created later than the valid one.
  for (let i = 0; i < 7; i++) await write(db.collection("context_sources").doc(unique("s")), source(agent, -1));
  await handle(await write(valid, source(agent, 11, { createdAt })));
  const block = await sources(agent);
  assert.deepEqual([block.count, block.totalBytes, block.lastAddedAt], [1, 11, "2026-01-05T00:00:00.000Z"]);
});

test("an event for a deleted agent records itself and brings no view back", async () => {
  const agent = await newAgent();
  const ref = db.collection("context_sources").doc(unique("s"));
  await handle(await write(ref, source(agent, 10)));
  assert.equal((await sources(agent)).count, 1);
  await db.doc(`agents/${agent}`).delete();
  assert.equal((await views.fold(agent, ctx())).outcome, "removed");
  // The app cleans up the agent's documents afterwards: their events must not recreate the view.
  const late = await write(ref, null);
  await handle(late);
  assert.equal(await views.read(agent), null);
  const marker = await db.doc(`agent_metrics_cache/${agent}/deltas/${late.id}`).get();
  assert.equal(marker.get("applied"), true, "the event is recorded as handled");
});

test("a transaction whose caller gave up stops before its next attempt and writes nothing", async () => {
  const agent = await newAgent();
  await db.collection("context_sources").doc(unique("s")).set(source(agent, 10));
  let asked = 0;
  const abandoned = () => ++asked > 0;
  await assert.rejects(views.recompute(agent, ctx(), { abandoned }), (error: Error) => error.name === "Abandoned");
  assert.equal(asked, 1, "asked once, and not retried");
  assert.equal(await views.read(agent), null, "nothing was written");
  assert.ok(await views.recompute(agent, ctx(), { abandoned: () => false }), "a caller still waiting gets its view");
});
