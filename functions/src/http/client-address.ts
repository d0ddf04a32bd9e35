/**
 * @module client-address
 * The client's address as usage records and per-address limits see it: never stored raw, only as
 * `HMAC-SHA256(pepper, "client-ip", address)` under the current pepper.
 *
 * Which entry of `X-Forwarded-For`: Google's front end, in front of Cloud Functions v2 and Cloud Run,
 * appends the address of whoever connected to it to what the request already carried, so the last
 * entry is the one the platform vouches for; every earlier one was written by the client or a proxy
 * before it (the first entry was the client's to choose: each forged value was a new usage tally). A
 * request through Firebase Hosting reaches the front end from Hosting's edge, so its last entry is
 * that edge and the client's own address is the one before it: a deployment served only through
 * Hosting says so with `trustedHops = 1` (`CLIENT_ADDRESS_TRUSTED_HOPS`), which takes the entry that
 * many places before the last. Where fewer entries exist than that, the first is used.
 */
import type { Context } from "hono";
import { keyedHash, type PepperRing } from "../signing/keyed-hash";
import type { ApiDeps } from "./app-env";
import { requestHeader } from "./request-headers";

/** The client address named by `X-Forwarded-For` (see the module comment), or null when there is none. */
export function clientAddress(forwardedFor: string | undefined, trustedHops = 0): string | null {
  const hops = (forwardedFor ?? "").split(",").map((hop) => hop.trim()).filter((hop) => hop.length > 0);
  if (hops.length === 0) return null;
  return hops[Math.max(0, hops.length - 1 - trustedHops)];
}

/** The keyed hash of the client address, or null when there is none. */
export function clientAddressHash(peppers: PepperRing, forwardedFor: string | undefined, trustedHops = 0): string | null {
  const address = clientAddress(forwardedFor, trustedHops);
  return address ? keyedHash(peppers, "client-ip", address) : null;
}

/** The keyed hash of the address of the client that sent `c` (null when unknown), as `clientAddressHash` finds it. */
export const requestAddressHash = (c: Context, deps: Pick<ApiDeps, "peppers" | "trustedHops">): string | null => clientAddressHash(deps.peppers, requestHeader(c, "x-forwarded-for"), deps.trustedHops ?? 0);
