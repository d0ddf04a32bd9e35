/**
 * Page tokens of the key listing: a token names a position and nothing else, and anything that is
 * not a token the listing made is recognised as such (so the route can answer 400).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodePageToken, encodePageToken } from "../../../functions/src/api-keys/page-token";

const position = { createdAt: new Date("2026-12-01T12:34:56.789Z"), id: "key_0123456789abcdEF" };

test("a token decodes to the position it was made from, and is URL-safe", () => {
  const token = encodePageToken(position);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodePageToken(token), position);
});

test("anything else is not a token", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  for (const token of [
    "",
    "not base64!",
    Buffer.from("{not json").toString("base64url"),
    b64({ v: 2, t: 0, id: position.id }),
    b64({ v: 1, t: -1, id: position.id }),
    b64({ v: 1, t: 1.5, id: position.id }),
    b64({ v: 1, t: 0, id: "a3f9e1b2c4d5" }), // a document id (the keyed hash) is no position
    b64({ v: 1, t: 0, id: position.id, extra: true }),
    b64([1, 0, position.id]),
  ]) {
    assert.equal(decodePageToken(token), null, token);
  }
});
