/**
 * @module signed-message
 * What an Ed25519 signature of this API is over: a fixed header, the key id, the signing time and the
 * canonical JSON of the signed data, one per line, as UTF-8. The header names what is signed (a
 * served view, a served series, or the server-only record of who may read a view), so a signature
 * over one kind can never pass for another: a series of an agent does not verify as that agent's
 * view. Binding key id and time stops a signature from being replayed under another key or passed
 * off as newer. Verification needs only the public keys of `GET /v1/signing-keys`.
 */
import { canonicalJson } from "./canonical-json";

export const SIGNATURE_ALG = "Ed25519" as const;

/** What a signature is over, and the header its message starts with. */
export const MESSAGE_HEADERS = { view: "agent-metrics-view/v1", series: "agent-metrics-series/v1", access: "agent-metrics-access/v1" } as const;
export type SignedPurpose = keyof typeof MESSAGE_HEADERS;

/**
 * The text whose UTF-8 bytes are signed. `purpose` has no default: every signer and verifier names
 * the kind it means, so a new kind of document can never slip under an existing header.
 * @throws TypeError when `data` cannot be canonical (it was then never signed).
 * @example signedMessageText(series, "k1", "2026-01-01T00:00:00.000Z", "series") // "agent-metrics-series/v1\nk1\n…"
 */
export function signedMessageText(data: unknown, keyId: string, signedAt: string, purpose: SignedPurpose): string {
  return `${MESSAGE_HEADERS[purpose]}\n${keyId}\n${signedAt}\n${canonicalJson(data)}`;
}
