import { test } from "node:test";
import assert from "node:assert/strict";
import { displayPrefix, generateApiKey, generateKeyId, isWellFormedApiKey } from "../../../functions/src/api-keys/api-key-format";

test("generated keys carry the environment prefix, 22 random base62 chars and a valid checksum", () => {
  const key = generateApiKey("test");
  assert.match(key, /^mk_test_[0-9A-Za-z]{28}$/);
  assert.equal(isWellFormedApiKey(key), true);
  assert.match(generateApiKey("live"), /^mk_live_/);
});

test("keys do not repeat", () => {
  const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey("test")));
  assert.equal(keys.size, 2000);
});

test("any single-character typo is caught by the checksum", () => {
  const key = generateApiKey("live");
  for (let i = 8; i < key.length; i++) {
    const replacement = key[i] === "A" ? "B" : "A";
    assert.equal(isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1)), false, `typo at ${i}`);
  }
});

test("wrong shapes and non-strings are refused", () => {
  const key = generateApiKey("test");
  for (const bad of [undefined, null, 42, "", key.slice(0, -1), `${key}x`, key.replace("mk_test_", "mk_prod_"), key.replace("_", "-")]) {
    assert.equal(isWellFormedApiKey(bad), false, String(bad));
  }
});

test("the display prefix never reveals more than four random characters", () => {
  assert.equal(displayPrefix("mk_test_ABCDEFGHIJ"), "mk_test_ABCD");
  assert.match(generateKeyId(), /^key_[0-9A-Za-z]{16}$/);
});
