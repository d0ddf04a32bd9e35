/**
 * @module mixed-load
 * A bounded mixed load (duration and concurrency given; it stops by itself) against a load instance:
 * agent metric reads and batchGets, interaction ingestion with client ids, source uploads written
 * with firebase-admin through the app's own Firestore client, and reads on deliberately
 * over-driven limited keys. Optionally Firestore goes away in the middle (the proxy drops every
 * connection, and the emulator is stopped and started again) and comes back; the run notes when
 * service recovered, probing with the app's client.
 * It records what the checks and the report need: every request's kind, times, status and error
 * code, the ids acknowledged, and heap/RSS over time. The client runs in process (its latencies
 * include the client's share of one event loop, as a co-located caller's would).
 */
import { Timestamp } from "firebase-admin/firestore";
import { SOURCE_TYPES } from "../../functions/src/documents/source-documents";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { mulberry32 } from "../support/seeded-random";
import type { LoadInstance } from "./load-instance";
import type { LoadWorld } from "./load-world";

export const KINDS = ["read", "batchGet", "ingest", "upload", "limited"] as const;
export type Kind = (typeof KINDS)[number];
const WEIGHTS: Record<Kind, number> = { read: 35, batchGet: 15, ingest: 25, upload: 10, limited: 15 };
/** An upload not acknowledged by then is reported as timed out (its acknowledgement still counts if it comes). */
const UPLOAD_WAIT_MS = 10_000;

export interface LoadOptions {
  durationMs: number;
  concurrency: number;
  seed: number;
  outage?: { atMs: number; forMs: number };
}

export interface RequestRecord {
  kind: Kind;
  start: number;
  end: number;
  /** HTTP status, or for uploads 200 (acknowledged), 0 (timed out) or -1 (failed). */
  status: number;
  code?: string;
  /** The limited key's index, for limited reads. */
  key?: number;
}

export interface OutageTimes {
  downAt: number;
  /** How long the export, the stop and the new process's start from the data took. */
  restartedIn: number;
  resumedAt: number;
  /** The first moment the app's Firestore client answered again. */
  recoveredAt: number;
}

export interface LoadRun {
  options: LoadOptions;
  startedAt: number;
  endedAt: number;
  records: RequestRecord[];
  /** Interactions answered with 202 and not listed as rejected: [agentId, client id]. */
  ackedInteractions: Array<[string, string]>;
  /** Source documents whose write Firestore acknowledged, with when. */
  ackedUploads: Array<{ id: string; at: number }>;
  memory: Array<{ atMs: number; heapMb: number; rssMb: number }>;
  outage: OutageTimes | null;
}

