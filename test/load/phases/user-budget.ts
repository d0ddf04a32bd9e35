/**
 * @module user-budget
 * What one account can make the product read in a minute (#26, findings 3 and 4), measured on fresh
 * instances against the emulators with the read counter:
 *  - a member of the agents' organization holding the contract's 50 keys, each at the deployment's
 *    ceiling of 10,000 requests a minute, sends `no-cache` reads and `no-cache` batchGets of 100
 *    agents from 16 concurrent clients for 60 s, under the deployment's default limits: every
 *    Firestore read in that minute (charged to requests, and the limiter's and recorder's own);
 *  - the agent's owner sends `metrics:refresh` of one agent (of `REFRESH_DOCUMENTS` documents) from 8
 *    concurrent clients for 60 s, alternating between two instances: how many refreshes scanned the
 *    agent (a request charged at least as many reads as the agent has documents; the refreshes that
 *    joined a scan in flight answer "computed" too, but their reads go to the one that started it),
 *    and the reads of the minute.
 */
import { DEFAULT_KEY_LIMITS } from "../../../functions/src/api-keys/api-key-policy";
import { createApp } from "../../../functions/src/http/app";
import { apiDeps } from "../../../functions/src/services";
import { COLLECTIONS } from "../../../functions/src/documents/collections";
import { MAX_BATCH_IDS } from "../../../functions/src/contract/limits";
import { adminAuth, signIn, signUp, unique } from "../../support/emulators";
import { createKeyThrough, HARNESS_KEY_LIMITS } from "../../support/api-keys";
import { progress } from "../bench-output";
import type { Logger } from "../../../functions/src/config/logger";
import { readTotals } from "../read-counter";
import { serveFetchApp } from "../loopback-server";
import { seedLargeAgent, type ReadWorld } from "../read-world";

const RUN_MS = 60_000;
const KEYS = 50;
const CLIENTS = 16;
const REFRESH_CLIENTS = 8;
export const REFRESH_DOCUMENTS = 1000;

export interface UserBudgetFigure {
  keys: number;
  seconds: number;
  requests: number;
  statuses: Record<string, number>;
  /** Reads charged to requests, and those outside any request (limiter syncs, usage, key revalidation after answers). */
  requestReads: number;
  backgroundReads: number;
  /** Errors the instance logged, by event and error, with the first one's fields. */
  errors: Record<string, unknown>;
}

export interface RefreshFigure {
  documents: number;
  instances: number;
  seconds: number;
  requests: number;
  /** Refreshes that scanned the agent's documents (charged at least `documents` reads). */
  scans: number;
  byCache: Record<string, number>;
  statuses: Record<string, number>;
  reads: number;
}

const tally = (into: Record<string, number>, key: string | number) => void (into[key] = (into[key] ?? 0) + 1);

/** A logger keeping each error event's count and first fields. */
function errorLogger() {
  const errors: Record<string, { count: number; first: unknown }> = {};
  const keep = (event: string, fields?: unknown) => {
    const entry = (errors[event] ??= { count: 0, first: fields });
    entry.count += 1;
  };
  const log: Logger = { info: () => undefined, warn: keep, error: keep };
  return { log, errors };
}

async function startInstance(world: ReadWorld, keyLimits = DEFAULT_KEY_LIMITS) {
  const { log, errors } = errorLogger();
  const deps = apiDeps({ db: world.db, auth: adminAuth(), keyring: world.keyring, pepper: world.pepper, emulator: true, log, keyLimits });
  const app = createApp(deps);
  const server = await serveFetchApp(app.fetch);
  return { app, server, errors, close: async () => (await server.close(), await deps.usage.flush()) };
}

/** Runs `clients` loops of `send` until `RUN_MS` has passed; returns how many requests were sent. */
async function runFor(clients: number, send: (i: number) => Promise<void>): Promise<number> {
  const until = performance.now() + RUN_MS;
  let sent = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) await send(sent++);
  }));
  return sent;
}

