/**
 * @module series-csv.test
 * "Download CSV" as the library and the page do it: the read names the CSV form in its URL and its
 * Accept header, carries the range on screen and the same credentials as every read, refuses an
 * answer that is not CSV; and the file is named after the series and its range, with nothing in the
 * name a file system would refuse.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiClient, ApiRequestError } from "../../../web-client/src/lib/api-client";
import { csvFileName } from "../../../web-client/src/view/save-file";

const CSV = "start,count\r\n2026-01-01T00:00:00.000Z,3\r\n";

function clientAnswering(body: string, contentType: string, seen: Array<{ url: string; headers: Headers }>) {
  return new ApiClient({
    baseUrl: "/api",
    getIdToken: async () => "id-token",
    apiKey: () => "mk_test_key",
    fetch: async (url, init) => {
      seen.push({ url, headers: new Headers(init.headers) });
      return new Response(body, { status: 200, headers: { "Content-Type": contentType, ETag: '"rev-7"' } });
    },
  });
}

describe("ApiClient.seriesCsv", () => {
  it("asks for the range as CSV with the session and the key, and answers the text with its ETag", async () => {
    const seen: Array<{ url: string; headers: Headers }> = [];
    const api = clientAnswering(CSV, "text/csv; charset=utf-8; header=present", seen);
    const answer = await api.seriesCsv("agent", "bot/1", { granularity: "day", from: "2026-01-01T00:00:00.000Z", to: "2026-01-31T00:00:00.000Z" });
    assert.deepEqual(answer, { text: CSV, etag: '"rev-7"' });
    const url = new URL(seen[0].url, "http://page");
    assert.equal(url.pathname, "/api/v1/agents/bot%2F1/metrics/series");
    assert.deepEqual(Object.fromEntries(url.searchParams), { granularity: "day", from: "2026-01-01T00:00:00.000Z", to: "2026-01-31T00:00:00.000Z", format: "csv" });
    assert.equal(seen[0].headers.get("Accept"), "text/csv");
    assert.equal(seen[0].headers.get("Authorization"), "Bearer id-token");
    assert.equal(seen[0].headers.get("X-API-Key"), "mk_test_key");
  });

  it("refuses an answer that is not CSV (a proxy's page, or JSON)", async () => {
    const api = clientAnswering('{"data":{}}', "application/json", []);
    await assert.rejects(api.seriesCsv("user", "u1", { granularity: "hour" }), (error: unknown) => error instanceof ApiRequestError && error.code === "BAD_RESPONSE");
  });
});

describe("csvFileName", () => {
  it("names the scope, id, grain and range", () => {
    const hourly = { scope: "agent", id: "support-bot", granularity: "hour", from: "2026-01-01T10:00:00.000Z", to: "2026-01-02T10:00:00.000Z" } as const;
    assert.equal(csvFileName(hourly), "agent-support-bot_hourly_2026-01-01T1000Z_2026-01-02T1000Z.csv");
    const daily = { scope: "user", id: "alice", granularity: "day", from: "2025-12-03T00:00:00.000Z", to: "2026-01-02T00:00:00.000Z" } as const;
    assert.equal(csvFileName(daily), "user-alice_daily_2025-12-03_2026-01-02.csv");
  });

  it("keeps characters a file system may refuse out of the name", () => {
    const name = csvFileName({ scope: "org", id: 'a/b\\c:d*"e?', granularity: "day", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" });
    assert.equal(name, "org-a_b_c_d_e__daily_2026-01-01_2026-01-02.csv");
  });
});
