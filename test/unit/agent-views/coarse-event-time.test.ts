/**
 * The emulator sends event times to the second, and a delete is known only by its event's time. A
 * delete in the same second as a recompute's watermark may have come before the recompute or after
 * it: the fold cannot tell, so it recomputes rather than skip (or count) it blindly. The real source
 * handler and fold run over the in-memory view database, whose clock here ticks 100 ms per commit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { seenBy } from "../../../functions/src/metrics/agent-change";
import { handleAgentDocumentWritten } from "../../../functions/src/triggers/agent-document-written";
import { agentViewsOver } from "../../../functions/src/agent-views/agent-views";
import { MemoryViewDatabase } from "../../support/memory-view-database";
import { eventFor } from "../../support/view-model";
import { recordingLogger } from "../../support/fakes";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("coarse-time-test")));
const secondsOnly = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

async function setup() {
  const db = new MemoryViewDatabase(new Date("2026-11-23T10:00:00.000Z"), 100);
  db.agents.set("agent-1", { ownerId: "alice", orgId: "acme" });
  const ctx = { keyring, now: () => db.now() };
  const views = agentViewsOver(db);
  const handle = handleAgentDocumentWritten("source", { views, folds: { request: async () => undefined }, log: recordingLogger() });
  const now = db.now();
  const create = (docId: string) => db.write("source", docId, { agentId: "agent-1", type: "pdf", sizeBytes: 1234, tokenCount: 56, status: "ready", createdAt: now, updatedAt: now });
  return { db, ctx, views, handle, create };
}

for (const order of ["after", "before"] as const) {
  test(`a delete known only to the second, ${order} a recompute in that second, is counted once`, async () => {
    const { db, ctx, views, handle, create } = await setup();
    create("doc-1");
    create("doc-2");
    db.takeWrites(); // their create events are not delivered: the recompute reads the documents
    if (order === "before") db.write("source", "doc-1", null);
    await views.recompute("agent-1", ctx);
    if (order === "after") db.write("source", "doc-1", null);
    const [deleted] = db.takeWrites();
    const watermark = (await views.read("agent-1"))?.watermark ?? null;
    assert.ok(watermark && secondsOnly(deleted.committedAt) === secondsOnly(watermark), "the delete and the recompute share a second");
    await handle({ ...eventFor(deleted, "event-delete"), time: secondsOnly(deleted.committedAt) });
    const folded = await views.fold("agent-1", ctx);
    assert.equal(folded.reason, "unsure", "the fold recomputed rather than guess");
    assert.equal((await views.read("agent-1"))?.sealed.data.sources.count, 1);
  });
}

test("a change is judged against a watermark by its time, and only a coarse time can leave it unsure", () => {
  const watermark = new Date("2026-11-23T10:00:00.500Z");
  const at = (iso: string) => new Date(`2026-11-23T10:00:${iso}Z`);
  assert.equal(seenBy({ committedAt: at("00.400") }, watermark), "read");
  assert.equal(seenBy({ committedAt: at("00.500") }, watermark), "read");
  assert.equal(seenBy({ committedAt: at("00.501") }, watermark), "after");
  assert.equal(seenBy({ committedAt: at("00.400") }, null), "after", "no recompute yet: every change is new");
  assert.equal(seenBy({ committedAt: at("00.000"), committedBefore: at("01.000") }, watermark), "unsure");
  assert.equal(seenBy({ committedAt: at("00.000"), committedBefore: at("01.000") }, new Date("2026-11-23T10:00:00.999Z")), "read");
  assert.equal(seenBy({ committedAt: at("01.000"), committedBefore: at("02.000") }, watermark), "after");
});
