/**
 * @module series-figures.test
 * What the charts plot and their tables list: every point's numbers in the right column (cache
 * writes and reasoning among the tokens, time to first token beside latency, a gap where no call
 * streamed), cost by model only for daily points, models past the chart's few summed into "other"
 * (with the server's own "other"), and a summary sentence that adds up what is additive and peaks
 * what is not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SeriesData, SeriesPoint } from "metrics-functions/contract";
import { figureSummary, MODELS_SHOWN, pointTimes, seriesFigures, shownValue } from "../../../web-client/src/view/series-figures";

const point = (start: string, count: number, byModel?: SeriesPoint["byModel"]): SeriesPoint => ({
  start,
  count,
  errorCount: count > 1 ? 1 : 0,
  inputTokens: count * 100,
  outputTokens: count * 10,
  cacheReadTokens: count,
  cacheWriteTokens: 2 * count,
  reasoningTokens: count,
  costUsd: count * 0.001,
  p50LatencyMs: 100 * count,
  p95LatencyMs: 200 * count,
  p50TimeToFirstTokenMs: 20 * count,
  ...(byModel && { byModel }),
});

const series = (granularity: "hour" | "day", points: SeriesPoint[]): SeriesData => ({
  scope: "agent",
  id: "bot",
  granularity,
  from: points[0].start,
  to: points.at(-1)!.start,
  points,
});

describe("seriesFigures", () => {
  it("puts every point's numbers in its figure's columns, in point order", () => {
    const data = series("hour", [point("2026-01-01T00:00:00Z", 1), point("2026-01-01T01:00:00Z", 3)]);
    const byId = Object.fromEntries(seriesFigures(data).map((f) => [f.id, f]));
    assert.deepEqual(Object.keys(byId), ["calls", "cost", "latency", "ttft", "tokens"], "hourly points carry no model split; time to first token follows latency");
    assert.deepEqual(byId.calls.columns.map((c) => c.values), [[1, 3], [0, 1]]);
    assert.deepEqual(byId.latency.columns.map((c) => c.values), [[100, 300], [200, 600]]);
    assert.deepEqual(byId.ttft.columns.map((c) => [c.label, c.values]), [["p50", [20, 60]]]);
    assert.deepEqual(
      byId.tokens.columns.map((c) => [c.label, c.values]),
      [["Input", [100, 300]], ["Output", [10, 30]], ["Cache read", [1, 3]], ["Cache write", [2, 6]], ["Reasoning", [1, 3]]],
    );
    assert.deepEqual(pointTimes(data), [Date.parse("2026-01-01T00:00:00Z"), Date.parse("2026-01-01T01:00:00Z")]);
  });

  it("daily points get cost by model, the costliest kept apart and the rest summed into other", () => {
    const models = Object.fromEntries(Array.from({ length: MODELS_SHOWN + 2 }, (_, i) => [`m${i}`, { count: 1, inputTokens: 10, outputTokens: 1, costUsd: (i + 1) / 100 }]));
    models.other = { count: 1, inputTokens: 10, outputTokens: 1, costUsd: 0.5 };
    const data = series("day", [point("2026-01-01T00:00:00Z", 1, models), point("2026-01-02T00:00:00Z", 0, {})]);
    const figure = seriesFigures(data).find((f) => f.id === "models")!;
    const labels = figure.columns.map((c) => c.label);
    assert.equal(labels.length, MODELS_SHOWN);
    assert.deepEqual(labels.slice(0, -1), ["m6", "m5", "m4", "m3"]);
    assert.equal(labels.at(-1), "other");
    const total = figure.columns.reduce((sum, c) => sum + (c.values[0] ?? NaN), 0);
    const expected = Object.values(models).reduce((sum, m) => sum + m.costUsd, 0);
    assert.ok(Math.abs(total - expected) < 1e-12, "nothing is lost in the fold");
    assert.deepEqual(figure.columns.map((c) => c.values[1]), labels.map(() => 0));
  });

  it("leaves a gap, not a zero, where no call of a point streamed", () => {
    const quiet = { ...point("2026-01-01T01:00:00Z", 2), p50TimeToFirstTokenMs: 0 };
    const data = series("hour", [point("2026-01-01T00:00:00Z", 1), quiet, point("2026-01-01T02:00:00Z", 0)]);
    const ttft = seriesFigures(data).find((f) => f.id === "ttft")!;
    assert.deepEqual(ttft.columns[0].values, [20, null, null], "an hour without calls has no first token either");
    assert.deepEqual([0, 1].map((i) => shownValue(ttft.columns[0], i)), ["20 ms", "—"]);
    assert.match(ttft.note ?? "", /— in the numbers/, "the figure says what the dash means");
    assert.match(figureSummary(ttft, pointTimes(data), "hour"), /p50 highest 20 ms at /, "a gap is not the peak");
    const none = series("hour", [quiet]);
    assert.match(figureSummary(seriesFigures(none).find((f) => f.id === "ttft")!, pointTimes(none), "hour"), /p50: none\.$/);
  });

  it("sums additive figures and peaks percentiles in the summary", () => {
    const data = series("hour", [point("2026-01-01T00:00:00Z", 1), point("2026-01-01T01:00:00Z", 3)]);
    const [calls, , latency] = seriesFigures(data);
    const times = pointTimes(data);
    assert.match(figureSummary(calls, times, "hour"), /^Calls and errors per hour, 2 points: Calls 4 in all, most 3 at .+; Errors 1 in all/);
    assert.match(figureSummary(latency, times, "hour"), /p95 highest 600 ms at /);
  });
});
