import { test } from "node:test";
import assert from "node:assert/strict";
import { API_KEY_POLICY, cacheControlOf, DIRECTORY_POLICY, freshnessOf, hitRateOf, requestsRevalidation, SESSION_POLICY, VIEW_POLICY } from "../../../functions/src/cache/cache-policy";

test("a copy is fresh, then servable stale, then never served", () => {
  assert.equal(freshnessOf(0, VIEW_POLICY), "fresh");
  assert.equal(freshnessOf(4_999, VIEW_POLICY), "fresh");
  assert.equal(freshnessOf(5_000, VIEW_POLICY), "stale");
  assert.equal(freshnessOf(34_999, VIEW_POLICY), "stale");
  assert.equal(freshnessOf(35_000, VIEW_POLICY), "expired");
});

test("Cache-Control says what the edge does with views", () => {
  assert.equal(cacheControlOf(VIEW_POLICY), "private, max-age=5, stale-while-revalidate=30");
});

test("the security bounds of docs/SECURITY.md are the policies' maximum ages", () => {
  assert.equal(API_KEY_POLICY.maxAgeMs, 5_000);
  assert.equal(SESSION_POLICY.maxAgeMs, 60_000);
  assert.equal(DIRECTORY_POLICY.maxAgeMs, 15_000);
  for (const policy of [VIEW_POLICY, API_KEY_POLICY, SESSION_POLICY, DIRECTORY_POLICY]) assert.ok(policy.freshMs < policy.maxAgeMs);
});

test("hit rate counts stale serves as answered from memory", () => {
  assert.equal(hitRateOf({ hits: 0, staleServes: 0, misses: 0 }), 0);
  assert.equal(hitRateOf({ hits: 6, staleServes: 2, misses: 2 }), 0.8);
});

test("a request asks for revalidation with no-cache or max-age=0, in any case and among other directives", () => {
  for (const header of ["no-cache", "No-Cache", "max-age=0", "max-age = 0", "no-transform, no-cache", 'max-age="0"']) assert.equal(requestsRevalidation(header), true, header);
  for (const header of [undefined, "", "max-age=5", "no-store", "max-age=00x", "no-cache-please", "private"]) assert.equal(requestsRevalidation(header), false, String(header));
});
