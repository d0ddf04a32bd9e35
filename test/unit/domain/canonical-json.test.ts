import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson } from "../../../functions/src/domain/canonical-json";

test("sorts keys at every depth and emits no whitespace", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } }), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
});

test("gives the same bytes whatever the insertion order", () => {
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
});

test("escapes strings and keys like JSON", () => {
  assert.equal(canonicalJson({ 'q"': 'line\nbreak "quoted" é' }), '{"q\\"":"line\\nbreak \\"quoted\\" é"}');
});

test("refuses values that JSON cannot carry exactly", () => {
  assert.throws(() => canonicalJson({ a: undefined }), TypeError);
  assert.throws(() => canonicalJson({ a: Number.NaN }), TypeError);
  assert.throws(() => canonicalJson([Infinity]), TypeError);
});

test("prints -0 as 0, so a Firestore round trip cannot change the bytes", () => {
  assert.equal(canonicalJson({ a: -0 }), '{"a":0}');
});
