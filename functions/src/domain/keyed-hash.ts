/**
 * @module keyed-hash
 * HMAC-SHA256 under the deployment's pepper. API keys are stored only as this hash (used as the
 * document id, so a lookup is one read), and usage logs keep only this hash of a client IP. A
 * purpose label separates the two uses, so an IP hash can never collide with a key hash.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type HashPurpose = "api-key" | "client-ip";

/** The shortest pepper accepted: 32 characters (the harness makes 43, base64url of 32 random bytes). */
export const MIN_PEPPER_LENGTH = 32;

/**
 * Throws unless `pepper` is long enough to be a secret: a short one would make every stored key hash
 * and client-address hash guessable offline. Checked once, when the API is built.
 */
export function assertPepper(pepper: string): void {
  if (pepper.length < MIN_PEPPER_LENGTH) throw new Error(`API_KEY_PEPPER must be at least ${MIN_PEPPER_LENGTH} characters of random data (it has ${pepper.length}).`);
}

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
