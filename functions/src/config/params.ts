/**
 * @module params
 * Deployment parameters and secrets, declared once. Secrets come from Cloud Secret Manager in
 * production and from the git-ignored `functions/.secret.local` on the emulator (created by
 * `npm start` / `npm test`). Their values are read only when a function runs, never at deploy time.
 */
import { randomBytes } from "node:crypto";
import { defineSecret } from "firebase-functions/params";

export const REGION = "us-central1";

/** JSON keyring of Ed25519 signing keys; see `KeyringSecret` in signing/signing.ts. */
export const signingKeyringSecret = defineSecret("METRICS_SIGNING_KEYRING");

/** Pepper of the keyed hashes of API keys and client IPs. */
export const apiKeyPepperSecret = defineSecret("API_KEY_PEPPER");

/** The revision this instance serves: Cloud Run's `K_REVISION` (the Functions emulator sets "1"), else "unknown". */
export const deployedRevision = (): string => process.env.K_REVISION ?? "unknown";

/**
 * Names this function instance: random at start, since instances share no state. It labels cache
 * stats, and it is the shard of the counters every instance writes once a second (rate-limit windows,
 * daily usage), so that no two instances ever write the same counter document.
 */
export const INSTANCE_ID = `${process.env.K_REVISION ?? "local"}-${randomBytes(4).toString("hex")}`;

/** True inside the Functions emulator, where keys are minted as `mk_test_`. */
export const isEmulator = (): boolean => process.env.FUNCTIONS_EMULATOR === "true";

/**
 * Comma-separated origins (`https://app.example.com`) whose pages may write with the session cookie,
 * besides the API's own host and the Hosting site that forwards to it (`http/auth/same-origin.ts`).
 * Read from the environment (`functions/.env`), not a `defineString`: an empty parameter makes the
 * CLI ask for a value at every deploy and emulator start, and none is the usual case.
 */
export const allowedOrigins = (): string | undefined => process.env.ALLOWED_ORIGINS;

/**
 * How many proxies of the deployment's own stand in front of Google's front end (`CLIENT_ADDRESS_TRUSTED_HOPS`,
 * 0 by default; 1 when every request comes through Hosting): which `X-Forwarded-For` entry names the
 * client (`http/client-address.ts`). From the environment, for the same reason as `allowedOrigins`.
 */
export function clientAddressTrustedHops(): number {
  const hops = Number(process.env.CLIENT_ADDRESS_TRUSTED_HOPS ?? 0);
  return Number.isInteger(hops) && hops >= 0 && hops <= 5 ? hops : 0;
}

/**
 * Requests a minute one user may have answered by the store across all their keys
 * (`USER_STORE_REQUESTS_PER_MINUTE`; absent or invalid: the default of `http/caller-limits.ts`). A
 * deployment whose users run heavy dashboards raises it; the benchmarks raise it for their one user.
 * From the environment, for the same reason as `allowedOrigins`.
 */
export function userStoreRequestsPerMinute(): number | undefined {
  const limit = Number(process.env.USER_STORE_REQUESTS_PER_MINUTE);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
}
