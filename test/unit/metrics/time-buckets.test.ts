import { test } from "node:test";
import assert from "node:assert/strict";
import type { CountedInteraction, InteractionContribution, InteractionStatus } from "../../../functions/src/metrics/interaction-metrics";
import { costFemtoUsd, pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { renderSeries, seriesRange } from "../../../functions/src/metrics/series";
import {
  applyBucketChange,
  emptyBuckets,
  mergeBuckets,
  nextRollAt,
  pruneBuckets,
  renderWindows,
  summarizeBuckets,
  type TimeBuckets,
} from "../../../functions/src/metrics/time-buckets";
import { mulberry32 } from "../../support/seeded-random";


const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const now = new Date("2026-03-10T12:34:56Z");
const pricing = pricingFromConfig(null);
const ago = (ms: number) => new Date(now.getTime() - ms);

function at(occurredAt: Date, overrides: Partial<InteractionContribution> = {}): CountedInteraction {
  // 1e6 input tokens of gpt-4o-mini: 0.15 USD each, so costs are easy to read.
  const i: InteractionContribution = { model: "gpt-4o-mini", inputTokens: 1_000_000, outputTokens: 0, latencyMs: 1000, status: "success", occurredAt, ...overrides };
  return { ...i, costFemto: costFemtoUsd(pricing, i.model, { inputTokens: i.inputTokens, outputTokens: i.outputTokens, cacheReadTokens: i.cacheReadTokens ?? 0, cacheWriteTokens: i.cacheWriteTokens ?? 0 }, occurredAt) };
}

function build(list: CountedInteraction[], when = now, grain: "hour" | "day" = "hour"): TimeBuckets {
  return list.reduce((state, i) => applyBucketChange(state, grain, null, i, when), emptyBuckets());
}

test("interactions well inside a window are counted, well outside are not", () => {
  const state = build([
    at(ago(10 * MINUTE), { latencyMs: 200 }),
    at(ago(59 * MINUTE), { status: "error", latencyMs: 400 }),
    at(ago(2 * HOUR + MINUTE)),
    at(ago(23 * HOUR)),
    at(ago(25 * HOUR + MINUTE)),
    at(ago(3 * DAY), { status: "timeout" }),
    at(ago(7 * DAY - HOUR)),
    at(ago(7 * DAY + HOUR + MINUTE)),
    at(ago(7 * DAY + 3 * HOUR)),
    at(ago(30 * DAY)),
  ]);
  const windows = renderWindows(state, now);
  assert.deepEqual(windows["1h"], { count: 2, errorCount: 1, costUsd: 0.3, p95LatencyMs: windows["1h"].p95LatencyMs });
  assert.ok(Math.abs(windows["1h"].p95LatencyMs - 400) <= 8);
  assert.equal(windows["24h"].count, 4);
  assert.deepEqual({ ...windows["7d"], p95LatencyMs: 0 }, { count: 7, errorCount: 2, costUsd: 1.05, p95LatencyMs: 0 });
  assert.ok(Math.abs(windows["7d"].p95LatencyMs - 1000) <= 20);
  // Seven rendered hours and the spare one before the 7 d edge; the two older ones never entered.
  assert.equal(state.buckets.length, 8);
});

test("the edge is hour-granular: a window reaches back to the start of the hour containing now − W", () => {
  const start = new Date("2026-03-10T11:00:00Z");
  const state = build([at(start), at(new Date(start.getTime() - 1))]);
  assert.equal(renderWindows(state, now)["1h"].count, 1);
  assert.equal(renderWindows(state, new Date("2026-03-10T11:59:59Z"))["1h"].count, 2);
  assert.equal(renderWindows(state, new Date("2026-03-10T13:00:00Z"))["1h"].count, 0);
});

test("interactions ahead of now (client clock skew) count in every window", () => {
  const windows = renderWindows(build([at(new Date(now.getTime() + 90 * MINUTE))]), now);
  assert.deepEqual([windows["1h"].count, windows["24h"].count, windows["7d"].count], [1, 1, 1]);
});

test("as time passes interactions leave windows, and pruning drops buckets no window needs", () => {
  const state = build([at(ago(30 * MINUTE)), at(ago(6 * DAY))]);
  const later = new Date(now.getTime() + 2 * DAY);
  assert.equal(renderWindows(state, later)["1h"].count, 0);
  assert.equal(renderWindows(state, later)["7d"].count, 1);
  const pruned = pruneBuckets(state, "hour", later);
  assert.equal(pruned.buckets.length, 1);
  assert.deepEqual(renderWindows(pruned, later), renderWindows(state, later));
  // A change at a later time prunes as well, and a change to a pruned hour is ignored.
  const changed = applyBucketChange(state, "hour", at(ago(6 * DAY)), null, later);
  assert.deepEqual(changed, summarizeBuckets([at(ago(30 * MINUTE))], "hour", later));
  assert.deepEqual(applyBucketChange(emptyBuckets(), "hour", null, at(ago(9 * DAY)), now), emptyBuckets());
});

test("deltas applied once each in any order equal a full recompute (random histories, replayable seeds)", () => {
  const statuses: InteractionStatus[] = ["success", "success", "error", "cancelled"];
  for (let seed = 1; seed <= 100; seed++) {
    const rand = mulberry32(seed);
    const random = (): CountedInteraction =>
      at(ago(Math.floor(rand() * 33 * DAY) - HOUR), {
        model: ["gpt-4o", "gpt-4o-mini", "x/y"][Math.floor(rand() * 3)],
        inputTokens: Math.floor(rand() * 10_000),
        outputTokens: Math.floor(rand() * 1000),
        latencyMs: rand() * 5000,
        status: statuses[Math.floor(rand() * statuses.length)],
      });
    const live = new Map<number, CountedInteraction>();
    const deltas: Array<[CountedInteraction | null, CountedInteraction | null]> = [];
    for (let step = 0; step < 150; step++) {
      const id = Math.floor(rand() * 25);
      const current = live.get(id) ?? null;
      const next = rand() < 0.25 ? null : random();
      if (!current && !next) continue;
      deltas.push([current, next]);
      if (next) live.set(id, next);
      else live.delete(id);
    }
    for (let i = deltas.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [deltas[i], deltas[j]] = [deltas[j], deltas[i]];
    }
    const list = [...live.values()];
    const incremental = deltas.reduce((state, [removed, added]) => applyBucketChange(state, "hour", removed, added, now), emptyBuckets());
    assert.deepEqual(incremental, summarizeBuckets(list, "hour", now), `seed ${seed}`);
    const days = deltas.reduce((state, [removed, added]) => applyBucketChange(state, "day", removed, added, now), emptyBuckets());
    assert.deepEqual(days, summarizeBuckets(list, "day", now), `seed ${seed}: days`);
    assert.ok(days.buckets.length <= 32, `seed ${seed}: ${days.buckets.length} daily buckets`);
    const windows = renderWindows(incremental, now);
    for (const [name, span] of [["1h", HOUR], ["24h", DAY], ["7d", 7 * DAY]] as const) {
      const edge = Math.floor((now.getTime() - span) / HOUR) * HOUR;
      const inside = list.filter((i) => i.occurredAt.getTime() >= edge);
      assert.equal(windows[name].count, inside.length, `seed ${seed} ${name}`);
      assert.equal(windows[name].errorCount, inside.filter((i) => i.status !== "success").length, `seed ${seed} ${name}`);
    }
    assert.ok(incremental.buckets.length <= 170, `seed ${seed}: ${incremental.buckets.length} buckets`);
  }
});

test("merging two scopes' windows equals the windows of all their interactions", () => {
  const a = [at(ago(5 * MINUTE)), at(ago(3 * HOUR), { model: "a.b" }), at(ago(2 * DAY))];
  const b = [at(ago(7 * MINUTE), { status: "error" }), at(ago(2 * DAY)), at(ago(5 * DAY), { latencyMs: 0 })];
  assert.deepEqual(mergeBuckets(summarizeBuckets(a, "hour", now), summarizeBuckets(b, "hour", now)), summarizeBuckets([...a, ...b], "hour", now));
  assert.deepEqual(mergeBuckets(build(a), emptyBuckets()), build(a));
});

test("windows roll at the next hour while any bucket is within 7 days, and never after", () => {
  assert.equal(nextRollAt(build([at(ago(3 * DAY))]), now)?.toISOString(), "2026-03-10T13:00:00.000Z");
  assert.equal(nextRollAt(build([at(ago(8 * DAY))]), now), null);
  assert.equal(nextRollAt(emptyBuckets(), now), null);
});

test("series: one point per bucket, ascending, zeros where nothing happened, each point exact", () => {
  const list = [
    at(ago(10 * MINUTE), { latencyMs: 200, timeToFirstTokenMs: 80, cacheWriteTokens: 1000, reasoningTokens: 0 }),
    at(ago(50 * MINUTE), { status: "error", latencyMs: 300 }),
    at(ago(3 * HOUR), { model: "gpt-4o", outputTokens: 10, reasoningTokens: 7 }),
  ];
  const found = seriesRange("hour", undefined, undefined, now);
  assert.ok("range" in found);
  const points = renderSeries(build(list), found.range);
  assert.equal(points.length, 24);
  assert.deepEqual(points.map((p) => p.start).slice(-4), ["2026-03-10T09:00:00.000Z", "2026-03-10T10:00:00.000Z", "2026-03-10T11:00:00.000Z", "2026-03-10T12:00:00.000Z"]);
  const [nine, , eleven, twelve] = points.slice(-4);
  assert.deepEqual({ count: twelve.count, errorCount: twelve.errorCount, costUsd: twelve.costUsd }, { count: 1, errorCount: 0, costUsd: 0.15015 }, "1,000 cache-write tokens at gpt-4o-mini's input rate on top");
  assert.deepEqual({ count: eleven.count, errorCount: eleven.errorCount }, { count: 1, errorCount: 1 });
  assert.equal(nine.count, 1);
  assert.equal(nine.costUsd, 2.5001, "priced at gpt-4o's rate: 1e6 input and 10 output tokens");
  assert.equal(nine.byModel, undefined, "hourly points have no model split");
  assert.ok(Math.abs(eleven.p95LatencyMs - 300) / 300 <= 0.02 && Math.abs(twelve.p50LatencyMs - 200) / 200 <= 0.02);
  assert.deepEqual([twelve.cacheWriteTokens, nine.reasoningTokens], [1000, 7]);
  assert.ok(Math.abs(twelve.p50TimeToFirstTokenMs - 80) / 80 <= 0.02, "the hour's time to first token");
  assert.equal(eleven.p50TimeToFirstTokenMs, 0, "an hour whose calls report none has 0");
  assert.ok(points.slice(0, -4).every((p) => p.count === 0 && p.costUsd === 0 && p.p95LatencyMs === 0));
  const days = seriesRange("day", undefined, undefined, now);
  assert.ok("range" in days);
  const daily = renderSeries(build(list, now, "day"), days.range);
  assert.equal(daily.length, 30);
  assert.equal(daily[29].start, "2026-03-10T00:00:00.000Z");
  assert.equal(daily[29].count, 3);
  assert.deepEqual(daily[29].byModel, { "gpt-4o-mini": { count: 2, inputTokens: 2_000_000, outputTokens: 0, costUsd: 0.30015 }, "gpt-4o": { count: 1, inputTokens: 1_000_000, outputTokens: 10, costUsd: 2.5001 } });
  assert.deepEqual(daily[0].byModel, {});
});

test("series ranges: bounded reach, whole buckets, and clear reasons", () => {
  const reason = (granularity: "hour" | "day", from?: string, to?: string) => {
    const found = seriesRange(granularity, from ? new Date(from) : undefined, to ? new Date(to) : undefined, now);
    return "error" in found ? found.error : null;
  };
  assert.equal(reason("hour", "2026-03-03T12:00:00Z"), null, "7 days back, to the hour");
  assert.match(reason("hour", "2026-03-03T11:59:59Z") ?? "", /at most 7 days/);
  assert.equal(reason("day", "2026-02-08T00:00:00Z"), null);
  assert.match(reason("day", "2026-02-07T23:59:59Z") ?? "", /at most 30 days/);
  assert.match(reason("hour", undefined, "2026-03-10T15:00:00Z") ?? "", /beyond the current hour/);
  assert.match(reason("hour", "2026-03-10T10:00:00Z", "2026-03-10T10:00:00Z") ?? "", /before to/);
  const found = seriesRange("hour", new Date("2026-03-10T09:30:00Z"), new Date("2026-03-10T11:10:00Z"), now);
  assert.ok("range" in found);
  assert.deepEqual([new Date(found.range.fromMs).toISOString(), new Date(found.range.toMs).toISOString()], ["2026-03-10T09:00:00.000Z", "2026-03-10T12:00:00.000Z"]);
});
