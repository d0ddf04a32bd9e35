/**
 * @module api-key-format
 * The shape of API keys: `mk_<env>_<22 base62 random chars><6 base62 CRC-32 chars>`.
 *
 * 22 base62 characters carry 130.9 bits of randomness. The trailing checksum (as in GitHub's token
 * format) lets a mistyped or truncated key be refused before any Firestore read, and makes leaked keys
 * easy for secret scanners to recognise without false positives.
 */
import { randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

export type KeyEnvironment = "live" | "test";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_CHARS = 22;
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = /^mk_(live|test)_([0-9A-Za-z]{22})([0-9A-Za-z]{6})$/;
/** How many leading characters of a key are kept for display in lists (env prefix plus 4 chars). */
const DISPLAY_PREFIX_CHARS = 12;

function randomBase62(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/**
 * Creates a new random API key.
 * @example generateApiKey("test") // "mk_test_3fZ...Qx9a1B"
 */
export function generateApiKey(env: KeyEnvironment): string {
  const body = `mk_${env}_${randomBase62(RANDOM_CHARS)}`;
  return body + checksum(body);
}

/** True when `candidate` has the key shape and a valid checksum: no I/O, safe on any input. */
export function isWellFormedApiKey(candidate: unknown): candidate is string {
  if (typeof candidate !== "string") return false;
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return false;
  const body = candidate.slice(0, candidate.length - CHECKSUM_CHARS);
  return checksum(body) === match[3];
}

/** The part of a key that may be shown again after creation. */
export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_CHARS);
}

/** What `generateKeyId` makes. */
export const KEY_ID_PATTERN = /^key_[0-9A-Za-z]{16}$/;

/** A public, random identifier for a key, used in URLs; never derived from the key itself. */
export function generateKeyId(): string {
  return `key_${randomBase62(16)}`;
}
