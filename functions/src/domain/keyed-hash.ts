/**
 * @module keyed-hash
 * HMAC-SHA256 under the deployment's pepper. API keys are stored only as this hash (used as the
 * document id, so a lookup is one read), and usage logs keep only this hash of a client IP. A
 * purpose label separates the two uses, so an IP hash can never collide with a key hash.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type HashPurpose = "api-key" | "client-ip";

/** Hex HMAC-SHA256 of `value` under `pepper`, domain-separated by `purpose`. */
export function keyedHash(pepper: string, purpose: HashPurpose, value: string): string {
  return createHmac("sha256", pepper).update(`${purpose}\u0000${value}`, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
