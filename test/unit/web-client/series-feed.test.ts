/**
 * @module series-feed.test
 * The series feed as the page sees it: the first read is shown once verified, a poll answered 304
 * changes nothing, new points are told as a replacement, a forged series is never shown, a 429
 * keeps the last verified points on screen, and switching series shows held points at once.
 * Series are signed with a real Ed25519 key and checked by the real verifier.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { ApiRequestError, type ConditionalSeries, type MetricsScope, type SeriesQuery } from "../../../web-client/src/lib/api-client";
import type { SeriesData, SeriesResponse } from "metrics-functions/contract";
import { SeriesFeed, type SeriesRef, type SeriesUpdate } from "../../../web-client/src/lib/series-feed";
import { signatureVerifier } from "../../../web-client/src/lib/verify-signature";
import { FakeClock, makeSigner } from "../../support/web-cache-fakes";

const HOURLY: SeriesRef = { scope: "user", id: "alice", granularity: "hour" };
const DAILY: SeriesRef = { ...HOURLY, granularity: "day" };

function seriesOf(ref: SeriesRef, counts: number[]): SeriesData {
  const start = Date.parse("2026-01-01T00:00:00Z");
  const step = ref.granularity === "hour" ? 3_600_000 : 86_400_000;
  const points = counts.map((count, i) => ({
    start: new Date(start + i * step).toISOString(),
    count,
    errorCount: 0,
    inputTokens: count * 10,
    outputTokens: count,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: count / 1000,
    p50LatencyMs: 100,
    p95LatencyMs: 200,
    p50TimeToFirstTokenMs: 40,
  }));
  return { scope: ref.scope, id: ref.id, granularity: ref.granularity, from: points[0].start, to: new Date(start + counts.length * step).toISOString(), points };
}

/** A series "server": holds one signed answer per series, answers If-None-Match, fails on demand. */
class FakeSeriesApi {
  readonly answers = new Map<string, SeriesResponse>();
  readonly calls: string[] = [];
  readonly faults: ApiRequestError[] = [];

  series = async (scope: MetricsScope, id: string, query: SeriesQuery, etag?: string | null): Promise<ConditionalSeries> => {
    this.calls.push(`${scope}/${id}/${query.granularity}${etag ? " If-None-Match" : ""}`);
    const fault = this.faults.shift();
    if (fault) throw fault;
    const response = this.answers.get(`${scope}/${id}/${query.granularity}`);
    if (!response) throw new ApiRequestError(403, "PERMISSION_DENIED", "not yours");
    const current = `"${response.signature.value.slice(0, 16)}"`;
    if (etag === current) return { notModified: true };
    return { notModified: false, response: structuredClone(response), etag: current };
  };
}

