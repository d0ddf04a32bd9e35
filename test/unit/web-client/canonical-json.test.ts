/**
 * @module canonical-json.test
 * Proves the browser's canonical JSON is byte-identical to the server's, since any difference makes
 * every signature check in the browser fail.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalJson as serverCanonicalJson } from "../../../functions/src/domain/canonical-json";
import { canonicalJson } from "../../../web-client/src/lib/canonical-json";

describe("canonicalJson (browser)", () => {
  it("sorts keys at every depth and emits no whitespace", () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: "x" } };
    assert.equal(canonicalJson(value), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it("uses the default string sort, not insertion or integer-key order", () => {
    // Object.keys lists integer-like keys first ("2", "10"); the default sort compares UTF-16 units.
    const value = { b: 0, B: 0, "10": 0, "2": 0, a: 0, _: 0 };
    assert.equal(canonicalJson(value), '{"10":0,"2":0,"B":0,"_":0,"a":0,"b":0}');
  });

  it("keeps array order and writes literals and numbers as JSON.stringify does", () => {
    assert.equal(canonicalJson([3, 1, 2]), "[3,1,2]");
    assert.equal(canonicalJson([true, false, null]), "[true,false,null]");
    assert.equal(canonicalJson([0.1, -0, 1e21, 1.5e-7, 42]), "[0.1,0,1e+21,1.5e-7,42]");
    assert.equal(canonicalJson({}), "{}");
    assert.equal(canonicalJson([]), "[]");
  });

  it("escapes strings exactly as JSON.stringify does", () => {
    const text = 'quote " backslash \\ newline \n tab \t é 𝄞 \u0001';
    assert.equal(canonicalJson(text), JSON.stringify(text));
    assert.equal(canonicalJson({ [text]: text }), `{${JSON.stringify(text)}:${JSON.stringify(text)}}`);
  });

  it("refuses values JSON cannot carry exactly", () => {
    assert.throws(() => canonicalJson(undefined), TypeError);
    assert.throws(() => canonicalJson({ a: undefined }), TypeError);
    assert.throws(() => canonicalJson([undefined]), TypeError);
    assert.throws(() => canonicalJson(Number.NaN), TypeError);
    assert.throws(() => canonicalJson({ a: Number.POSITIVE_INFINITY }), TypeError);
    assert.throws(() => canonicalJson(-Infinity), TypeError);
    assert.throws(() => canonicalJson(() => 1), TypeError);
  });

  it("matches the server's serialization on a full metrics view", () => {
    const view = {
      scope: "agent",
      id: "agent-ü/1",
      version: 7,
      computedAt: "2025-01-02T03:04:05.678Z",
      sources: {
        count: 3,
        totalBytes: 1_048_576,
        totalTokens: 9001,
        byType: { pdf: 1, docx: 0, text: 2, url: 0, csv: 0, other: 0 },
        byStatus: { processing: 0, ready: 3, failed: 0 },
        lastAddedAt: null,
      },
      interactions: { costUsd: 0.000123, latencyMs: { p95: 812.5 }, byModel: { "gpt-x": { count: 2, costUsd: 1e-6 } } },
    };
    assert.equal(canonicalJson(view), serverCanonicalJson(view));
  });
});
