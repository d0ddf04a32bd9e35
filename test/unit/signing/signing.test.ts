import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { signedMessageText } from "../../../functions/src/contract/signed-message";

const data = { scope: "agent", id: "a1", sources: { count: 3, totalBytes: 1200 }, version: 4 };

test("a signature verifies over the same data and fails when one number changes", () => {
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
  const signature = keyring.sign(data, new Date("2026-01-02T03:04:05Z"), "view");
  assert.deepEqual({ alg: signature.alg, keyId: signature.keyId, signedAt: signature.signedAt }, { alg: "Ed25519", keyId: "k1", signedAt: "2026-01-02T03:04:05.000Z" });
  assert.equal(keyring.verify(data, signature, "view"), true);
  assert.equal(keyring.verify({ ...data, sources: { ...data.sources, count: 4 } }, signature, "view"), false);
  assert.equal(keyring.verify(data, { ...signature, signedAt: "2027-01-01T00:00:00.000Z" }, "view"), false);
});

test("anyone can verify with the served raw public key and node:crypto alone", () => {
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
  const signature = keyring.sign(data, new Date(), "view");
  const served = keyring.publicKeys.find((k) => k.keyId === "k1");
  assert.ok(served);
  assert.equal(Buffer.from(served.publicKey, "base64url").length, 32);
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: served.publicKey }, format: "jwk" });
  assert.equal(verify(null, Buffer.from(signedMessageText(data, "k1", signature.signedAt, "view")), publicKey, Buffer.from(signature.value, "base64url")), true);
});

test("after rotation, views signed by the retired key still verify and new ones use the new key", () => {
  const old = generateKeyringSecret("k1");
  const before = parseKeyring(JSON.stringify(old));
  const oldSignature = before.sign(data, new Date(), "view");
  const retiredPublic = before.publicKeys[0].publicKey;
  const rotated = parseKeyring(JSON.stringify(generateKeyringSecret("k2", [{ keyId: "k1", x: retiredPublic }])));
  assert.equal(rotated.verify(data, oldSignature, "view"), true);
  assert.equal(rotated.sign(data, new Date(), "view").keyId, "k2");
  assert.deepEqual(rotated.publicKeys.map((k) => [k.keyId, k.status]), [["k2", "active"], ["k1", "retired"]]);
});

test("a signature under an unknown key id or of garbage never verifies and never throws", () => {
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
  const signature = keyring.sign(data, new Date(), "view");
  assert.equal(keyring.verify(data, { ...signature, keyId: "nope" }, "view"), false);
  assert.equal(keyring.verify(data, { ...signature, value: "!!!" }, "view"), false);
  assert.equal(keyring.verify(data, undefined as never, "view"), false);
  assert.equal(keyring.verify({ bad: Number.NaN }, signature, "view"), false);
});

test("a malformed keyring secret is refused without echoing key material", () => {
  assert.throws(() => parseKeyring("not json"), /not JSON/);
  assert.throws(() => parseKeyring(JSON.stringify({ active: "k1", keys: [{ keyId: "k1", d: "short" }] })), /malformed seed/);
  assert.throws(() => parseKeyring(JSON.stringify({ active: "k9", keys: [] })), /no private seed/);
});
