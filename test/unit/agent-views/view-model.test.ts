import { test } from "node:test";
import assert from "node:assert/strict";
import { runModel, type ModelOptions, type ModelResult } from "../../support/view-model";

// Replays one history: MODEL_SEED=<seed> [MODEL_OPERATIONS=<n>] node --import tsx --test test/unit/agent-views/view-model.test.ts
const replay = process.env.MODEL_SEED ? { seed: Number(process.env.MODEL_SEED), operations: Number(process.env.MODEL_OPERATIONS ?? 100) } : null;

async function assertExact(options: ModelOptions): Promise<ModelResult> {
  const result = await runModel(options);
  const { mismatches } = result;
  const rerun = `MODEL_SEED=${options.seed} MODEL_OPERATIONS=${options.operations} node --import tsx --test test/unit/agent-views/view-model.test.ts`;
  assert.deepEqual(mismatches, [], `seed ${options.seed} (${options.operations} operations): views differ from a full recompute.\nRe-run just this seed: ${rerun}\n${mismatches.slice(0, 5).join("\n")}`);
  return result;
}

if (replay) {
  test(`seed ${replay.seed}, ${replay.operations} operations: views equal a full recompute`, async () => {
    await assertExact(replay);
  });
} else {
  test("100 random histories of 100 operations, each event delivered 1-3 times in any order: views and rollups equal a full recompute", async () => {
    for (let seed = 1; seed <= 100; seed++) await assertExact({ seed, operations: 100 });
  });

  test("one long history of 3,000 operations: views and rollups equal a full recompute", async () => {
    const { deliveries, duplicates } = await assertExact({ seed: 20_261_123, operations: 3_000 });
    // Each event goes out 1-3 times, so about half the deliveries should find their event's marker.
    assert.ok(duplicates > deliveries / 4, `too few redeliveries were exercised: ${duplicates} of ${deliveries} deliveries found their marker`);
  });

  // Recomputes heal drift, so a history that ends just after one hides an earlier fault: each fault
  // must show in many histories, not in every one.
  test("the check is not vacuous: a lost event marker, or a recompute without its watermark, is caught", async () => {
    const caught = async (fault: ModelOptions["fault"], operations: number, seeds: number) => {
      let count = 0;
      for (let seed = 1; seed <= seeds; seed++) if ((await runModel({ seed, operations, fault })).mismatches.length > 0) count++;
      return count;
    };
    const lost = await caught("lost-marker", 100, 20);
    assert.ok(lost >= 10, `redeliveries with fresh event ids went unnoticed in ${20 - lost} of 20 histories`);
    // Each later recompute of the agent heals the double count, so fewer histories end with one.
    const unmarked = await caught("no-watermark", 100, 20);
    assert.ok(unmarked >= 6, `late deltas counted twice after a recompute went unnoticed in ${20 - unmarked} of 20 histories`);
  });
}
