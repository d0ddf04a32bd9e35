/**
 * @module document-bounds.test
 * The contract's document bounds reach both places that enforce them: firestore.rules' generated
 * block is current, and the ingest item refuses times Firestore cannot store, whatever offset carries them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { RULES_PATH, withCurrentBounds } from "../../../scripts/firestore-rules";
import { EARLIEST_TIME_MS, isStorableTime, LATEST_TIME_MS } from "../../../functions/src/contract/document-bounds";
import { interactionItemSchema } from "../../../functions/src/contract/schemas/interactions";

test("firestore.rules' bounds block is what the contract's bounds render (npm run rules:bounds writes it)", () => {
  const rules = readFileSync(RULES_PATH, "utf8");
  assert.equal(rules, withCurrentBounds(rules), "firestore.rules is stale: run `npm run rules:bounds`");
});

test("the storable range is Firestore's: year 1 to year 9999, to the millisecond", () => {
  assert.equal(new Date(EARLIEST_TIME_MS).toISOString(), "0001-01-01T00:00:00.000Z");
  assert.equal(new Date(LATEST_TIME_MS).toISOString(), "9999-12-31T23:59:59.999Z");
  assert.equal(isStorableTime(EARLIEST_TIME_MS), true);
  assert.equal(isStorableTime(EARLIEST_TIME_MS - 1), false);
  assert.equal(isStorableTime(LATEST_TIME_MS + 1), false);
});

test("an ingest item's occurredAt: year 0, year 10000 and offsets that cross year 1 or 9999 are refused with a reason", () => {
  const item = (occurredAt: string) => ({ id: "x", model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt });
  for (const ok of ["0001-01-01T00:00:00Z", "0001-01-01T00:30:00-01:00", "2026-01-01T00:00:00+14:00"]) {
    assert.equal(interactionItemSchema.safeParse(item(ok)).success, true, ok);
  }
  for (const bad of ["0000-06-15T12:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "10000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z"]) {
    const parsed = interactionItemSchema.safeParse(item(bad));
    assert.equal(parsed.success, false, bad);
    assert.match(parsed.error!.issues[0].path.join("."), /occurredAt/);
  }
});
