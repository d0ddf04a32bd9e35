/** Which form a series read answers in: the query decides, else Accept, where CSV must be ranked above JSON. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { seriesFormatOf } from "../../../functions/src/http/series-format";

test("format= decides whatever Accept says", () => {
  assert.equal(seriesFormatOf("csv", "application/json"), "csv");
  assert.equal(seriesFormatOf("json", "text/csv"), "json");
});

test("Accept: CSV only when ranked above JSON; no header, */* and ties stay JSON", () => {
  const cases: Array<[string | undefined, "json" | "csv"]> = [
    [undefined, "json"],
    ["*/*", "json"],
    ["text/csv", "csv"],
    ["text/csv; charset=utf-8", "csv"],
    ["TEXT/CSV", "csv"],
    ["text/csv, application/json", "json"],
    ["text/csv, application/json;q=0.5", "csv"],
    ["application/json, text/csv;q=0.9", "json"],
    ["text/*, application/json;q=0.1", "csv"],
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "json"],
    ["text/csv;q=0", "json"],
    ["text/csv;q=abc", "json"],
  ];
  for (const [accept, expected] of cases) assert.equal(seriesFormatOf(undefined, accept), expected, String(accept));
});
