/**
 * @module signing
 * Ed25519 signatures over metrics views, series and access records, with key ids so the signing key
 * can rotate. What is signed (header, key id, time, canonical JSON) is the contract's `signed-message`;
 * this module holds the keys and does the signing, and the browser verifies with the public keys alone.
 * Every call names its purpose (no default), so a series is never signed or checked as a view.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { fromBase64Url, toBase64Url } from "../contract/base64url";
import { SIGNATURE_ALG, signedMessageText, type SignedPurpose } from "../contract/signed-message";

export { SIGNATURE_ALG, type SignedPurpose };

/** The signature stored with, and served beside, every metrics view. */
export interface ViewSignature {
  alg: typeof SIGNATURE_ALG;
  keyId: string;
  signedAt: string;
  value: string;
}

/** A public key as `GET /v1/signing-keys` serves it. */
export interface PublicSigningKey {
  keyId: string;
  alg: typeof SIGNATURE_ALG;
  publicKey: string;
  status: "active" | "retired";
}

/** The signing keys of a deployment: one active private key, any number of retired public keys. */
export interface Keyring {
  readonly activeKeyId: string;
  readonly publicKeys: readonly PublicSigningKey[];
  sign(data: object, signedAt: Date, purpose: SignedPurpose): ViewSignature;
  verify(data: object, signature: ViewSignature, purpose: SignedPurpose): boolean;
}

/**
 * The secret's JSON form. `d` is the raw 32-byte Ed25519 seed, base64url; retired keys may carry only
 * their public key `x` (raw 32 bytes, base64url), so an old private key can be destroyed.
 * @example { "active": "k1", "keys": [{ "keyId": "k1", "d": "..." }, { "keyId": "k0", "x": "..." }] }
 */
export interface KeyringSecret {
  active: string;
  keys: Array<{ keyId: string; d?: string; x?: string }>;
}

/** The exact bytes that are signed. */
const signedMessage = (data: object, keyId: string, signedAt: string, purpose: SignedPurpose): Buffer => Buffer.from(signedMessageText(data, keyId, signedAt, purpose), "utf8");

function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  // PKCS#8 prefix for an Ed25519 private key (RFC 8410), followed by the 32-byte seed.
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
}

function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw }, format: "jwk" });
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("signing: key has no public component");
  return jwk.x;
}

/**
 * Builds a keyring from its secret JSON.
 * @throws Error naming the problem (never the key material) when the secret is malformed.
 */
export function parseKeyring(secretJson: string): Keyring {
  let secret: KeyringSecret;
  try {
    secret = JSON.parse(secretJson) as KeyringSecret;
  } catch {
    throw new Error("signing: keyring secret is not JSON");
  }
  if (!secret || typeof secret.active !== "string" || !Array.isArray(secret.keys)) {
    throw new Error("signing: keyring secret needs `active` and `keys`");
  }
  const publicKeys = new Map<string, KeyObject>();
  let activePrivate: KeyObject | undefined;
  for (const entry of secret.keys) {
    if (typeof entry?.keyId !== "string" || entry.keyId.length === 0) throw new Error("signing: key without keyId");
    if (entry.d) {
      const seed = fromBase64Url(entry.d);
      if (!seed || seed.length !== 32) throw new Error(`signing: key ${entry.keyId} has a malformed seed`);
      const privateKey = privateKeyFromSeed(seed);
      publicKeys.set(entry.keyId, createPublicKey(privateKey));
      if (entry.keyId === secret.active) activePrivate = privateKey;
    } else if (entry.x) {
      publicKeys.set(entry.keyId, publicKeyFromRaw(entry.x));
    } else {
      throw new Error(`signing: key ${entry.keyId} has neither d nor x`);
    }
  }
  if (!activePrivate) throw new Error("signing: the active key has no private seed");
  const active = activePrivate;
  const activeKeyId = secret.active;

  return {
    activeKeyId,
    publicKeys: [...publicKeys].map(([keyId, key]) => ({
      keyId,
      alg: SIGNATURE_ALG,
      publicKey: rawPublicKey(key),
      status: keyId === activeKeyId ? "active" : "retired",
    })),
    sign(data, signedAtDate, purpose) {
      const signedAt = signedAtDate.toISOString();
      const value = sign(null, signedMessage(data, activeKeyId, signedAt, purpose), active);
      return { alg: SIGNATURE_ALG, keyId: activeKeyId, signedAt, value: toBase64Url(value) };
    },
    verify(data, signature, purpose) {
      const key = publicKeys.get(signature?.keyId);
      const value = typeof signature?.value === "string" ? fromBase64Url(signature.value) : null;
      if (!key || signature.alg !== SIGNATURE_ALG || !value || typeof signature.signedAt !== "string") return false;
      try {
        return verify(null, signedMessage(data, signature.keyId, signature.signedAt, purpose), key, value);
      } catch {
        return false; // canonicalJson refuses data that could never have been signed
      }
    },
  };
}

/** Makes a fresh keyring secret with one active key; used for local emulator secrets and rotation. */
export function generateKeyringSecret(keyId: string, retired: KeyringSecret["keys"] = []): KeyringSecret {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return { active: keyId, keys: [{ keyId, d: jwk.d as string }, ...retired] };
}
