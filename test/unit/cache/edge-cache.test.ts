/**
 * The edge cache's policy with a fake loader and a fake clock: what is served from memory, when a
 * load happens, and how many.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EdgeCache } from "../../../functions/src/cache/edge-cache";

const policy = { freshMs: 5_000, maxAgeMs: 35_000 };

function setup(options: { maxBytes?: number; sizeOf?: (v: string) => number } = {}) {
  let clock = 1_000_000;
  let version = 0;
  const loads: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let failNext = false;
  const cache = new EdgeCache<string>({
    policy,
    maxBytes: options.maxBytes ?? 1_000_000,
    sizeOf: options.sizeOf ?? ((v) => v.length),
    now: () => clock,
    load: async (key) => {
      loads.push(key);
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error("backend down");
      }
      return `${key}@${++version}`;
    },
  });
  return {
    cache,
    loads,
    advance: (ms: number) => void (clock += ms),
    hold: () => {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => release();
    },
    failNext: () => void (failNext = true),
  };
}

test("the second read is served from memory with no load", async () => {
  const { cache, loads, advance } = setup();
  const first = await cache.get("a");
  advance(1_000);
  const second = await cache.get("a");
  assert.deepEqual([first.fromMemory, second.fromMemory], [false, true]);
  assert.equal(second.value, first.value);
  assert.equal(second.ageMs, 1_000);
  assert.equal(second.stale, false);
  assert.deepEqual(loads, ["a"]);
  assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses }, { hits: 1, misses: 1 });
});

test("concurrent misses of one key cause one load", async () => {
  const { cache, loads, hold } = setup();
  const release = hold();
  const pending = Promise.all(Array.from({ length: 50 }, () => cache.get("a")));
  release();
  const served = await pending;
  assert.deepEqual(loads, ["a"]);
  assert.ok(served.every((s) => s.value === "a@1"));
});

test("past fresh, the old copy is served stale while exactly one refresh runs; then the new one is served", async () => {
  const { cache, loads, advance, hold } = setup();
  await cache.get("a");
  advance(6_000);
  const release = hold();
  const stale = await Promise.all([cache.get("a"), cache.get("a"), cache.get("a")]);
  assert.ok(stale.every((s) => s.value === "a@1" && s.stale && s.fromMemory));
  assert.equal(stale[0].ageMs, 6_000);
  assert.deepEqual(loads, ["a", "a"], "one background refresh for three stale reads");
  release();
  await new Promise((resolve) => setImmediate(resolve));
  const fresh = await cache.get("a");
  assert.deepEqual([fresh.value, fresh.stale, fresh.fromMemory], ["a@2", false, true]);
  assert.equal(cache.stats().staleServes, 3);
});

test("a copy past its maximum age is never served: the read waits for the load", async () => {
  const { cache, loads, advance } = setup();
  await cache.get("a");
  advance(policy.maxAgeMs);
  const served = await cache.get("a");
  assert.deepEqual([served.value, served.fromMemory, served.stale], ["a@2", false, false]);
  assert.equal(loads.length, 2);
});

test("a failed load reaches the caller and caches nothing; a failed refresh keeps the stale copy", async () => {
  const { cache, advance, failNext } = setup();
  failNext();
  await assert.rejects(cache.get("a"), /backend down/);
  assert.equal((await cache.get("a")).value, "a@1");
  advance(6_000);
  failNext();
  assert.equal((await cache.get("a")).value, "a@1");
  await new Promise((resolve) => setImmediate(resolve));
  const after = await cache.get("a");
  assert.equal(after.value, "a@1", "still the stale copy after the refresh failed");
  assert.equal(cache.stats().loadFailures, 2);
});

test("the cache is bounded by bytes: the least recently used entries are evicted", async () => {
  const { cache, loads } = setup({ maxBytes: 1_000, sizeOf: () => 300 });
  for (const key of ["a", "b", "c", "d"]) await cache.get(key);
  const stats = cache.stats();
  assert.equal(stats.entries, 3);
  assert.equal(stats.bytes, 900);
  assert.equal(stats.evictions, 1);
  await cache.get("a");
  assert.equal(loads.filter((k) => k === "a").length, 2, "the evicted entry is loaded again");
});

test("set serves a value written on this instance at once; delete forgets it", async () => {
  const { cache, loads } = setup();
  cache.set("a", "written");
  assert.deepEqual([(await cache.get("a")).value, loads.length], ["written", 0]);
  cache.delete("a");
  assert.equal((await cache.get("a")).value, "a@1");
});

test("when the refresh of an expired copy fails, the copy is not served either", async () => {
  const { cache, advance, failNext } = setup();
  await cache.get("a");
  advance(policy.maxAgeMs + 1);
  failNext();
  await assert.rejects(cache.get("a"));
});

test("a key forgotten while its load is in flight is loaded again, not failed", async () => {
  const { cache, loads, hold } = setup();
  const release = hold();
  const reading = cache.get("a");
  await new Promise((resolve) => setImmediate(resolve));
  cache.delete("a"); // an ingestion on this instance forgets the view being loaded
  release();
  const served = await reading;
  assert.deepEqual(loads, ["a", "a"]);
  assert.equal(served.value, "a@2", "the copy loaded after the forget is served");
});

test("revalidate skips a fresh held copy and waits for a load, which then serves plain reads", async () => {
  const { cache, loads, advance } = setup();
  await cache.get("a");
  advance(1_000);
  const reread = await cache.get("a", { revalidate: true });
  assert.deepEqual([reread.value, reread.fromMemory, reread.ageMs], ["a@2", false, 0]);
  const next = await cache.get("a");
  assert.deepEqual([next.value, next.fromMemory], ["a@2", true]);
  assert.deepEqual(loads, ["a", "a"]);
});

test("a revalidating read that fails is not answered with the held copy", async () => {
  const { cache, failNext } = setup();
  await cache.get("a");
  failNext();
  await assert.rejects(cache.get("a", { revalidate: true }), /backend down/);
  assert.equal((await cache.get("a")).value, "a@1", "plain reads still have it");
});

test("a key forgotten again and again while it loads (concurrent no-cache reads and writes) is still answered, never failed", async () => {
  const { cache, loads, hold } = setup();
  const release = hold();
  const read = cache.get("a1", { revalidate: true });
  // Each load the read starts is aborted by a write that forgets the key, more often than it retries.
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    cache.delete("a1");
  }
  release();
  const served = await read;
  assert.match(served.value, /^a1@\d+$/);
  assert.equal(served.fromMemory, false);
  assert.ok(loads.length >= 4, `loads: ${loads.length}`);
});
