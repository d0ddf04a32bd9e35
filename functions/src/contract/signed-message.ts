/**
 * @module signed-message
 * What an Ed25519 signature of this API is over: a fixed header, the key id, the signing time and the
 * canonical JSON of the signed data, one per line, as UTF-8. The header names what is signed (a
 * served view or series, or the server-only record of who may read a view), so a signature over one
 * can never pass for the other; binding key id and time stops a signature from being replayed under
 * another key or passed off as newer. Verification needs only the public keys of `GET /v1/signing-keys`.
 */
import { canonicalJson } from "./canonical-json";

export const SIGNATURE_ALG = "Ed25519" as const;

/** What a signature is over, and the header its message starts with. */
export const MESSAGE_HEADERS = { view: "agent-metrics-view/v1", access: "agent-metrics-access/v1" } as const;
export type SignedPurpose = keyof typeof MESSAGE_HEADERS;

/**
 * The text whose UTF-8 bytes are signed.
 * @throws TypeError when `data` cannot be canonical (it was then never signed).
 */
export function signedMessageText(data: unknown, keyId: string, signedAt: string, purpose: SignedPurpose = "view"): string {
  return `${MESSAGE_HEADERS[purpose]}\n${keyId}\n${signedAt}\n${canonicalJson(data)}`;
}
