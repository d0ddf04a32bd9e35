/**
 * @module client-address
 * The client's address as usage records and per-address limits see it: never stored raw, only as
 * `HMAC-SHA256(pepper, "client-ip", address)`.
 */
import { keyedHash } from "../domain/keyed-hash";

/** The client address named by `X-Forwarded-For`, or null when there is none. */
export function clientAddress(forwardedFor: string | undefined): string | null {
  return forwardedFor?.split(",")[0]?.trim() || null;
}

/** The keyed hash of the client address, or null when there is none. */
export function clientAddressHash(pepper: string, forwardedFor: string | undefined): string | null {
  const address = clientAddress(forwardedFor);
  return address ? keyedHash(pepper, "client-ip", address) : null;
}
