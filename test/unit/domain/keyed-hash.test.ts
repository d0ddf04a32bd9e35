import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { digestsEqual, keyedHash } from "../../../functions/src/domain/keyed-hash";

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