/** A new signed-in member of the world's organization: reads its agents, owns none, holds no keys yet. */
async function member(world: ReadWorld): Promise<{ uid: string; idToken: string }> {
  const uid = unique("bench-budget");
  await signUp(uid);
  await world.db.doc(`${COLLECTIONS.users}/${uid}`).set({ orgId: world.orgId, role: "member", displayName: "Budget" });
  return { uid, idToken: await signIn(uid) };
}

export async function measureUserBudget(world: ReadWorld, agents: readonly string[]): Promise<UserBudgetFigure> {
  const caller = await member(world);
  const instance = await startInstance(world);
  try {
    progress(`one user, ${KEYS} keys at ${DEFAULT_KEY_LIMITS.maxRateLimitPerMinute.toLocaleString("en-US")} a minute each: no-cache reads and batchGets for ${RUN_MS / 1000} s`);
    const keys: string[] = [];
    for (let i = 0; i < KEYS; i++) keys.push(await createKeyThrough(instance.app, caller.idToken, { name: `budget ${i}`, permissions: ["read:agent-metrics"], rateLimitPerMinute: DEFAULT_KEY_LIMITS.maxRateLimitPerMinute }));
    const batch = JSON.stringify({ agentIds: agents.slice(0, MAX_BATCH_IDS) });
    instance.server.resetReads();
    const background = readTotals().background;
    const statuses: Record<string, number> = {};
    const requests = await runFor(CLIENTS, async (i) => {
      const headers = { Authorization: `Bearer ${caller.idToken}`, "X-API-Key": keys[i % KEYS], "Cache-Control": "no-cache", "content-type": "application/json" };
      const res =
        i % 2 === 0
          ? await fetch(`${instance.server.url}/v1/agents/${agents[i % agents.length]}/metrics`, { headers })
          : await fetch(`${instance.server.url}/v1/agents/metrics:batchGet`, { method: "POST", headers, body: batch });
      await res.arrayBuffer();
      tally(statuses, res.status);
    });
    let requestReads = 0;
    for (const [n, count] of instance.server.readsPerRequest()) requestReads += n * count;
    return { keys: KEYS, seconds: RUN_MS / 1000, requests, statuses, requestReads, backgroundReads: readTotals().background - background, errors: instance.errors };
  } finally {
    await instance.close();
  }
}

export async function measureRefreshes(world: ReadWorld): Promise<RefreshFigure> {
  const agentId = await seedLargeAgent(world, REFRESH_DOCUMENTS, (n) => progress(`seeding the refreshed agent: ${n} documents`));
  // The per-key and per-user limits raised as in every in-process suite, so only the coalescing bounds the scans.
  const instances = [await startInstance(world, HARNESS_KEY_LIMITS), await startInstance(world, HARNESS_KEY_LIMITS)];
  try {
    const key = await createKeyThrough(instances[0].app, world.idToken, { name: "refresh bench", permissions: ["write:agent-metrics"], rateLimitPerMinute: HARNESS_KEY_LIMITS.maxRateLimitPerMinute });
    progress(`${REFRESH_CLIENTS} clients refreshing one agent of ${REFRESH_DOCUMENTS} documents through two instances for ${RUN_MS / 1000} s`);
    for (const { server } of instances) server.resetReads();
    const total = readTotals().total;
    const statuses: Record<string, number> = {};
    const byCache: Record<string, number> = {};
    const requests = await runFor(REFRESH_CLIENTS, async (i) => {
      const res = await fetch(`${instances[i % 2].server.url}/v1/agents/${agentId}/metrics:refresh`, { method: "POST", headers: { Authorization: `Bearer ${world.idToken}`, "X-API-Key": key } });
      tally(statuses, res.status);
      if (res.status === 200) tally(byCache, ((await res.json()) as { meta: { cache: string } }).meta.cache);
      else await res.arrayBuffer();
    });
    const scans = instances.reduce((sum, { server }) => sum + [...server.readsPerRequest()].filter(([reads]) => reads >= REFRESH_DOCUMENTS).reduce((n, [, count]) => n + count, 0), 0);
    return { documents: REFRESH_DOCUMENTS, instances: 2, seconds: RUN_MS / 1000, requests, scans, byCache, statuses, reads: readTotals().total - total };
  } finally {
    for (const instance of instances) await instance.close();
  }
}
