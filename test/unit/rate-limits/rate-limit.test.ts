import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, WINDOW_MS } from "../../../functions/src/rate-limits/rate-limit";

const windowAt = 1_800_000_000_000 - (1_800_000_000_000 % WINDOW_MS);

test("allows exactly `limit` requests in a fresh window, then refuses with Retry-After", () => {
  let current = 0;
  const answers: boolean[] = [];
  for (let i = 0; i < 8; i++) {
    const decision = decide(5, { previous: 0, current }, windowAt + 1000);
    answers.push(decision.allowed);
    if (decision.allowed) current++;
  }
  assert.deepEqual(answers, [true, true, true, true, true, false, false, false]);
  const refused = decide(5, { previous: 0, current: 5 }, windowAt + 1000);
  assert.equal(refused.remaining, 0);
  assert.equal(refused.resetSeconds, 59);
  // In the next window the full previous count still weighs 1.0 at its start: wait for 1/5 of it to decay.
  assert.equal(refused.retryAfterSeconds, 59 + 12);
});

test("remaining counts down and the reset names the end of the window", () => {
  const d = decide(60, { previous: 0, current: 10 }, windowAt + 30_000);
  assert.deepEqual([d.allowed, d.remaining, d.resetSeconds], [true, 49, 30]);
});

test("the previous window's traffic weighs by its overlap with the last 60 s", () => {
  // Halfway through the window, 10 of the previous window's 20 requests still count.
  assert.equal(decide(12, { previous: 20, current: 1 }, windowAt + 30_000).allowed, true);
  assert.equal(decide(12, { previous: 20, current: 2 }, windowAt + 30_000).allowed, false);
});

test("a refusal's Retry-After is when the estimate has room again", () => {
  const nowMs = windowAt + 30_000;
  const refused = decide(12, { previous: 20, current: 2 }, nowMs);
  const retryMs = (refused.retryAfterSeconds ?? 0) * 1000;
  assert.equal(decide(12, { previous: 20, current: 2 }, nowMs + retryMs).allowed, true);
  assert.equal(decide(12, { previous: 20, current: 2 }, nowMs + retryMs - 1500).allowed, false);
});
