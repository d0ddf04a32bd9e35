import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { assertPepper, digestsEqual, keyedHash, MIN_PEPPER_LENGTH } from "../../../functions/src/domain/keyed-hash";

test("is HMAC-SHA256 under the pepper, separated by purpose", () => {
  const expected = createHmac("sha256", "pepper").update("api-key\u0000mk_test_x").digest("hex");
  assert.equal(keyedHash("pepper", "api-key", "mk_test_x"), expected);
  assert.notEqual(keyedHash("pepper", "client-ip", "mk_test_x"), expected);
  assert.notEqual(keyedHash("other", "api-key", "mk_test_x"), expected);
});

test("digestsEqual compares exactly", () => {
  const a = keyedHash("p", "api-key", "a");
  assert.equal(digestsEqual(a, a), true);
  assert.equal(digestsEqual(a, keyedHash("p", "api-key", "b")), false);
  assert.equal(digestsEqual(a, a.slice(1)), false);
});

test("a pepper shorter than 32 characters is refused when the API is built (issue #13, finding 6)", () => {
  assert.throws(() => assertPepper("short-pepper"), /at least 32 characters/);
  assert.doesNotThrow(() => assertPepper("x".repeat(MIN_PEPPER_LENGTH)));
});
