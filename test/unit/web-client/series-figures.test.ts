/**
 * @module series-figures.test
 * What the charts plot and their tables list: every point's numbers in the right column, cost by
 * model only for daily points, models past the chart's few summed into "other" (with the server's
 * own "other"), and a summary sentence that adds up what is additive and peaks what is not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SeriesData, SeriesPoint } from "metrics-functions/contract";
import { figureSummary, MODELS_SHOWN, pointTimes, seriesFigures } from "../../../web-client/src/view/series-figures";

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
    assert.deepEqual(Object.keys(byId), ["calls", "cost", "latency", "tokens"], "hourly points carry no model split");
    assert.deepEqual(byId.calls.columns.map((c) => c.values), [[1, 3], [0, 1]]);
    assert.deepEqual(byId.latency.columns.map((c) => c.values), [[100, 300], [200, 600]]);
    assert.deepEqual(byId.tokens.columns.map((c) => c.values), [[100, 300], [10, 30], [1, 3]]);
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
    const total = figure.columns.reduce((sum, c) => sum + c.values[0], 0);
    const expected = Object.values(models).reduce((sum, m) => sum + m.costUsd, 0);
    assert.ok(Math.abs(total - expected) < 1e-12, "nothing is lost in the fold");
    assert.deepEqual(figure.columns.map((c) => c.values[1]), labels.map(() => 0));
  });

  it("sums additive figures and peaks percentiles in the summary", () => {
    const data = series("hour", [point("2026-01-01T00:00:00Z", 1), point("2026-01-01T01:00:00Z", 3)]);
    const [calls, , latency] = seriesFigures(data);
    const times = pointTimes(data);
    assert.match(figureSummary(calls, times, "hour"), /^Calls and errors per hour, 2 points: Calls 4 in all, most 3 at .+; Errors 1 in all/);
    assert.match(figureSummary(latency, times, "hour"), /p95 highest 600 ms at /);
  });
});
