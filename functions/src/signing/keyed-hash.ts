/**
 * @module keyed-hash
 * HMAC-SHA256 under the deployment's pepper. API keys are stored only as this hash (used as the
 * document id, so a lookup is one read), and usage logs keep only this hash of a client IP. A
 * purpose label separates the two uses, so an IP hash can never collide with a key hash.
 *
 * Peppers are versioned so one can be replaced without breaking the keys made under it: the secret
 * `API_KEY_PEPPER` is either one pepper (version "1") or a ring, `{"current":"2","peppers":{"2":"…",
 * "1":"…"}}`. New hashes are made under the current version; a key is looked up under the current
 * version first, then under each older one still in the ring (one more read each, only for a key
 * the current pepper does not find). A version's hash is the same whatever else the ring holds, so
 * version 1 of a ring is exactly the single pepper it replaces.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type HashPurpose = "api-key" | "client-ip";

/** The shortest pepper accepted: 32 characters (the harness makes 43, base64url of 32 random bytes). */
export const MIN_PEPPER_LENGTH = 32;

/** The peppers of a deployment: the version new hashes are made under, and every version still accepted. */
export interface PepperRing {
  readonly current: string;
  /** Version → pepper, the current version first. */
  readonly peppers: ReadonlyMap<string, string>;
}

/** The version of a secret that holds one pepper rather than a ring. */
const SINGLE_VERSION = "1";

/** Throws unless `pepper` is long enough to be a secret: a short one would make every stored hash guessable offline. */
function assertPepper(pepper: unknown, version: string): asserts pepper is string {
  if (typeof pepper !== "string" || pepper.length < MIN_PEPPER_LENGTH) {
    throw new Error(`API_KEY_PEPPER: pepper ${version} must be at least ${MIN_PEPPER_LENGTH} characters of random data (it has ${typeof pepper === "string" ? pepper.length : 0}).`);
  }
}

/**
 * The ring a `API_KEY_PEPPER` secret holds: one pepper, or the JSON ring form. Checked once, when
 * the API is built; an error names the problem, never a pepper.
 */
export function parsePepperRing(secret: string): PepperRing {
  if (!secret.trimStart().startsWith("{")) {
    assertPepper(secret, SINGLE_VERSION);
    return { current: SINGLE_VERSION, peppers: new Map([[SINGLE_VERSION, secret]]) };
  }
  let ring: { current?: unknown; peppers?: unknown };
  try {
    ring = JSON.parse(secret) as typeof ring;
  } catch {
    throw new Error("API_KEY_PEPPER: a ring must be JSON of the form {\"current\":\"2\",\"peppers\":{\"2\":\"…\",\"1\":\"…\"}}.");
  }
  const entries = ring.peppers && typeof ring.peppers === "object" ? Object.entries(ring.peppers as Record<string, unknown>) : [];
  if (typeof ring.current !== "string" || !entries.some(([version]) => version === ring.current)) {
    throw new Error("API_KEY_PEPPER: the ring's `current` must name one of its `peppers`.");
  }
  for (const [version, pepper] of entries) assertPepper(pepper, version);
  const current = ring.current;
  const ordered = [...entries.filter(([version]) => version === current), ...entries.filter(([version]) => version !== current)] as Array<[string, string]>;
  return { current, peppers: new Map(ordered) };
}

/** Hex HMAC-SHA256 of `value` under the ring's pepper `version` (the current one by default), domain-separated by `purpose`. */
export function keyedHash(ring: PepperRing, purpose: HashPurpose, value: string, version = ring.current): string {
  const pepper = ring.peppers.get(version);
  if (pepper === undefined) throw new RangeError(`no pepper version ${version} in the ring`);
  return createHmac("sha256", pepper).update(`${purpose}\u0000${value}`, "utf8").digest("hex");
}

/** `value`'s hash under every version of the ring, the current one first: where a lookup tries. */
export function candidateHashes(ring: PepperRing, purpose: HashPurpose, value: string): Array<{ version: string; hash: string }> {
  return [...ring.peppers.keys()].map((version) => ({ version, hash: keyedHash(ring, purpose, value, version) }));
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
