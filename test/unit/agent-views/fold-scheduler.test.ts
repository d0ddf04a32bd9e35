import { test } from "node:test";
import assert from "node:assert/strict";
import { foldSlot, inProcessFoldScheduler, withInProcessFallback } from "../../../functions/src/agent-views/fold-scheduler";

test("every request in one second names the same fold task, run just after that second ends", () => {
  const a = foldSlot("agent-1", 1_700_000_000_001);
  const b = foldSlot("agent-1", 1_700_000_000_999);
  assert.equal(a.id, b.id);
  assert.equal(a.runAt, 1_700_000_001_100);
  assert.notEqual(foldSlot("agent-1", 1_700_000_001_000).id, a.id, "the next second is another task");
  assert.notEqual(foldSlot("agent-2", 1_700_000_000_001).id, a.id, "another agent is another task");
  assert.match(a.id, /^fold-[0-9a-f]{32}$/);
});

test("the in-process scheduler folds each agent once per slot, after the slot", async () => {
  const folded: string[] = [];
  const scheduler = inProcessFoldScheduler(async (agentId) => void folded.push(agentId), { slotMs: 20, onError: () => undefined });
  for (let i = 0; i < 10; i++) await scheduler.request("hot");
  await scheduler.request("quiet");
  assert.deepEqual(folded, [], "nothing folds before its slot ends");
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(folded.sort(), ["hot", "quiet"]);
});

test("when the queue refuses a request, the fold runs here instead of being lost", async () => {
  const folded: string[] = [];
  const errors: string[] = [];
  const scheduler = withInProcessFallback(
    { request: async () => Promise.reject(new Error("Cloud Tasks unreachable")) },
    async (agentId) => void folded.push(agentId),
    (agentId, error, stage) => errors.push(`${agentId} ${stage} ${(error as Error).message}`),
  );
  await scheduler.request("agent-1");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(folded, ["agent-1"]);
  assert.deepEqual(errors, ["agent-1 request Cloud Tasks unreachable"]);
});
