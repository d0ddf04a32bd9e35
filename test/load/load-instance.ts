/**
 * @module load-instance
 * The product's API (`createApp(apiDeps(config))`, as a function instance builds it) on a loopback
 * server, whose Firestore client reaches the emulator only through an outage proxy, so a run can
 * take Firestore away from the app and give it back. Each user of the world gets two keys through
 * the app's own `POST /v1/api-keys`: a busy one with a high limit, and a limited one whose
 * per-minute limit the load deliberately exceeds.
 */
import type { Firestore } from "firebase-admin/firestore";
import { createApp } from "../../functions/src/http/app";
import { apiDeps } from "../../functions/src/services";
import { adminAuth } from "../support/emulators";
import type { Logger } from "../../functions/src/config/logger";
import { serveFetchApp, type LoopbackServer } from "./loopback-server";
import { startOutageProxy, type OutageProxy } from "./outage-proxy";
import { LOAD_PROJECT_ID, type LoadWorld } from "./load-world";
import { observeRpcs } from "../support/rpc-counter";
import { createKeyThrough, HARNESS_KEY_LIMITS } from "../support/api-keys";
import { firestoreAt } from "./firestore-process";

export interface UserKeys {
  uid: string;
  session: Record<string, string>;
  busyKey: string;
  limitedKey: { key: string; limit: number };
}

export interface LoadInstance {
  server: LoopbackServer;
  proxy: OutageProxy;
  /** The app's own Firestore client (through the proxy): source uploads go through it too. */
  db: Firestore;
  keys: UserKeys[];
  close(): Promise<void>;
}

const BUSY_LIMIT = 100_000;

/** Warnings and errors the instance logged: how many of each event, and the fields of its first occurrence. */
export const loadEvents = new Map<string, { count: number; first: unknown }>();
const note = (level: string) => (event: string, fields?: unknown) => {
  const seen = loadEvents.get(`${level} ${event}`);
  if (seen) seen.count += 1;
  else loadEvents.set(`${level} ${event}`, { count: 1, first: fields });
};
const eventLogger: Logger = { info: () => undefined, warn: note("warn"), error: note("error") };

/** Quiet time that `close()` waits for before it terminates the client. */
const QUIET_MS = 3_000;
/** The longest `close()` waits for the client to fall quiet. */
const DRAIN_LIMIT_MS = 120_000;

/**
 * Watches the client's calls: how many are in flight, and when the last began or ended.
 * `close()` must not terminate the client under work still running: @google-cloud/firestore 7.11
 * (`Firestore.requestStream`) drops the promise of `ClientPool.run`, which a terminated pool rejects,
 * so every read started after `terminate()` is an unhandled rejection (node:test fails the test on
 * one). Work abandoned at the request deadline goes on reading for a while after the load stops. A
 * function instance never terminates its client, so this is the test's problem only.
 */
function watchCalls(db: Firestore): { quietFor: () => number } {
  let inFlight = 0;
  let lastAt = Date.now();
  observeRpcs(db, (_rpc, answered) => {
    inFlight += 1;
    lastAt = Date.now();
    const done = () => {
      inFlight -= 1;
      lastAt = Date.now();
    };
    answered.then(done, done);
  });
  return { quietFor: () => (inFlight > 0 ? 0 : Date.now() - lastAt) };
}

export async function startLoadInstance(world: LoadWorld, options: { limitedKeyLimit: number; requestDeadlineMs?: number }): Promise<LoadInstance> {
  const proxy = await startOutageProxy(world.firestore.address);
  const db = firestoreAt(proxy.address, LOAD_PROJECT_ID);
  const calls = watchCalls(db);
  const deps = apiDeps({ db, auth: adminAuth(), keyring: world.keyring, pepper: world.pepper, emulator: true, log: eventLogger, requestDeadlineMs: options.requestDeadlineMs, keyLimits: HARNESS_KEY_LIMITS });
  const app = createApp(deps);
  const server = await serveFetchApp(app.fetch);

  const keys = await Promise.all(
    world.users.map(async (user): Promise<UserKeys> => {
      const session = { Authorization: `Bearer ${user.idToken}` };
      return {
        uid: user.uid,
        session,
        busyKey: await createKeyThrough(app, user.idToken, { name: "load busy", permissions: ["read:agent-metrics", "write:interactions"], rateLimitPerMinute: BUSY_LIMIT }),
        limitedKey: { key: await createKeyThrough(app, user.idToken, { name: "load limited", permissions: ["read:agent-metrics"], rateLimitPerMinute: options.limitedKeyLimit }), limit: options.limitedKeyLimit },
      };
    }),
  );

  return {
    server,
    proxy,
    db,
    keys,
    async close() {
      await server.close();
      await deps.usage.flush();
      // Work abandoned at the request deadline may still be using the client (see watchCalls): let it
      // finish, through the proxy, before the client goes.
      const drainUntil = Date.now() + DRAIN_LIMIT_MS;
      while (calls.quietFor() < QUIET_MS && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 250));
      await db.terminate();
      await proxy.close();
    },
  };
}
