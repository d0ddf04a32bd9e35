/**
 * @module product-instance
 * One instance of the product's API, as a function instance builds it (`createApp(apiDeps(config))`
 * from services.ts), mounted on a loopback HTTP server against the real Firestore and Auth emulators
 * (documents in the trigger-free project, sessions verified by the default project's Auth).
 * Each benchmark figure that needs a cold cache gets a fresh instance, since every in-memory cache
 * lives in the instance.
 */
import { createApp } from "../../functions/src/http/app";
import { apiDeps } from "../../functions/src/services";
import type { Logger } from "../../functions/src/config/logger";
import { adminAuth } from "../support/emulators";
import { createKeyThrough, HARNESS_KEY_LIMITS } from "../support/api-keys";
import { serveFetchApp, type LoopbackServer } from "./loopback-server";
import type { ReadWorld } from "./read-world";

/** The highest rate limit a key may be given on the bench's instances. */
export const MAX_RATE_LIMIT_PER_MINUTE = HARNESS_KEY_LIMITS.maxRateLimitPerMinute;
/** Requests one key carries before the load moves to the next (a margin under its per-minute limit). */
const REQUESTS_PER_KEY = Math.floor(MAX_RATE_LIMIT_PER_MINUTE * 0.9);
/** The heap figure reads `GET /v1/cache/stats` with the same keys. */
const PERMISSIONS = ["read:agent-metrics", "write:agent-metrics", "read:cache-stats"];

/** Warnings and errors the instances logged, by event name (the bench reports them, not the lines). */
export const loggedEvents = new Map<string, number>();
export const countingLogger: Logger = {
  info: () => undefined,
  warn: (event) => void loggedEvents.set(`warn ${event}`, (loggedEvents.get(`warn ${event}`) ?? 0) + 1),
  error: (event) => void loggedEvents.set(`error ${event}`, (loggedEvents.get(`error ${event}`) ?? 0) + 1),
};

export interface ProductInstance {
  server: LoopbackServer;
  /** Header sets for `requests` requests: the session and as many API keys as the rate limit needs. */
  headersFor(requests: number): Promise<Array<Record<string, string>>>;
  close(): Promise<void>;
}

export async function startProductInstance(world: ReadWorld, permissions: readonly string[] = PERMISSIONS): Promise<ProductInstance> {
  const deps = apiDeps({ db: world.db, auth: adminAuth(), keyring: world.keyring, pepper: world.pepper, emulator: true, log: countingLogger, keyLimits: HARNESS_KEY_LIMITS });
  const app = createApp(deps);
  const server = await serveFetchApp(app.fetch);
  const session = { Authorization: `Bearer ${world.idToken}` };

  const createKey = () => createKeyThrough(app, world.idToken, { name: "read bench", permissions: [...permissions], rateLimitPerMinute: MAX_RATE_LIMIT_PER_MINUTE });

  return {
    server,
    async headersFor(requests) {
      const keys = await Promise.all(Array.from({ length: Math.max(1, Math.ceil(requests / REQUESTS_PER_KEY)) }, createKey));
      return keys.map((key) => ({ ...session, "X-API-Key": key, "content-type": "application/json" }));
    },
    async close() {
      await server.close();
      await deps.usage.flush();
    },
  };
}
