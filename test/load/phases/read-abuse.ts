/**
 * @module read-abuse
 * What an attacker can make the product pay (#13), measured in billed reads on a fresh instance:
 *  - a signed-in user of another organization repeats a no-cache `batchGet` of 100 agents they may
 *    not read, 100 times: reads per request, amortized over the run;
 *  - one signed-in user sends forged well-formed keys (the checksum is public) at 100 a second for
 *    three seconds: when the refusals turn from 401 to 429, and the reads all of them cost;
 *  - one user with 50 keys, and refreshes of one agent: a minute each (phases/user-budget, #26).
 */
import { generateApiKey } from "../../../functions/src/api-keys/api-key-format";
import { COLLECTIONS } from "../../../functions/src/documents/collections";
import { signIn, signUp, unique } from "../../support/emulators";
import { progress } from "../bench-output";
import { startProductInstance } from "../product-instance";
import type { LoopbackServer } from "../loopback-server";
import type { ReadWorld } from "../read-world";
import { MAX_BATCH_IDS } from "../../../functions/src/contract/limits";
import { measureRefreshes, measureUserBudget, type RefreshFigure, type UserBudgetFigure } from "./user-budget";

const FORBIDDEN_REPEATS = 100;
const FORGED_PER_SECOND = 100;
const FORGED_SECONDS = 3;

export interface ForbiddenBatchFigure {
  requests: number;
  ids: number;
  reads: number;
  readsPerRequest: number;
  /** Answers that served any of the ids or did not list all of them as forbidden (must be 0). */
  served: number;
  statuses: Record<string, number>;
}

export interface ForgedKeysFigure {
  requests: number;
  perSecond: number;
  /** Index (0-based) and time since the first request of the first 429; null when none came. */
  first429: { index: number; afterMs: number } | null;
  statusesBySecond: Array<Record<string, number>>;
  reads: number;
}

export interface AbuseFigures {
  forbiddenBatch: ForbiddenBatchFigure;
  forgedKeys: ForgedKeysFigure;
  userBudget: UserBudgetFigure;
  refreshes: RefreshFigure;
}

const tally = (into: Record<string, number>, status: number) => void (into[status] = (into[status] ?? 0) + 1);

/** Reads charged to the requests `server` has answered since its last reset. */
function readsSinceReset(server: LoopbackServer): number {
  let reads = 0;
  for (const [n, requests] of server.readsPerRequest()) reads += n * requests;
  return reads;
}

/** A signed-in user of a new organization, in the read world's project. */
async function outsider(world: ReadWorld): Promise<ReadWorld> {
  const uid = unique("bench-outsider");
  const orgId = unique("bench-outsider-org");
  await signUp(uid);
  await world.db.doc(`${COLLECTIONS.organizations}/${orgId}`).set({ name: "Outsiders" });
  await world.db.doc(`${COLLECTIONS.users}/${uid}`).set({ orgId, role: "owner", displayName: "Outsider" });
  return { ...world, uid, orgId, idToken: await signIn(uid) };
}

async function measureForbiddenBatch(world: ReadWorld, victims: readonly string[]): Promise<ForbiddenBatchFigure> {
  const attacker = await outsider(world);
  const instance = await startProductInstance(attacker, ["read:agent-metrics"]);
  try {
    const [headers] = await instance.headersFor(FORBIDDEN_REPEATS);
    const body = JSON.stringify({ agentIds: victims.slice(0, MAX_BATCH_IDS) });
    progress(`an outsider's no-cache batchGet of ${MAX_BATCH_IDS} forbidden ids, ${FORBIDDEN_REPEATS} times`);
    instance.server.resetReads();
    const statuses: Record<string, number> = {};
    let served = 0;
    for (let i = 0; i < FORBIDDEN_REPEATS; i++) {
      const res = await fetch(`${instance.server.url}/v1/agents/metrics:batchGet`, { method: "POST", headers: { ...headers, "cache-control": "no-cache" }, body });
      tally(statuses, res.status);
      const answer = (await res.json()) as { data?: Record<string, unknown>; forbidden?: string[] };
      if (Object.keys(answer.data ?? {}).length > 0 || (answer.forbidden?.length ?? 0) !== MAX_BATCH_IDS) served += 1;
    }
    const reads = readsSinceReset(instance.server);
    return { requests: FORBIDDEN_REPEATS, ids: MAX_BATCH_IDS, reads, readsPerRequest: reads / FORBIDDEN_REPEATS, served, statuses };
  } finally {
    await instance.close();
  }
}

async function measureForgedKeys(world: ReadWorld, agentId: string): Promise<ForgedKeysFigure> {
  const forger = await outsider(world);
  const instance = await startProductInstance(forger, ["read:agent-metrics"]);
  try {
    const session = { Authorization: `Bearer ${forger.idToken}` };
    progress(`forged keys at ${FORGED_PER_SECOND}/s for ${FORGED_SECONDS} s from one signed-in user`);
    instance.server.resetReads();
    const statusesBySecond: Array<Record<string, number>> = Array.from({ length: FORGED_SECONDS }, () => ({}));
    const answers: Array<Promise<{ index: number; status: number; at: number }>> = [];
    const started = performance.now();
    const total = FORGED_PER_SECOND * FORGED_SECONDS;
    for (let i = 0; i < total; i++) {
      // Paced: request i leaves at i / rate seconds, whatever the answers take.
      const due = started + (i * 1000) / FORGED_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      answers.push(
        fetch(`${instance.server.url}/v1/agents/${agentId}/metrics`, { headers: { ...session, "X-API-Key": generateApiKey("live") } }).then(async (res) => {
          await res.arrayBuffer();
          return { index: i, status: res.status, at: performance.now() - started };
        }),
      );
    }
    const settled = await Promise.all(answers);
    for (const { index, status } of settled) tally(statusesBySecond[Math.floor(index / FORGED_PER_SECOND)], status);
    const limited = settled.filter((a) => a.status === 429).sort((a, b) => a.index - b.index)[0];
    return { requests: total, perSecond: FORGED_PER_SECOND, first429: limited ? { index: limited.index, afterMs: limited.at } : null, statusesBySecond, reads: readsSinceReset(instance.server) };
  } finally {
    await instance.close();
  }
}

/** Both abuse figures, against agents of the world's user that the attackers may not read. */
export async function measureAbuse(world: ReadWorld, victims: readonly string[]): Promise<AbuseFigures> {
  if (victims.length < MAX_BATCH_IDS) throw new Error(`the abuse figures need at least ${MAX_BATCH_IDS} agents (--agents)`);
  return {
    forbiddenBatch: await measureForbiddenBatch(world, victims),
    forgedKeys: await measureForgedKeys(world, victims[0]),
    userBudget: await measureUserBudget(world, victims),
    refreshes: await measureRefreshes(world),
  };
}