describe("SeriesFeed", () => {
  let signer: Awaited<ReturnType<typeof makeSigner>>;
  let api: FakeSeriesApi;
  let clock: FakeClock;
  let updates: SeriesUpdate[];
  let feed: SeriesFeed;
  let tick: (() => void) | null;

  const publish = async (ref: SeriesRef, counts: number[]) => {
    api.answers.set(`${ref.scope}/${ref.id}/${ref.granularity}`, await signer.sign(seriesOf(ref, counts), "series"));
  };
  const countsOf = (update: SeriesUpdate | undefined) => update?.response?.data.points.map((p) => p.count);

  beforeEach(async () => {
    signer = await makeSigner();
    api = new FakeSeriesApi();
    clock = new FakeClock();
    updates = [];
    tick = null;
    feed = new SeriesFeed({
      api,
      verify: signatureVerifier({ keysFor: async () => [signer.published] }, "series"),
      intervalMs: 10_000,
      now: clock.now,
      schedule: (task) => {
        tick = task;
        return () => {
          tick = null;
        };
      },
    });
  });

  const poll = async () => {
    assert.ok(tick, "a poll is scheduled");
    await feed.poll();
  };

  it("shows the first verified series, and a 304 on the next poll changes nothing", async () => {
    await publish(HOURLY, [1, 2, 3]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    assert.deepEqual(countsOf(updates[0]), [1, 2, 3]);
    assert.equal(updates[0].replaced, false);
    await poll();
    assert.equal(updates.length, 1, "a 304 is not told");
    assert.deepEqual(api.calls, ["user/alice/hour", "user/alice/hour If-None-Match"]);
  });

  it("tells new points as a replacement on the next poll", async () => {
    await publish(HOURLY, [1, 2, 3]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    await publish(HOURLY, [1, 2, 5]);
    await poll();
    assert.equal(updates.length, 2);
    assert.deepEqual(countsOf(updates[1]), [1, 2, 5]);
    assert.equal(updates[1].replaced, true);
  });

  it("never shows a series whose signature does not verify", async () => {
    await publish(HOURLY, [1, 2, 3]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    const forged = structuredClone(api.answers.get("user/alice/hour")!);
    forged.data.points[2].count = 99;
    // Another value altogether (so the fake's ETag moves too), not the one the key made.
    const value = forged.signature.value;
    forged.signature.value = `${value[0] === "A" ? "B" : "A"}${value.slice(1)}`;
    api.answers.set("user/alice/hour", forged);
    await poll();
    assert.equal(updates[1].error?.code, "BAD_SIGNATURE");
    assert.deepEqual(countsOf(updates[1]), [1, 2, 3], "the last verified points stay");
  });

  it("never shows another series than the one asked for, nor a series signed as a view (issue #26, finding 7)", async () => {
    await publish(HOURLY, [1, 2, 3]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    api.answers.set("user/alice/hour", await signer.sign(seriesOf({ ...HOURLY, id: "mallory" }, [9, 9, 9]), "series"));
    await poll();
    assert.equal(updates[1].error?.code, "BAD_RESPONSE", "another user's authentic series");
    api.answers.set("user/alice/hour", await signer.sign(seriesOf(HOURLY, [7, 7, 7]), "view"));
    await poll();
    assert.equal(updates[2].error?.code, "BAD_SIGNATURE", "signed under the views' header");
    assert.deepEqual(countsOf(updates[2]), [1, 2, 3], "the last verified points stay");
  });

  it("keeps the last verified points through a 429, and says so until a read succeeds", async () => {
    await publish(HOURLY, [4, 4]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    api.faults.push(new ApiRequestError(429, "RESOURCE_EXHAUSTED", "slow down", 30));
    await poll();
    assert.equal(updates[1].error?.status, 429);
    assert.deepEqual(countsOf(updates[1]), [4, 4]);
    await poll();
    assert.equal(api.calls.length, 2, "no request while the server's Retry-After runs");
    clock.advance(30_000);
    await poll();
    assert.equal(updates.at(-1)?.error, undefined, "a 304 after the failure clears the error");
    assert.deepEqual(countsOf(updates.at(-1)), [4, 4]);
  });

  it("drops a series the server refuses outright", async () => {
    await publish(HOURLY, [1]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    api.faults.push(new ApiRequestError(403, "PERMISSION_DENIED", "not yours"));
    await poll();
    assert.equal(updates[1].response, null);
  });

  it("switching series shows the held points at once, then asks conditionally", async () => {
    await publish(HOURLY, [1, 2]);
    await publish(DAILY, [7]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    await feed.watch(DAILY, (u) => updates.push(u));
    updates.length = 0;
    api.calls.length = 0;
    const back = feed.watch(HOURLY, (u) => updates.push(u));
    assert.deepEqual(countsOf(updates[0]), [1, 2], "held points are told before any request");
    await back;
    assert.deepEqual(api.calls, ["user/alice/hour If-None-Match"]);
  });

  it("stops polling when stopped", async () => {
    await publish(HOURLY, [1]);
    await feed.watch(HOURLY, (u) => updates.push(u));
    feed.stop();
    assert.equal(tick, null);
  });
});