export async function runMixedLoad(world: LoadWorld, instance: LoadInstance, options: LoadOptions): Promise<LoadRun> {
  const rand = mulberry32(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const totalWeight = KINDS.reduce((sum, k) => sum + WEIGHTS[k], 0);
  const pickKind = (): Kind => {
    let x = rand() * totalWeight;
    return KINDS.find((k) => (x -= WEIGHTS[k]) < 0) ?? "read";
  };
  const startedAt = Date.now();
  const deadline = startedAt + options.durationMs;
  const run: LoadRun = { options, startedAt, endedAt: 0, records: [], ackedInteractions: [], ackedUploads: [], memory: [], outage: null };
  const pendingUploads: Array<Promise<unknown>> = [];
  let sequence = 0;

  const sampleMemory = () => {
    const { heapUsed, rss } = process.memoryUsage();
    run.memory.push({ atMs: Date.now() - startedAt, heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 });
  };
  sampleMemory();
  const sampler = setInterval(sampleMemory, 1_000);

  async function http(kind: Kind, path: string, headers: Record<string, string>, body?: unknown, key?: number) {
    const start = Date.now();
    const init: RequestInit = body === undefined ? { headers } : { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) };
    const res = await fetch(instance.server.url + path, init);
    const text = await res.text();
    const record: RequestRecord = { kind, start, end: Date.now(), status: res.status, key };
    if (res.status >= 400) record.code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "(no envelope)";
    run.records.push(record);
    return { status: res.status, text };
  }

  async function one(): Promise<void> {
    const u = Math.floor(rand() * world.users.length);
    const user = world.users[u];
    const keys = instance.keys[u];
    const busy = { ...keys.session, "X-API-Key": keys.busyKey };
    const agentId = pick(user.agentIds);
    const n = sequence++;
    switch (pickKind()) {
      case "read":
        return void (await http("read", `/v1/agents/${agentId}/metrics`, busy));
      case "limited":
        return void (await http("limited", `/v1/agents/${agentId}/metrics`, { ...keys.session, "X-API-Key": keys.limitedKey.key }, undefined, u));
      case "batchGet": {
        // Own agents and others' (some of which this user may not read: they come back as forbidden).
        const agentIds = [...new Set([...user.agentIds, pick(world.agentIds), pick(world.agentIds)])];
        return void (await http("batchGet", "/v1/agents/metrics:batchGet", busy, { agentIds }));
      }
      case "ingest": {
        const ids = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => `c${n}-${i}`);
        const interactions = ids.map((id, i) => ({
          id,
          model: pick(["claude-sonnet-4", "claude-haiku-4", "claude-opus-4"]),
          inputTokens: 100 + ((n + i) % 900),
          outputTokens: 10 + ((n * 7 + i) % 300),
          latencyMs: 50 + ((n * 13 + i) % 3000),
          status: (n + i) % 11 === 0 ? "error" : "success",
          occurredAt: new Date(Date.now() - ((n + i) % 120) * 60_000).toISOString(),
        }));
        const { status, text } = await http("ingest", `/v1/agents/${agentId}/interactions`, busy, { interactions });
        if (status !== 202) return;
        const rejected = new Set((JSON.parse(text) as { rejected: Array<{ index: number }> }).rejected.map((r) => r.index));
        ids.forEach((id, i) => rejected.has(i) || run.ackedInteractions.push([agentId, id]));
        return;
      }
      case "upload": {
        const id = `${world.prefix}-src-${n}`;
        const now = Timestamp.now();
        const doc = { agentId, type: SOURCE_TYPES[n % SOURCE_TYPES.length], sizeBytes: 1000 + n, tokenCount: 100 + (n % 500), status: "ready", createdAt: now, updatedAt: now };
        const start = Date.now();
        const write = instance.db.collection(COLLECTIONS.contextSources).doc(id).set(doc).then(
          () => (run.ackedUploads.push({ id, at: Date.now() }), 200),
          () => -1,
        );
        pendingUploads.push(write);
        const status = await Promise.race([write, new Promise<number>((resolve) => setTimeout(resolve, UPLOAD_WAIT_MS, 0))]);
        run.records.push({ kind: "upload", start, end: Date.now(), status });
        return;
      }
    }
  }

  const outage = options.outage ? injectOutage(world, instance, startedAt, options.outage) : Promise.resolve(null);
  const slot = async () => {
    while (Date.now() < deadline) await one();
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  run.outage = await outage;
  run.endedAt = Date.now();
  clearInterval(sampler);
  sampleMemory();
  await Promise.allSettled(pendingUploads);
  return run;
}

/**
 * At `atMs`, takes Firestore away from the app (the proxy drops every connection and refuses new
 * ones), stops the emulator and starts it again from its data, and lets the app through again once
 * the new process answers and at least `forMs` have passed; then probes with the app's client until
 * it answers.
 */
async function injectOutage(world: LoadWorld, instance: LoadInstance, startedAt: number, { atMs, forMs }: { atMs: number; forMs: number }): Promise<OutageTimes> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(startedAt + atMs - Date.now());
  instance.proxy.down();
  const downAt = Date.now();
  // The proxy is down first so that no write lands between the export and the stop.
  const [restartedIn] = await Promise.all([world.firestore.restart().then(() => Date.now() - downAt), sleep(forMs)]);
  instance.proxy.resume();
  const resumedAt = Date.now();
  const probe = instance.db.doc(`${COLLECTIONS.reconcileState}/load-probe`);
  for (;;) {
    const answered = await Promise.race([probe.get().then(() => true, () => false), sleep(2_000).then(() => false)]);
    if (answered) return { downAt, resumedAt, recoveredAt: Date.now(), restartedIn };
    await sleep(200);
  }
}
