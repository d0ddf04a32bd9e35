/**
 * A series as CSV: RFC 4180's shape (header row, CRLF, quoting only where needed) and every JSON
 * point's numbers, in the contract's column order, read back exactly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { seriesCsv } from "../../../functions/src/metrics/series-csv";
import { SERIES_CSV_COLUMNS, type SeriesPoint } from "../../../functions/src/contract/schemas/series";

const point = (start: string, n: number): SeriesPoint => ({
  start,
  count: n,
  errorCount: n > 1 ? 1 : 0,
  inputTokens: 1000 * n,
  outputTokens: 100 * n,
  cacheReadTokens: 10 * n,
  cacheWriteTokens: 20 * n,
  reasoningTokens: 30 * n,
  costUsd: 0.000123 * n,
  p50LatencyMs: 101.5,
  p95LatencyMs: 250,
  p50TimeToFirstTokenMs: n ? 40.25 : 0,
  byModel: { "gpt-4o": { count: n, inputTokens: 1000 * n, outputTokens: 100 * n, costUsd: 0.000123 * n } },
});

test("a header row of the point's fields, one CRLF-ended row per point, numbers as JSON writes them", () => {
  const points = [point("2026-12-08T00:00:00.000Z", 2), point("2026-12-08T01:00:00.000Z", 0)];
  const text = seriesCsv(points);
  assert.ok(text.endsWith("\r\n") && !text.replaceAll("\r\n", "").includes("\n"), "CRLF line ends only");
  const [header, ...rows] = text.split("\r\n").slice(0, -1);
  assert.equal(header, "start,count,errorCount,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens,costUsd,p50LatencyMs,p95LatencyMs,p50TimeToFirstTokenMs");
  assert.equal(rows[0], "2026-12-08T00:00:00.000Z,2,1,2000,200,20,40,60,0.000246,101.5,250,40.25");
  assert.deepEqual(
    rows.map((row) => Object.fromEntries(row.split(",").map((cell, i) => [SERIES_CSV_COLUMNS[i], i === 0 ? cell : Number(cell)]))),
    points.map(({ byModel: _, ...rest }) => rest),
    "every column reads back as the JSON point's value; byModel has no column",
  );
});

test("an empty series is its header row alone", () => {
  assert.equal(seriesCsv([]), `${SERIES_CSV_COLUMNS.join(",")}\r\n`);
});
