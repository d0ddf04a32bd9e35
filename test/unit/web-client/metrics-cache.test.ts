/**
 * @module metrics-cache.test
 * The browser cache's policy, as a page would observe it: which reads make a request, what a 304
 * changes, what survives a version bump, a full quota, a tampered entry, a 429 and a dead network.
 * Views are signed with a real Ed25519 key and checked by the real verifier.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { ApiRequestError } from "../../../web-client/src/lib/api-client";
import { MetricsCache, SERVER_MAX_STALE_MS, type MetricsCacheOptions, type MetricsRef } from "../../../web-client/src/lib/metrics-cache";
import { signatureVerifier } from "../../../web-client/src/lib/verify-signature";
import { agentView, FakeClock, FakeMetricsApi, makeSigner, QuotaStorage } from "../../support/web-cache-fakes";

const MAX_AGE = 60_000;
const SWR = 600_000;
const BOT: MetricsRef = { scope: "agent", id: "bot" };

describe("MetricsCache", () => {
  let signer: Awaited<ReturnType<typeof makeSigner>>;
  let api: FakeMetricsApi;
  let storage: QuotaStorage;
  let clock: FakeClock;
  let slept: number[];

  const cacheWith = (extra: Partial<MetricsCacheOptions> = {}) =>
    new MetricsCache({
      api,
      verify: signatureVerifier({ keysFor: async () => [signer.published] }, "view"),
      storage,
      partition: "alice",
      maxAgeMs: MAX_AGE,
      staleWhileRevalidateMs: SWR,
      now: clock.now,
      backoff: {
        sleep: async (ms) => {
          slept.push(ms);
          clock.advance(ms);
        },
        random: () => 0.5,
      },
      ...extra,
    });

  const publish = async (id: string, count: number, version = 1) => api.views.set(id, await signer.sign(agentView(id, count, version)));
  const storedKeys = () => storage.keys().filter((k) => k.startsWith("agent-metrics:"));

  beforeEach(async () => {
    signer ??= await makeSigner();
    api = new FakeMetricsApi();
    storage = new QuotaStorage();
    clock = new FakeClock();
    slept = [];
    await publish("bot", 3);
  });

  describe("expiry and revalidation", () => {
    it("answers a fresh entry from storage with no request, also for a new cache (a reload)", async () => {
      const first = await cacheWith().read(BOT);
      assert.equal(first.source, "store");
      clock.advance(MAX_AGE - 1);
      const again = await cacheWith().read(BOT);
      assert.deepEqual([again.source, again.stale, again.response.data.sources.count], ["browser", false, 3]);
      assert.deepEqual(api.calls, ["GET agent/bot"]);
    });

    it("an entry whose unsigned savedAt lies in the future is not fresh for ever: it is revalidated (issue #13, finding 4)", async () => {
      await cacheWith().read(BOT);
      const key = storedKeys()[0];
      const planted = JSON.parse(storage.getItem(key) ?? "{}") as { savedAt: number };
      storage.setItem(key, JSON.stringify({ ...planted, savedAt: clock.now() + 10 * 365 * 86_400_000 }));
      await publish("bot", 5, 2);
      const read = await cacheWith().read(BOT);
      assert.equal(read.response.data.sources.count, 5, "the server was asked");
      assert.equal(api.calls.length, 2);
    });

    it("serves a stale entry at once and revalidates it in the background with If-None-Match", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      await publish("bot", 4, 2);
      const heard = new Promise<number>((resolve) => cache.subscribe((_ref, result) => resolve(result.response.data.sources.count)));
      clock.advance(MAX_AGE + 1);

      const stale = await cache.read(BOT);
      assert.deepEqual([stale.stale, stale.staleReason, stale.response.data.sources.count], [true, "revalidating", 3]);
      assert.equal(await heard, 4, "listeners hear the revalidated value");
      const fresh = await cache.read(BOT);
      assert.deepEqual([fresh.source, fresh.stale, fresh.response.data.sources.count], ["browser", false, 4]);
      assert.deepEqual(api.calls, ["GET agent/bot", "GET agent/bot If-None-Match"]);
    });

    it("a 304 refreshes the entry's age, so the next read makes no request", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      clock.advance(MAX_AGE + SWR + 1);
      const confirmed = await cache.read(BOT);
      assert.deepEqual([confirmed.source, confirmed.ageMs, confirmed.stale], ["browser", 0, false]);
      clock.advance(MAX_AGE - 1);
      await cache.read(BOT);
      assert.deepEqual(api.calls, ["GET agent/bot", "GET agent/bot If-None-Match"]);
    });

    it("waits for the network once an entry is older than max age plus stale-while-revalidate", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      await publish("bot", 9, 2);
      clock.advance(MAX_AGE + SWR + 1);
      const result = await cache.read(BOT);
      assert.deepEqual([result.stale, result.response.data.sources.count], [false, 9]);
    });

    it("force skips the freshness check, asks past the server's memory, and still sends the ETag", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      await cache.read(BOT, { force: true });
      assert.deepEqual(api.calls, ["GET agent/bot", "GET agent/bot If-None-Match no-cache"]);
    });

    it("a forced read does not join a plain read already in flight", async () => {
      const cache = cacheWith();
      let open!: () => void;
      api.gate = new Promise((resolve) => (open = resolve));
      const plain = cache.read(BOT);
      const forced = cache.read(BOT, { force: true });
      open();
      await Promise.all([plain, forced]);
      assert.deepEqual(api.calls, ["GET agent/bot", "GET agent/bot no-cache"]);
    });

    it("keeps a later revision when an older copy comes back soon after, but not for ever", async () => {
      const cache = cacheWith();
      await publish("bot", 4, 2);
      await cache.read(BOT);
      // Another server instance still holds revision 1 in memory and answers the next read with it.
      await publish("bot", 3, 1);
      clock.advance(SERVER_MAX_STALE_MS - 1);
      const soon = await cache.read(BOT, { force: true });
      assert.deepEqual([soon.response.data.version, soon.response.data.sources.count, soon.source], [2, 4, "browser"]);
      // Past any instance's staleness bound, a lower revision is the truth (the view was recreated).
      clock.advance(2);
      const later = await cache.read(BOT, { force: true });
      assert.deepEqual([later.response.data.version, later.response.data.sources.count], [1, 3]);
    });
  });

  describe("versions and partitions", () => {
    it("drops entries of another format version when opened, and leaves other namespaces alone", async () => {
      await cacheWith({ version: "v0" }).read(BOT);
      storage.setItem("someone-else:v0:x", "kept");
      assert.equal(storedKeys().length, 1);
      cacheWith({ version: "v1" });
      assert.deepEqual(storedKeys(), []);
      assert.equal(storage.getItem("someone-else:v0:x"), "kept");
    });

    it("keeps users apart and clears only the signed-out user's entries", async () => {
      await cacheWith().read(BOT);
      await cacheWith({ partition: "bob" }).read(BOT);
      cacheWith({ partition: "bob" }).clear();
      assert.equal(storedKeys().length, 1);
      assert.equal((await cacheWith().read(BOT)).source, "browser");
    });
  });

  describe("quota", () => {
    it("evicts the oldest entries instead of failing when storage is full", async () => {
      for (const id of ["a", "b", "c"]) await publish(id, 1);
      await cacheWith().read({ scope: "agent", id: "a" }); // measures one entry
      const entrySize = storage.keys().reduce((n, k) => n + k.length + storage.getItem(k)!.length, 0);
      api.calls.length = 0;
      storage = new QuotaStorage(entrySize * 2 + 10); // room for two entries, not three
      const cache = cacheWith();
      for (const id of ["a", "b", "c"]) {
        await cache.read({ scope: "agent", id });
        clock.advance(1000);
      }
      assert.deepEqual(storedKeys().map((k) => k.split(":").pop()).sort(), ["b", "c"]);
      await cache.read({ scope: "agent", id: "c" });
      assert.deepEqual(api.calls, ["GET agent/a", "GET agent/b", "GET agent/c"], "the newest entry is still served from storage");
    });

    it("still answers when not even one entry fits", async () => {
      storage = new QuotaStorage(10);
      const result = await cacheWith().read(BOT);
      assert.equal(result.response.data.sources.count, 3);
      assert.deepEqual(storedKeys(), []);
    });
  });

  describe("sharing and trust", () => {
    it("sends one request for concurrent reads of the same view", async () => {
      let release!: () => void;
      api.gate = new Promise((resolve) => (release = resolve));
      const cache = cacheWith();
      const reads = [cache.read(BOT), cache.read(BOT), cache.read(BOT)];
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      const results = await Promise.all(reads);
      assert.deepEqual(results.map((r) => r.response.data.sources.count), [3, 3, 3]);
      assert.deepEqual(api.calls, ["GET agent/bot"]);
    });

    it("refuses a tampered entry, drops it and refetches the signed value", async () => {
      await cacheWith().read(BOT);
      const [key] = storedKeys();
      const entry = JSON.parse(storage.getItem(key)!);
      entry.response.data.sources.count = 999;
      storage.setItem(key, JSON.stringify(entry));

      const result = await cacheWith().read(BOT);
      assert.deepEqual([result.source, result.response.data.sources.count], ["store", 3]);
      assert.equal(JSON.parse(storage.getItem(key)!).response.data.sources.count, 3);
      assert.deepEqual(api.calls, ["GET agent/bot", "GET agent/bot"], "refetched without the tampered entry's ETag");
    });

    it("refuses an entry stored under another view's key", async () => {
      await publish("other", 50);
      const cache = cacheWith();
      await cache.read({ scope: "agent", id: "other" });
      const [key] = storedKeys();
      storage.setItem(key.replace(/other$/, "bot"), storage.getItem(key)!);
      assert.equal((await cache.read(BOT)).response.data.sources.count, 3);
    });

    it("does not store or serve a network answer whose signature does not verify", async () => {
      const forged = structuredClone(api.views.get("bot")!);
      forged.data.sources.count = 1000;
      api.views.set("bot", forged);
      await assert.rejects(cacheWith().read(BOT), (e: ApiRequestError) => e.code === "BAD_SIGNATURE");
      assert.deepEqual(storedKeys(), []);
    });

    it("neither stores nor shows an authentic view of another id sent as this one (issue #26, finding 7)", async () => {
      api.views.set("bot", await signer.sign(agentView("other", 50)));
      await assert.rejects(cacheWith().read(BOT), (e: ApiRequestError) => e.code === "BAD_RESPONSE");
      assert.deepEqual(storedKeys(), []);
    });

    it("neither stores nor shows a series sent or planted as a view, under either header (issue #26, finding 7)", async () => {
      const series = { scope: "agent", id: "bot", granularity: "hour", from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T01:00:00.000Z", points: [] };
      // Signed as the server signs series now, and as it signed them before series had their own header.
      for (const purpose of ["series", "view"] as const) {
        api.views.set("bot", (await signer.sign(series, purpose)) as never);
        await assert.rejects(cacheWith().read(BOT), (e: ApiRequestError) => e.code === "BAD_RESPONSE" || e.code === "BAD_SIGNATURE", purpose);
        assert.deepEqual(storedKeys(), [], `nothing stored (signed as ${purpose})`);
      }
      await publish("bot", 3);
      const cache = cacheWith();
      await cache.read(BOT);
      const [key] = storedKeys();
      for (const purpose of ["series", "view"] as const) {
        storage.setItem(key, JSON.stringify({ response: await signer.sign(series, purpose), etag: null, savedAt: clock.now() }));
        const read = await cacheWith().read(BOT);
        assert.equal(read.response.data.sources.count, 3, `the planted series (signed as ${purpose}) is not shown`);
      }
    });

    it("does not show an older authentic revision planted with a fresh savedAt over the one it accepted (issue #26, finding 7)", async () => {
      await publish("bot", 3, 1);
      const cache = cacheWith();
      await cache.read(BOT);
      const [key] = storedKeys();
      const older = storage.getItem(key)!;
      await publish("bot", 8, 2);
      clock.advance(MAX_AGE + 1);
      assert.equal((await cache.read(BOT)).response.data.version, 1, "served stale while revalidating");
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(JSON.parse(storage.getItem(key)!).response.data.version, 2);
      clock.advance(30_000);
      // The old revision, with its genuine signature, is put back and made to look just confirmed.
      storage.setItem(key, JSON.stringify({ ...JSON.parse(older), savedAt: clock.now() }));
      const read = await cache.read(BOT);
      assert.deepEqual([read.response.data.version, read.response.data.sources.count], [2, 8]);
      assert.equal(read.ageMs, 30_000, "with the age this cache gave revision 2, not the planted savedAt");
    });

    it("keeps an entry it cannot check (signing keys unreachable) without serving it", async () => {
      await cacheWith().read(BOT);
      api.offline = true;
      const unverifiable = cacheWith({ verify: async () => Promise.reject(new Error("keys unreachable")) });
      await assert.rejects(unverifiable.read(BOT), (e: ApiRequestError) => e.code === "NETWORK_ERROR");
      assert.equal(storedKeys().length, 1);
    });
  });

  describe("failures", () => {
    it("honours Retry-After on 429 and 503, then succeeds", async () => {
      api.failNext(new ApiRequestError(429, "RESOURCE_EXHAUSTED", "slow down", 2), new ApiRequestError(503, "UNAVAILABLE", "busy", 1));
      const result = await cacheWith().read(BOT);
      assert.equal(result.response.data.sources.count, 3);
      assert.deepEqual(slept, [2000, 1000]);
      assert.equal(api.calls.length, 3);
    });

    it("backs off exponentially when the server names no wait", async () => {
      api.failNext(new ApiRequestError(503, "UNAVAILABLE", "busy"), new ApiRequestError(503, "UNAVAILABLE", "busy"));
      await cacheWith().read(BOT);
      assert.deepEqual(slept, [375, 750]); // 500 ms doubling, jittered to 75 % by random() = 0.5
    });

    it("does not sleep through a long Retry-After: it fails at once and holds later reads back", async () => {
      api.failNext(new ApiRequestError(429, "RESOURCE_EXHAUSTED", "slow down", 120));
      const cache = cacheWith();
      await assert.rejects(cache.read(BOT), (e: ApiRequestError) => e.status === 429 && e.retryAfterSeconds === 120);
      await assert.rejects(cache.read(BOT), (e: ApiRequestError) => e.status === 429 && e.retryAfterSeconds === 120);
      assert.equal(api.calls.length, 1, "no request while the server's Retry-After runs");
      assert.equal(cache.backedOffForMs(), 120_000);
      clock.advance(120_000);
      assert.equal((await cache.read(BOT)).response.data.sources.count, 3);
    });

    it("serves the last verified value, marked stale, when rate limited", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      clock.advance(MAX_AGE + SWR + 1);
      api.failNext(new ApiRequestError(429, "RESOURCE_EXHAUSTED", "slow down", 60));
      const result = await cache.read(BOT);
      assert.deepEqual([result.stale, result.staleReason, result.response.data.sources.count], [true, "rate-limited", 3]);
    });

    it("serves the last verified value, marked stale, when the network is down", async () => {
      await cacheWith().read(BOT);
      clock.advance(MAX_AGE + SWR + 1);
      api.offline = true;
      const result = await cacheWith().read(BOT);
      assert.deepEqual([result.source, result.stale, result.staleReason, result.response.data.sources.count], ["browser", true, "offline", 3]);
      assert.equal(result.error?.code, "NETWORK_ERROR");
    });

    it("fails offline when it holds nothing, and forgets an entry the server now refuses", async () => {
      api.offline = true;
      await assert.rejects(cacheWith().read(BOT), (e: ApiRequestError) => e.code === "NETWORK_ERROR");
      api.offline = false;
      await cacheWith().read(BOT);
      api.views.delete("bot");
      await assert.rejects(cacheWith().read(BOT, { force: true }), (e: ApiRequestError) => e.status === 403);
      assert.deepEqual(storedKeys(), []);
    });
  });

  describe("many agents", () => {
    it("serves fresh ones from storage and fetches the rest in one batch", async () => {
      for (const id of ["a", "b", "c"]) await publish(id, id.charCodeAt(0));
      const cache = cacheWith();
      await cache.read({ scope: "agent", id: "a" });
      const { results, failures } = await cache.readAgents(["a", "b", "c", "missing", "b"]);
      assert.deepEqual(Object.keys(results).sort(), ["a", "b", "c"]);
      assert.equal(results.a.source, "browser");
      assert.equal(results.b.source, "store");
      assert.equal(failures.missing.status, 403);
      assert.deepEqual(api.calls, ["GET agent/a", "BATCH b,c,missing"]);
    });

    it("with force, asks the API even for fresh entries, past the server's memory", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      const { results } = await cache.readAgents(["bot"], { force: true });
      assert.equal(results.bot.source, "store");
      assert.deepEqual(api.calls, ["GET agent/bot", "BATCH bot no-cache"]);
    });

    it("falls back to a verified entry when the batch request fails", async () => {
      const cache = cacheWith();
      await cache.read(BOT);
      api.offline = true;
      const { results } = await cache.readAgents(["bot"], { force: true });
      assert.deepEqual([results.bot.stale, results.bot.staleReason], [true, "offline"]);
    });

    it("reads one agent at a time from a server without the batch route", async () => {
      await publish("a", 1);
      api.failNext(new ApiRequestError(404, "NOT_FOUND", "No such route."));
      const { results } = await cacheWith().readAgents(["a", "bot"]);
      assert.deepEqual(Object.keys(results).sort(), ["a", "bot"]);
      assert.deepEqual(api.calls.slice(1).sort(), ["GET agent/a", "GET agent/bot"]);
    });
  });

  describe("other tabs", () => {
    it("hears verified writes of other tabs through the storage event, and ignores forged ones", async () => {
      const target = new EventTarget();
      const cache = cacheWith();
      const heard: number[] = [];
      cache.subscribe((ref, result) => heard.push(ref.id === "bot" ? result.response.data.sources.count : -1));
      cache.listenToOtherTabs(target);

      await cacheWith({ partition: "alice" }).read(BOT); // "the other tab" writes the entry
      const [key] = storedKeys();
      const storageEvent = (newValue: string) => Object.assign(new Event("storage"), { key, newValue });
      target.dispatchEvent(storageEvent(storage.getItem(key)!));
      const forged = JSON.parse(storage.getItem(key)!);
      forged.response.data.sources.count = 42;
      target.dispatchEvent(storageEvent(JSON.stringify(forged)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(heard, [3]);
    });

    it("does not hear another tab (or a script) put back an older revision, nor another view's entry", async () => {
      const target = new EventTarget();
      const cache = cacheWith();
      const heard: number[] = [];
      cache.subscribe((_ref, result) => heard.push(result.response.data.version));
      cache.listenToOtherTabs(target);
      await cache.read(BOT);
      const [key] = storedKeys();
      const older = storage.getItem(key)!;
      await publish("bot", 8, 2);
      await cache.read(BOT, { force: true });
      const storageEvent = (newValue: string) => Object.assign(new Event("storage"), { key, newValue });
      target.dispatchEvent(storageEvent(JSON.stringify({ ...JSON.parse(older), savedAt: clock.now() })));
      await publish("other", 50, 9);
      target.dispatchEvent(storageEvent(JSON.stringify({ response: api.views.get("other"), etag: null, savedAt: clock.now() })));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(heard, [1, 2], "only this tab's own reads: revision 1, then 2");
    });
  });
});
