import { test } from "node:test";
import assert from "node:assert/strict";
import { coalescingIngest } from "../../../functions/src/views/coalesced-ingest";
import type { AgentViewStore } from "../../../functions/src/views/agent-views";
import type { ViewContext } from "../../../functions/src/views/agent-view-updates";
import { Abandoned, type IngestItem } from "../../../functions/src/views/view-transaction";

const ctx = {} as ViewContext;

const item = (docId: string): IngestItem => ({
  docId,
  userId: "u1",
  interaction: { model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: new Date(0) },
});
const items = (...ids: string[]) => ids.map(item);

/**
 * A store whose transactions finish only when the test says so, recording what each was given; ids in
 * `stored` count as stored before (the duplicates a transaction reports).
 */
function heldStore(stored = new Set<string>()) {
  const calls: Array<{ agentId: string; docIds: string[]; finish(error?: Error): void; abandoned?: () => boolean }> = [];
  const store = {
    ingest: (agentId: string, given: readonly IngestItem[], _ctx: ViewContext, options?: { abandoned?: () => boolean }) =>
      new Promise<{ duplicates: Set<string> }>((resolve, reject) => {
        const docIds = given.map((i) => i.docId);
        calls.push({
          agentId,
          docIds,
          abandoned: options?.abandoned,
          finish: (error) => {
            if (error) return reject(error);
            const duplicates = new Set(docIds.filter((id) => stored.has(id)));
            docIds.forEach((id) => stored.add(id));
            resolve({ duplicates });
          },
        });
      }),
  } as unknown as AgentViewStore;
  return { store, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("requests arriving while an agent's transaction runs go together in its next one", async () => {
  const { store, calls } = heldStore();
  const views = coalescingIngest(store, 1000);
  const first = views.ingest("a", items("1"), ctx);
  await tick();
  const second = views.ingest("a", items("2", "3"), ctx);
  const third = views.ingest("a", items("4"), ctx);
  await tick();
  assert.deepEqual(calls.map((c) => c.docIds), [["1"]], "the waiting requests start nothing while the first runs");
  calls[0].finish();
  assert.deepEqual((await first).duplicates, new Set());
  await tick();
  assert.deepEqual(calls.map((c) => c.docIds), [["1"], ["2", "3", "4"]]);
  calls[1].finish();
  assert.deepEqual([(await second).duplicates, (await third).duplicates], [new Set(), new Set()]);
});

test("different agents do not wait for each other", async () => {
  const { store, calls } = heldStore();
  const views = coalescingIngest(store, 1000);
  void views.ingest("a", items("1"), ctx);
  void views.ingest("b", items("2"), ctx);
  await tick();
  assert.deepEqual(calls.map((c) => c.agentId), ["a", "b"]);
});

test("each request hears of its own duplicates: stored before, or held by an earlier request of its group", async () => {
  const { store, calls } = heldStore(new Set(["old"]));
  const views = coalescingIngest(store, 1000);
  void views.ingest("a", items("x"), ctx);
  await tick();
  const original = views.ingest("a", items("old", "r1", "r2"), ctx);
  const retry = views.ingest("a", items("r1", "r2", "r3"), ctx); // a client's retry of the same ids
  calls[0].finish();
  await tick();
  assert.deepEqual(calls[1].docIds, ["old", "r1", "r2", "r3"], "each id is written once");
  calls[1].finish();
  assert.deepEqual((await original).duplicates, new Set(["old"]));
  assert.deepEqual((await retry).duplicates, new Set(["r1", "r2"]));
});

test("a group holds at most maxItems interactions, and the first request goes whatever its size", async () => {
  const { store, calls } = heldStore();
  const views = coalescingIngest(store, 3);
  void views.ingest("a", items("0"), ctx);
  await tick();
  const pending = [views.ingest("a", items("1", "2", "3", "4"), ctx), views.ingest("a", items("5", "6"), ctx), views.ingest("a", items("7"), ctx)];
  for (let i = 0; i < 3; i++) {
    calls[i].finish();
    await tick();
  }
  await Promise.all(pending);
  assert.deepEqual(calls.map((c) => c.docIds), [["0"], ["1", "2", "3", "4"], ["5", "6", "7"]]);
});

test("a failed transaction fails the requests of its group only", async () => {
  const { store, calls } = heldStore();
  const views = coalescingIngest(store, 1000);
  const first = views.ingest("a", items("1"), ctx);
  await tick();
  const grouped = [views.ingest("a", items("2"), ctx), views.ingest("a", items("3"), ctx)];
  calls[0].finish();
  await first;
  await tick();
  calls[1].finish(new Error("contention"));
  for (const request of grouped) await assert.rejects(request, /contention/);
  const later = views.ingest("a", items("2"), ctx);
  await tick();
  calls[2].finish();
  assert.deepEqual((await later).duplicates, new Set());
});

test("a request abandoned while it waited is refused and not written; a group is abandoned only when all of it is", async () => {
  const { store, calls } = heldStore();
  const views = coalescingIngest(store, 1000);
  void views.ingest("a", items("1"), ctx);
  await tick();
  let gaveUp = false;
  const abandoned = views.ingest("a", items("2"), ctx, { abandoned: () => gaveUp });
  const kept = views.ingest("a", items("3"), ctx, { abandoned: () => false });
  const alsoWaiting = views.ingest("a", items("4"), ctx, { abandoned: () => gaveUp });
  gaveUp = true;
  calls[0].finish();
  await assert.rejects(abandoned, Abandoned);
  await assert.rejects(alsoWaiting, Abandoned);
  await tick();
  assert.deepEqual(calls[1].docIds, ["3"]);
  assert.equal(calls[1].abandoned?.(), false);
  calls[1].finish();
  await kept;
});
