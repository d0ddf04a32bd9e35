/**
 * @module api-keys
 * Making an API key the way a developer does, through the app's own `POST /v1/api-keys`, for suites
 * and benchmarks that hold the app in process.
 */
import assert from "node:assert/strict";

/**
 * The key limits of the instances that tests and benchmarks build in process: the contract's 50 keys,
 * a rate-limit ceiling of 100,000 a minute (the deployment default is 10,000) and a user store budget
 * of 10,000,000 a minute (the default is 1,000), so one caller can carry a whole load run or hostile suite.
 */
export const HARNESS_KEY_LIMITS = { maxActiveKeys: 50, maxRateLimitPerMinute: 100_000, userStoreRequestsPerMinute: 10_000_000 };

/** Anything that answers requests as `Hono#request` does. */
export interface InProcessApp {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

export interface KeyRequest {
  name: string;
  permissions: string[];
  rateLimitPerMinute?: number;
}

/** Creates a key as the caller whose ID token is `idToken`; returns the key (shown once). */
export async function createKeyThrough(app: InProcessApp, idToken: string, key: KeyRequest): Promise<string> {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${idToken}`, "content-type": "application/json" }, body: JSON.stringify(key) });
  assert.equal(res.status, 201, `creating an API key answered ${res.status}: ${await res.clone().text()}`);
  return ((await res.json()) as { key: string }).key;
}
