import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { candidateHashes, digestsEqual, keyedHash, MIN_PEPPER_LENGTH, parsePepperRing } from "../../../functions/src/signing/keyed-hash";

const P1 = "p1-".padEnd(43, "a");
const P2 = "p2-".padEnd(43, "b");
const single = parsePepperRing(P1);

test("is HMAC-SHA256 under the pepper, separated by purpose", () => {
  const expected = createHmac("sha256", P1).update("api-key\u0000mk_test_x").digest("hex");
  assert.equal(keyedHash(single, "api-key", "mk_test_x"), expected);
  assert.notEqual(keyedHash(single, "client-ip", "mk_test_x"), expected);
  assert.notEqual(keyedHash(parsePepperRing(P2), "api-key", "mk_test_x"), expected);
});

test("digestsEqual compares exactly", () => {
  const a = keyedHash(single, "api-key", "a");
  assert.equal(digestsEqual(a, a), true);
  assert.equal(digestsEqual(a, keyedHash(single, "api-key", "b")), false);
  assert.equal(digestsEqual(a, a.slice(1)), false);
});

test("a pepper shorter than 32 characters is refused when the API is built (issue #13, finding 6)", () => {
  assert.throws(() => parsePepperRing("short-pepper"), /at least 32 characters/);
  assert.doesNotThrow(() => parsePepperRing("x".repeat(MIN_PEPPER_LENGTH)));
  assert.throws(() => parsePepperRing(JSON.stringify({ current: "2", peppers: { "2": P2, "1": "short" } })), /pepper 1 must be at least 32/);
});

test("one unversioned pepper served every hash (finding 6): a ring rotates it, and version 1 of a ring is the single pepper it replaces", () => {
  const ring = parsePepperRing(JSON.stringify({ current: "2", peppers: { "1": P1, "2": P2 } }));
  assert.equal(ring.current, "2");
  assert.deepEqual([...ring.peppers.keys()], ["2", "1"], "the current version is tried first");
  // A key made before the rotation is still found, under version 1, with the same hash as before.
  const before = keyedHash(single, "api-key", "mk_live_k");
  assert.deepEqual(candidateHashes(ring, "api-key", "mk_live_k"), [
    { version: "2", hash: keyedHash(ring, "api-key", "mk_live_k") },
    { version: "1", hash: before },
  ]);
  assert.notEqual(keyedHash(ring, "api-key", "mk_live_k"), before, "new hashes use the new pepper");
  // Once version 1 leaves the ring, its keys are not found at all.
  const retired = parsePepperRing(JSON.stringify({ current: "2", peppers: { "2": P2 } }));
  assert.equal(candidateHashes(retired, "api-key", "mk_live_k").some(({ hash }) => hash === before), false);
});

test("a ring whose current version is not among its peppers, or that is not JSON, is refused without naming a pepper", () => {
  for (const secret of [JSON.stringify({ current: "3", peppers: { "2": P2 } }), JSON.stringify({ peppers: { "2": P2 } }), `{"current":"2","peppers":{"2":"${P2}"`]) {
    assert.throws(() => parsePepperRing(secret), (error: Error) => error.message.startsWith("API_KEY_PEPPER") && !error.message.includes(P2));
  }
});
