/**
 * @module verify-signature.test
 * Proves the browser verifier accepts exactly what the server's message format signs and nothing
 * else: tampered data, another key id, another signing time, another kind (a series where a view is
 * expected, or the reverse) or malformed input all answer false.
 */
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { before, describe, it } from "node:test";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import type { SigningKey } from "metrics-functions/contract";
import { canonicalJson } from "metrics-functions/contract";
import { verifyMetricsSignature } from "../../../web-client/src/lib/verify-signature";

// Node's WebCrypto, typed by @types/node whatever `lib` the test tsconfig uses; at runtime it is the
// same object as the `globalThis.crypto` the verifier calls.
const { subtle } = webcrypto;
const ED25519 = { name: "Ed25519" } as const;
const SIGNED_AT = "2025-01-02T03:04:05.678Z";

const base64url = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("base64url");

function sampleData() {
  return {
    scope: "agent",
    id: "agent-1",
    version: 3,
    computedAt: SIGNED_AT,
    sources: { count: 2, totalBytes: 2048, totalTokens: 500, byType: { pdf: 1, text: 1 }, byStatus: { processing: 0, ready: 2, failed: 0 }, lastAddedAt: null },
  };
}

interface TestKey {
  keyId: string;
  pair: webcrypto.CryptoKeyPair;
  published: SigningKey;
}

async function makeKey(keyId: string, status: SigningKey["status"] = "active"): Promise<TestKey> {
  const pair = (await subtle.generateKey(ED25519, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const publicKey = base64url(await subtle.exportKey("raw", pair.publicKey));
  return { keyId, pair, published: { keyId, alg: "Ed25519", publicKey, status } };
}

/** Signs `data` the way the contract says the server does, independently of the code under test. */
async function signedResponse<T extends object>(data: T, key: TestKey, signedAt = SIGNED_AT, header = "agent-metrics-view/v1") {
  const message = `${header}\n${key.keyId}\n${signedAt}\n${canonicalJson(data)}`;
  const value = base64url(await subtle.sign(ED25519, key.pair.privateKey, new TextEncoder().encode(message)));
  return { data, signature: { alg: "Ed25519", keyId: key.keyId, signedAt, value }, meta: { cache: "store", ageMs: 0, stale: false } };
}

describe("verifyMetricsSignature", () => {
  let active: TestKey;
  let retired: TestKey;
  let keys: SigningKey[];

  before(async () => {
    active = await makeKey("k2");
    retired = await makeKey("k1", "retired");
    keys = [active.published, retired.published];
  });

  it("accepts a genuine signature, and one by a retired key", async () => {
    assert.equal(await verifyMetricsSignature(await signedResponse(sampleData(), active), keys, "view"), true);
    assert.equal(await verifyMetricsSignature(await signedResponse(sampleData(), retired), keys, "view"), true);
  });

  it("does not depend on the key order of the received data", async () => {
    const response = await signedResponse(sampleData(), active);
    const { sources, version, id, scope, computedAt } = response.data;
    assert.equal(await verifyMetricsSignature({ ...response, data: { version, sources, computedAt, id, scope } }, keys, "view"), true);
  });

  it("rejects data with one number changed", async () => {
    const response = await signedResponse(sampleData(), active);
    response.data.sources.totalTokens += 1;
    assert.equal(await verifyMetricsSignature(response, keys, "view"), false);
  });

  it("rejects a changed signing time", async () => {
    const response = await signedResponse(sampleData(), active);
    response.signature.signedAt = "2030-01-01T00:00:00.000Z";
    assert.equal(await verifyMetricsSignature(response, keys, "view"), false);
  });

  it("rejects a wrong or unknown key id", async () => {
    const response = await signedResponse(sampleData(), active);
    assert.equal(await verifyMetricsSignature({ ...response, signature: { ...response.signature, keyId: "k1" } }, keys, "view"), false);
    assert.equal(await verifyMetricsSignature({ ...response, signature: { ...response.signature, keyId: "nope" } }, keys, "view"), false);
    assert.equal(await verifyMetricsSignature(response, [retired.published], "view"), false);
  });

  it("returns false, never throws, for garbage", async () => {
    const genuine = await signedResponse(sampleData(), active);
    const garbage: unknown[] = [
      null, undefined, 42, "text", [], {}, { data: genuine.data }, { signature: genuine.signature },
      { ...genuine, signature: { ...genuine.signature, value: "not base64url!" } },
      { ...genuine, signature: { ...genuine.signature, value: genuine.signature.value.slice(4) } },
      { ...genuine, signature: { ...genuine.signature, alg: "RS256" } },
      { ...genuine, signature: { ...genuine.signature, value: 7 } },
      { ...genuine, data: { ...genuine.data, version: Number.NaN } },
      { ...genuine, data: { ...genuine.data, extra: undefined } },
    ];
    for (const input of garbage) assert.equal(await verifyMetricsSignature(input, keys, "view"), false, `input: ${String(input)}`);
    const badKeys = [[{ ...active.published, publicKey: "AAAA" }], [{ ...active.published, alg: "RS256" }], null, [null]];
    for (const list of badKeys) assert.equal(await verifyMetricsSignature(genuine, list as SigningKey[], "view"), false);
  });

  it("checks the kind: a series is not a view, nor a view a series, over the same data (issue #26, finding 7)", async () => {
    const series = await signedResponse(sampleData(), active, SIGNED_AT, "agent-metrics-series/v1");
    assert.equal(await verifyMetricsSignature(series, keys, "series"), true);
    assert.equal(await verifyMetricsSignature(series, keys, "view"), false);
    const view = await signedResponse(sampleData(), active);
    assert.equal(await verifyMetricsSignature(view, keys, "series"), false);
  });

  it("accepts a view signed by the server's own keyring", async () => {
    const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("server-k1")));
    const data = sampleData();
    const response = { data, signature: keyring.sign(data, new Date(SIGNED_AT), "view") };
    assert.equal(await verifyMetricsSignature(response, [...keyring.publicKeys], "view"), true);
    assert.equal(await verifyMetricsSignature({ ...response, data: { ...data, version: 4 } }, [...keyring.publicKeys], "view"), false);
  });

  it("accepts a series signed by the server's own keyring as a series only", async () => {
    const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("server-k1")));
    const data = { scope: "agent", id: "agent-1", granularity: "hour", from: SIGNED_AT, to: SIGNED_AT, points: [] };
    const response = { data, signature: keyring.sign(data, new Date(SIGNED_AT), "series") };
    assert.equal(await verifyMetricsSignature(response, [...keyring.publicKeys], "series"), true);
    assert.equal(await verifyMetricsSignature(response, [...keyring.publicKeys], "view"), false);
  });
});
