import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson } from "../../../functions/src/contract/canonical-json";

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

test("uses the default string sort (UTF-16 code units), not insertion or integer-key order", () => {
  // Object.keys lists integer-like keys first ("2", "10"); the default sort compares UTF-16 units.
  assert.equal(canonicalJson({ b: 0, B: 0, "10": 0, "2": 0, a: 0, _: 0 }), '{"10":0,"2":0,"B":0,"_":0,"a":0,"b":0}');
});

test("is RFC 8785's serialization: the RFC's own sorting example and number vectors", () => {
  // RFC 8785 §3.2.3: properties sorted by UTF-16 code units, surrogate pairs included.
  const sorted = canonicalJson({ "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" });
  // (Read the values in the text's order: JSON.parse would list the integer-like key "1" first.)
  const values = [...sorted.matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(values, ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]);
  // RFC 8785 Appendix B: ECMAScript number serialization.
  const vectors: Array<[number, string]> = [[1e21, "1e+21"], [333333333.33333329, "333333333.3333333"], [1e30, "1e+30"], [4.5, "4.5"], [0.002, "0.002"], [1e-27, "1e-27"], [-0, "0"], [9007199254740991, "9007199254740991"]];
  for (const [value, text] of vectors) assert.equal(canonicalJson(value), text);
});

test("keeps array order and writes literals as JSON does", () => {
  assert.equal(canonicalJson([3, 1, 2]), "[3,1,2]");
  assert.equal(canonicalJson([true, false, null]), "[true,false,null]");
  assert.equal(canonicalJson({}), "{}");
  assert.equal(canonicalJson([]), "[]");
});

test("escapes every string exactly as JSON.stringify does", () => {
  const text = 'quote " backslash \\ newline \n tab \t é 𝄞 \u0001';
  assert.equal(canonicalJson({ [text]: text }), `{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
});

test("refuses functions and undefined in arrays too", () => {
  assert.throws(() => canonicalJson(undefined), TypeError);
  assert.throws(() => canonicalJson([undefined]), TypeError);
  assert.throws(() => canonicalJson(() => 1), TypeError);
});
