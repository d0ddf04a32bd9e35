/**
 * A trigger that throws is retried by Cloud Functions with the same event; the retry must count the
 * document once, whether the failed attempt died before its transaction committed or after (the commit
 * landed but the function failed, e.g. on a lost acknowledgement). The real source handler runs over
 * the in-memory view database, with the first transaction made to fail either way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/domain/signing";
import { pricingFromConfig } from "../../../functions/src/domain/pricing";
import { handleAgentDocumentWritten } from "../../../functions/src/triggers/agent-document-written";
import { agentViewsOver } from "../../../functions/src/views/agent-views";
import { MemoryViewDatabase } from "../../support/memory-view-database";
import { eventFor } from "../../support/view-model";
import { recordingLogger } from "../../support/fakes";
import { failingOnce, type Failure } from "../../support/failing-database";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("retry-test")));

async function setup(failure: Failure) {
  const db = new MemoryViewDatabase(new Date("2026-11-23T10:00:00Z"));
  db.agents.set("agent-1", { ownerId: "alice", orgId: "acme" });
  const ctx = { keyring, pricing: pricingFromConfig(null), now: () => db.now() };
  const handler = handleAgentDocumentWritten("source", { views: agentViewsOver(failingOnce(db, failure)), context: async () => ctx, log: recordingLogger() });
  const exact = agentViewsOver(db);
  // The agent has a view already, so the write below is applied incrementally, not absorbed by a recompute.
  await exact.recompute("agent-1", ctx);
  const now = db.now();
  db.write("source", "doc-1", { agentId: "agent-1", type: "pdf", sizeBytes: 1234, tokenCount: 56, status: "ready", createdAt: now, updatedAt: now });
  const [write] = db.takeWrites();
  return { ctx, handler, write, exact };
}

for (const failure of ["before-commit", "after-commit"] as const) {
  test(`a source trigger that fails ${failure.replace("-", " the ")} and is retried counts the document once`, async () => {
    const { handler, write, exact, ctx } = await setup(failure);
    const event = eventFor(write, "event-1");
    await assert.rejects(handler(event), "the failed attempt throws, so Cloud Functions retries it");
    await handler(event);
    await handler(event); // a further redelivery of the same event
    const view = await exact.read("agent-1");
    assert.equal(view?.sealed.data.sources.count, 1);
    assert.equal(view?.sealed.data.sources.totalBytes, 1234);
    assert.equal(await exact.reconcile("agent-1", ctx), "unchanged", "the view equals a full recompute");
  });
}

test("the check can fail: the same write delivered under a second event id is counted twice", async () => {
  const { handler, write, exact } = await setup("after-commit");
  await assert.rejects(handler(eventFor(write, "event-1")));
  await handler(eventFor(write, "event-2"));
  assert.equal((await exact.read("agent-1"))?.sealed.data.sources.count, 2);
});
