import { test } from "node:test";
import assert from "node:assert/strict";
import { RateLimiter, type RateCounterStore } from "../../../functions/src/rate-limits/rate-limiter";
import { WINDOW_MS } from "../../../functions/src/rate-limits/rate-limit";

/** One shared counter store, as Firestore is for every instance. */
function sharedStore(): RateCounterStore & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    async add(keyId, windowStartMs, delta) {
      const id = `${keyId}_${windowStartMs}`;
      counts.set(id, (counts.get(id) ?? 0) + delta);
      return counts.get(id) as number;
    },
  };
}

const t0 = 1_800_000_000_000 - (1_800_000_000_000 % WINDOW_MS) + 1000;

test("one instance is exact: limit answers, then refusals, none of them costing a store call", async () => {
  const store = sharedStore();
  let calls = 0;
  const limiter = new RateLimiter({ add: (...args) => (calls++, store.add(...args)) }, undefined, 60_000);
  const allowed = Array.from({ length: 9 }, () => limiter.take("k", 5, t0).allowed).filter(Boolean).length;
  assert.equal(allowed, 5);
  assert.equal(calls, 0);
  await limiter.sync();
  assert.equal(store.counts.get(`k_${t0 - 1000}`), 5);
});

test("two instances learn each other's traffic at their next sync", async () => {
  const store = sharedStore();
  const a = new RateLimiter(store, undefined, 60_000);
  const b = new RateLimiter(store, undefined, 60_000);
  for (let i = 0; i < 6; i++) assert.equal(a.take("k", 10, t0).allowed, true);
  await a.sync();
  assert.equal(b.take("k", 10, t0).allowed, true);
  assert.equal(b.take("k", 10, t0).allowed, true);
  await b.sync(); // b now knows the global count is 8
  const more = Array.from({ length: 5 }, () => b.take("k", 10, t0 + 10).allowed).filter(Boolean).length;
  assert.equal(more, 2);
  await b.sync();
  await a.sync();
  assert.equal(a.take("k", 10, t0 + 20).allowed, true, "a has not seen b's traffic until it syncs with something pending");
});

test("a failed sync keeps its count for the next one and reports the error", async () => {
  const store = sharedStore();
  const errors: unknown[] = [];
  let fail = true;
  const limiter = new RateLimiter({ add: (...args) => (fail ? Promise.reject(new Error("down")) : store.add(...args)) }, (e) => errors.push(e), 60_000);
  limiter.take("k", 5, t0);
  limiter.take("k", 5, t0);
  await limiter.sync();
  assert.equal(errors.length, 1);
  fail = false;
  await limiter.sync();
  assert.equal(store.counts.get(`k_${t0 - 1000}`), 2);
});

test("the next window starts from the previous one's weighted count", () => {
  const limiter = new RateLimiter(sharedStore(), undefined, 60_000);
  for (let i = 0; i < 5; i++) limiter.take("k", 5, t0);
  assert.equal(limiter.take("k", 5, t0 + WINDOW_MS).allowed, false, "at the start of the next window the previous 5 still weigh fully");
  assert.equal(limiter.take("k", 5, t0 + WINDOW_MS + 30_000).allowed, true);
});

test("requests being synced still count: a slow store lets no key past its limit", async () => {
  const store = sharedStore();
  let release = () => {};
  const slow = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const limiter = new RateLimiter({ add: async (...args) => (calls++, await slow, store.add(...args)) }, undefined, 60_000);
  for (let i = 0; i < 5; i++) assert.equal(limiter.take("k", 5, t0).allowed, true);
  const syncing = limiter.sync(); // the store does not answer yet (an outage)
  assert.equal(limiter.take("k", 5, t0 + 10).allowed, false, "the 5 on their way to the store still count");
  const second = limiter.sync();
  assert.equal(calls, 1, "one add per key at a time");
  release();
  await Promise.all([syncing, second]);
  assert.equal(store.counts.get(`k_${t0 - 1000}`), 5);
  assert.equal(limiter.take("k", 5, t0 + 20).allowed, false);
});

test("a key seen once costs no write; from its second request in the window it is synced", async () => {
  const store = sharedStore();
  let calls = 0;
  const limiter = new RateLimiter({ add: (...args) => (calls++, store.add(...args)) }, undefined, 60_000);
  for (let i = 0; i < 1000; i++) limiter.take(`address-${i}`, 20, t0);
  await limiter.sync();
  assert.equal(calls, 0, "a thousand addresses seen once: no write, no aggregation");
  limiter.take("address-7", 20, t0 + 10);
  await limiter.sync();
  assert.equal(calls, 1);
  assert.equal(store.counts.get(`address-7_${t0 - 1000}`), 2, "both of its requests reach the shared counter");
  limiter.count("refused", t0 + 20);
  await limiter.sync();
  assert.equal(calls, 1, "count() follows the same rule");
});

test("a key seen once still counts on its instance: the limit holds there", () => {
  const limiter = new RateLimiter(sharedStore(), undefined, 60_000);
  assert.equal(limiter.take("k", 1, t0).allowed, true);
  assert.equal(limiter.take("k", 1, t0 + 1).allowed, false);
});

test("keys idle for two windows are forgotten, and the LRU holds at most its maximum", () => {
  const limiter = new RateLimiter(sharedStore(), undefined, 60_000, 100);
  for (let i = 0; i < 1000; i++) limiter.take(`address-${i}`, 20, t0 + i);
  assert.equal(limiter.size, 100, "bounded by the maximum, however many addresses come");
  limiter.take("late", 20, t0 + 2 * WINDOW_MS + 5_000);
  assert.equal(limiter.size, 1, "the idle ones are gone after two windows; only the new key is held");
});

test("an active key is not forgotten while it keeps coming, and its window counts survive", () => {
  const limiter = new RateLimiter(sharedStore(), undefined, 60_000, 100);
  for (let minute = 0; minute < 5; minute++) for (let i = 0; i < 3; i++) limiter.take("busy", 3, t0 + minute * WINDOW_MS + i);
  assert.equal(limiter.take("busy", 3, t0 + 4 * WINDOW_MS + 10).allowed, false, "still limited: its state was kept");
});

test("a key pushed out of a full LRU with unsynced counts is synced all the same", async () => {
  const store = sharedStore();
  const limiter = new RateLimiter(store, undefined, 60_000, 10);
  limiter.take("real-key", 100, t0);
  limiter.take("real-key", 100, t0);
  limiter.take("real-key", 100, t0);
  for (let i = 0; i < 50; i++) limiter.take(`flood-${i}`, 20, t0 + 1);
  await limiter.sync();
  assert.equal(store.counts.get(`real-key_${t0 - 1000}`), 3);
});
