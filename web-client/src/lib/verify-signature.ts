/**
 * @module verify-signature
 * Checks a metrics response against the public signing keys with WebCrypto Ed25519, so the page can
 * show whether what it displays is exactly what the server signed. The message is the contract's
 * (`signedMessageText`: header, key id, signing time, canonical JSON of `data`, one per line), and
 * the caller names the kind it expects: a view and a series are signed under different headers, so
 * a series never verifies where a view is expected. Any malformed input answers false rather than
 * throwing: to the user it is simply "not verified".
 */
import { fromBase64Url, SIGNATURE_ALG, signedMessageText, type SignedPurpose, type SignedResponse, type SigningKey } from "metrics-functions/contract";

const ED25519 = { name: SIGNATURE_ALG } as const;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

/** The kinds of signed document the API serves (the access record is never served). */
export type ServedKind = Extract<SignedPurpose, "view" | "series">;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * True when `response.signature` is a valid Ed25519 signature over `response.data`, as a document of
 * `kind`, by the key among `keys` whose id it names; false for a bad signature, another kind, an
 * unknown key, or any malformed input.
 * @example
 * const { keys } = await client.signingKeys();
 * const body = await client.agentMetrics("agent-1");
 * if (!(await verifyMetricsSignature(body, keys, "view"))) showWarning();
 */
export async function verifyMetricsSignature(response: unknown, keys: readonly SigningKey[], kind: ServedKind): Promise<boolean> {
  try {
    if (!isRecord(response) || !isRecord(response.data) || !isRecord(response.signature)) return false;
    const { alg, keyId, signedAt, value } = response.signature;
    if (alg !== SIGNATURE_ALG || typeof keyId !== "string" || typeof signedAt !== "string" || typeof value !== "string") {
      return false;
    }
    const key = Array.isArray(keys) ? keys.find((k) => k?.keyId === keyId && k.alg === SIGNATURE_ALG) : undefined;
    const rawKey = typeof key?.publicKey === "string" ? fromBase64Url(key.publicKey) : null;
    const signature = fromBase64Url(value);
    if (rawKey?.length !== PUBLIC_KEY_BYTES || signature?.length !== SIGNATURE_BYTES) return false;

    const publicKey = await crypto.subtle.importKey("raw", rawKey, ED25519, false, ["verify"]);
    const message = new TextEncoder().encode(signedMessageText(response.data, keyId, signedAt, kind));
    return await crypto.subtle.verify(ED25519, publicKey, signature, message);
  } catch {
    // Data that cannot be canonical was never signed; a browser without Ed25519 cannot vouch for it.
    return false;
  }
}

/**
 * A verifier of one kind bound to a key source (e.g. a `SigningKeyCache`), as the metrics cache
 * (`"view"`) and the series feed (`"series"`) take it. It answers false for a bad signature and
 * throws when the keys cannot be fetched, so a caller can tell "forged" from "cannot check right now".
 * @example const verifyView = signatureVerifier(new SigningKeyCache(() => api.signingKeys()), "view");
 */
export function signatureVerifier(keys: { keysFor(keyId: string): Promise<SigningKey[]> }, kind: ServedKind): (response: SignedResponse) => Promise<boolean> {
  return async (response) => {
    const keyId: unknown = response?.signature?.keyId;
    if (typeof keyId !== "string") return false;
    return verifyMetricsSignature(response, await keys.keysFor(keyId), kind);
  };
}
