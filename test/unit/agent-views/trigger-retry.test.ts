/**
 * A trigger that throws is retried by Cloud Functions with the same event, and a fold that throws is
 * run again by Cloud Tasks; either retry must count the document once, whether the failed attempt died
 * before its write committed or after (the commit landed but the function failed, e.g. on a lost
 * acknowledgement). The real source handler and fold run over the in-memory view database, with the
 * first record or fold made to fail either way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { handleAgentDocumentWritten } from "../../../functions/src/triggers/agent-document-written";
import { agentViewsOver } from "../../../functions/src/agent-views/agent-views";
import { MemoryViewDatabase } from "../../support/memory-view-database";
import { eventFor } from "../../support/view-model";
import { recordingLogger } from "../../support/fakes";
import { failingOnce, type Failure } from "../../support/failing-database";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("retry-test")));

async function setup(failure: Failure, what: "record" | "fold") {
  const db = new MemoryViewDatabase(new Date("2026-11-23T10:00:00Z"));
  db.agents.set("agent-1", { ownerId: "alice", orgId: "acme" });
  const ctx = { keyring, now: () => db.now() };
  const failing = agentViewsOver(failingOnce(db, failure, what));
  const requested: string[] = [];
  const handler = handleAgentDocumentWritten("source", { views: failing, folds: { request: async (agentId) => void requested.push(agentId) }, log: recordingLogger() });
  const exact = agentViewsOver(db);
  // The agent has a view already, so the write below is applied as a delta, not absorbed by a recompute.
  await exact.recompute("agent-1", ctx);
  const now = db.now();
  db.write("source", "doc-1", { agentId: "agent-1", type: "pdf", sizeBytes: 1234, tokenCount: 56, status: "ready", createdAt: now, updatedAt: now });
  const [write] = db.takeWrites();
  return { ctx, handler, write, exact, failing, requested };
}

async function assertCountedOnce(exact: ReturnType<typeof agentViewsOver>, ctx: { keyring: typeof keyring; now: () => Date }) {
  await exact.fold("agent-1", ctx);
  const view = await exact.read("agent-1");
  assert.equal(view?.sealed.data.sources.count, 1);
  assert.equal(view?.sealed.data.sources.totalBytes, 1234);
  const recomputed = await exact.recompute("agent-1", ctx);
  assert.equal(recomputed?.sealed.data.sources.count, 1, "a full recompute agrees");
}

for (const failure of ["before-commit", "after-commit"] as const) {
  test(`a source trigger that fails ${failure.replace("-", " the ")} and is retried counts the document once`, async () => {
    const { handler, write, exact, ctx, requested } = await setup(failure, "record");
    const event = eventFor(write, "event-1");
    await assert.rejects(handler(event), "the failed attempt throws, so Cloud Functions retries it");
    await handler(event);
    await handler(event); // a further redelivery of the same event
    assert.ok(requested.includes("agent-1"), "the retry asks for a fold even when it finds the delta recorded");
    await assertCountedOnce(exact, ctx);
  });

  test(`a fold that fails ${failure.replace("-", " the ")} and is run again counts the document once`, async () => {
    const { handler, write, exact, ctx, failing } = await setup(failure, "fold");
    await handler(eventFor(write, "event-1"));
    await assert.rejects(failing.fold("agent-1", ctx), "the failed fold throws, so Cloud Tasks runs it again");
    await failing.fold("agent-1", ctx);
    await failing.fold("agent-1", ctx);
    await assertCountedOnce(exact, ctx);
  });
}

test("the check can fail: the same write delivered under a second event id is counted twice", async () => {
  const { handler, write, exact, ctx } = await setup("after-commit", "record");
  await assert.rejects(handler(eventFor(write, "event-1")));
  await handler(eventFor(write, "event-2"));
  await exact.fold("agent-1", ctx);
  assert.equal((await exact.read("agent-1"))?.sealed.data.sources.count, 2);
});
