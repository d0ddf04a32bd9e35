/**
 * @module signatures
 * The signature beside every metrics view and series (over the contract's signed message), and the
 * public keys that verify it.
 */
import { z } from "zod";
import { SIGNATURE_ALG } from "../signed-message";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "is not unpadded base64url");

export const viewSignature = z
  .strictObject({
    alg: z.literal(SIGNATURE_ALG),
    keyId: z.string().min(1),
    signedAt: z.iso.datetime(),
    value: base64url.meta({ description: "The Ed25519 signature (64 bytes), unpadded base64url." }),
  })
  .meta({
    id: "Signature",
    description:
      "Ed25519 over a header naming the kind (`agent-metrics-view/v1` for a metrics view, `agent-metrics-series/v1` for a series), key id, `signedAt` and the canonical JSON (RFC 8785) of `data`, one per line.",
  });
export type ViewSignature = z.infer<typeof viewSignature>;

/** Any signed answer: `signature` covers exactly `data`. */
export interface SignedResponse<T = unknown> {
  data: T;
  signature: ViewSignature;
}

export const signingKey = z
  .strictObject({
    keyId: z.string().min(1),
    alg: z.literal(SIGNATURE_ALG),
    publicKey: base64url.meta({ description: "The raw 32-byte Ed25519 public key, unpadded base64url." }),
    status: z.enum(["active", "retired"]).meta({ description: "Retired keys still verify what they signed." }),
  })
  .meta({ id: "SigningKey" });
export type SigningKey = z.infer<typeof signingKey>;

export const signingKeys = z.strictObject({ keys: z.array(signingKey) }).meta({ id: "SigningKeys" });
export type SigningKeys = z.infer<typeof signingKeys>;
