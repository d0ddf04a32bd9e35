/**
 * @module view-model
 * A seeded model of the write path: random histories of source and interaction writes (creates,
 * updates, deletes, moves between agents, invalid documents), API ingests with re-sent client ids,
 * agents moving between owners and organizations, price changes (dated rates, some in the past),
 * refreshes, rolls and tampered views. Every write's trigger event is delivered one to three times, in
 * shuffled order, interleaved with further writes, through the real trigger handler, which records
 * deltas; fold requests are delivered the same way (late, repeated, in any order) into the real fold
 * (`agent-views/agent-views`) over an in-memory database. `runModel` returns how the final views differ
 * from a full recompute.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Logger } from "../../functions/src/config/logger";
import type { ChangeKind } from "../../functions/src/metrics/agent-change";
import { sortBatch } from "../../functions/src/metrics/interaction-batch";
import { pricingFromConfig, repricedBy, type PricingConfig } from "../../functions/src/pricing/pricing";
import type { Keyring } from "../../functions/src/signing/signing";
import { signedMessageText, type SignedPurpose } from "../../functions/src/contract/signed-message";
import { INTERACTION_STATUSES } from "../../functions/src/contract/schemas/interactions";
import { SOURCE_STATUSES, SOURCE_TYPES } from "../../functions/src/documents/source-documents";
import { handleAgentDocumentWritten, type DocumentWrittenEvent } from "../../functions/src/triggers/agent-document-written";
import type { ViewContext } from "../../functions/src/agent-views/agent-fold";
import { agentViewsOver } from "../../functions/src/agent-views/agent-views";
import type { StoredView } from "../../functions/src/agent-views/stored-view";
import type { FoldTransaction, ViewDatabase } from "../../functions/src/agent-views/view-transaction";
import { MemoryViewDatabase, type DocumentWrite, type RawDocument } from "./memory-view-database";
import { mulberry32 } from "./seeded-random";
import { mismatchesOf } from "./view-model-check";

export interface ModelOptions {
  seed: number;
  operations: number;
  /**
   * A fault to inject, to show the check catches it: `lost-marker`, a redelivery whose marker was lost
   * (it comes with a fresh event id); `no-watermark`, full recomputes that forget their read time, so
   * the late deltas of writes they already counted are applied again.
   */
  fault?: "lost-marker" | "no-watermark";
}

export interface ModelResult {
  mismatches: string[];
  /** How many events were delivered, and how many deliveries found their marker. */
  deliveries: number;
  duplicates: number;
}

const AGENTS = ["a0", "a1", "a2", "a3", "a4", "a5"];
const USERS = ["u0", "u1", "u2"];
const ORGS = ["o0", "o1"];
const MODELS = ["gpt-4o-mini", "gpt-4o", "claude-sonnet-4", "__proto__", "other", "local-llm"];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Around the edges of the windows (1 h, 24 h, 7 d) and of the hourly and daily buckets' reach (7 d, 30 d).
const HOURS_AGO = [-1, 0, 1, 2, 5, 23, 24, 25, 71, 166, 167, 168, 169, 170, 240, 700, 719, 720, 721, 744, 800];
const START = new Date("2026-03-10T12:00:00Z");
const keyring = fastKeyring("model-key");
const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A keyring that signs the same message as the real one (`signedMessageText`: header, key id, time,
 * canonical JSON) with HMAC-SHA256 instead of Ed25519: just as sensitive to any change of the data, and cheap
 * enough for a few hundred thousand signatures. Ed25519 itself is tested in signing.test.ts.
 */
function fastKeyring(keyId: string): Keyring {
  const secret = randomBytes(32);
  const mac = (data: object, signedAt: string, purpose: SignedPurpose) => createHmac("sha256", secret).update(signedMessageText(data, keyId, signedAt, purpose)).digest("base64url");
  return {
    activeKeyId: keyId,
    publicKeys: [],
    sign: (data, at, purpose) => ({ alg: "Ed25519", keyId, signedAt: at.toISOString(), value: mac(data, at.toISOString(), purpose) }),
    verify: (data, signature, purpose) => signature?.keyId === keyId && signature.value === mac(data, signature.signedAt, purpose),
  };
}

/** Ways a document written straight into a collection can be malformed (each must count as absent). */
const BAD_SOURCE: RawDocument[] = [{ sizeBytes: -1 }, { status: "archived" }, { createdAt: "2026-03-01T00:00:00Z" }, { tokenCount: 1.5 }, { type: "__proto__" }, { agentId: 42 }];
const BAD_INTERACTION: RawDocument[] = [{ latencyMs: -5 }, { status: "weird" }, { inputTokens: "12" }, { occurredAt: "2026-03-01T00:00:00Z" }, { userId: "" }, { model: "" }, { ingested: false }, { outputTokens: 0, reasoningTokens: 5 }, { latencyMs: 1, timeToFirstTokenMs: 2 }];

/** A trigger event for a committed write, shaped as Cloud Functions delivers it. */
export function eventFor(write: DocumentWrite, id: string): DocumentWrittenEvent {
  const snapshot = (data: RawDocument | null) => ({ exists: data !== null, data: () => data ?? undefined, updateTime: data ? { toMillis: () => write.committedAt.getTime() } : undefined });
  return { id, time: write.committedAt.toISOString(), params: { docId: write.docId }, data: { before: snapshot(write.before), after: snapshot(write.after) } } as unknown as DocumentWrittenEvent;
}

/** The database with every full recompute's read time dropped (as if it had read nothing). */
function withoutWatermarks(db: ViewDatabase): ViewDatabase {
  const dropped = (tx: FoldTransaction): FoldTransaction => ({ ...tx, readAgentDocuments: async (agentId) => ({ ...(await tx.readAgentDocuments(agentId)), watermark: new Date(0) }) });
  return { readView: (agentId) => db.readView(agentId), deltas: db.deltas, transact: (work) => db.transact((tx) => work(dropped(tx))) };
}

/** Prices for some of the models, each one rate or a schedule of dated rates around `now`. */
function randomPricing(rand: () => number, now: Date): PricingConfig | null {
  if (rand() < 0.2) return null;
  const models: PricingConfig["models"] = {};
  for (const model of MODELS) {
    if (rand() < 0.4) continue;
    const rate = () => ({ inputPerMTok: Math.round(rand() * 2000) / 100, outputPerMTok: Math.round(rand() * 8000) / 100, ...(rand() < 0.5 ? { cacheReadPerMTok: Math.round(rand() * 300) / 100 } : {}) });
    const dated = (hoursAgo: number) => ({ ...rate(), effectiveFrom: new Date(now.getTime() - hoursAgo * HOUR) });
    models[model] = rand() < 0.5 ? rate() : [rate(), dated(Math.floor(rand() * 400) - 20), dated(Math.floor(rand() * 30))];
  }
  return { models };
}

export async function runModel(options: ModelOptions): Promise<ModelResult> {
  const rand = mulberry32(options.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const chance = (p: number) => rand() < p;

  const db = new MemoryViewDatabase(START);
  const views = agentViewsOver(options.fault === "no-watermark" ? withoutWatermarks(db) : db);
  const ctx: ViewContext = { keyring, now: () => db.now() };
  /** Fold requests not delivered yet: like events, they arrive late, repeated and in any order. */
  const foldRequests: string[] = [];
  const folds = { request: async (agentId: string) => void foldRequests.push(...Array.from({ length: 1 + int(2) }, () => agentId)) };
  const handlers = {
    source: handleAgentDocumentWritten("source", { views, folds, log: silent }),
    interaction: handleAgentDocumentWritten("interaction", { views, folds, log: silent }),
  };
  const agents = db.agents;
  AGENTS.forEach((id, i) => agents.set(id, { ownerId: USERS[i % USERS.length], orgId: ORGS[i % ORGS.length] }));
  /** Moved or deleted agents whose trigger (following them in the view) has yet to run, once per pending delivery. */
  const agentEvents: string[] = [];
  const existingAgent = () => (agents.size ? pick([...agents.keys()]) : null);
  const tampered = new Map<string, StoredView>();
  const pending: Array<{ kind: ChangeKind; write: DocumentWrite; id: string }> = [];
  const delivered = new Map<string, number>();
  const result: ModelResult = { mismatches: [], deliveries: 0, duplicates: 0 };
  let nextDoc = 0;
  let nextEvent = 0;

  const malformed = (doc: RawDocument, bad: RawDocument[]) => (chance(0.1) ? { ...doc, ...pick(bad) } : doc);
  const sourceDoc = (agentId: string): RawDocument => {
    const now = db.now().getTime();
    const createdAt = new Date(now - int(30 * DAY));
    const doc = { agentId, type: pick(SOURCE_TYPES), sizeBytes: int(5e7), tokenCount: int(1e6), status: pick(SOURCE_STATUSES), createdAt, updatedAt: new Date(now) };
    return malformed(doc, BAD_SOURCE);
  };
  const interactionFields = () => {
    const outputTokens = int(10_000);
    const latencyMs = Math.round(rand() * 8_000_000) / 1000;
    return {
      model: pick(MODELS),
      inputTokens: int(100_000),
      outputTokens,
      ...(chance(0.5) ? { cacheReadTokens: int(50_000) } : {}),
      ...(chance(0.3) ? { cacheWriteTokens: int(50_000) } : {}),
      ...(chance(0.3) ? { reasoningTokens: int(outputTokens + 1) } : {}),
      latencyMs,
      ...(chance(0.5) ? { timeToFirstTokenMs: Math.round(rand() * latencyMs * 1000) / 1000 } : {}),
      status: chance(0.7) ? "success" : pick(INTERACTION_STATUSES),
      occurredAt: new Date(db.now().getTime() - pick(HOURS_AGO) * HOUR - int(HOUR)),
    };
  };
  const interactionDoc = (agentId: string): RawDocument => malformed({ agentId, userId: pick(USERS), ...interactionFields() }, BAD_INTERACTION);

  const existing = (kind: ChangeKind) => [...db.documents[kind].keys()];
  const otherAgent = (agentId: unknown) => (chance(0.2) ? pick(AGENTS) : typeof agentId === "string" ? agentId : pick(AGENTS));

  const operations: Array<[weight: number, run: () => Promise<unknown> | void]> = [
    [14, () => db.write("source", `s${nextDoc++}`, sourceDoc(pick(AGENTS)))],
    [10, () => {
      const ids = existing("source");
      if (!ids.length) return;
      // An update that may move the document to another agent (agentId changed) or break it.
      const id = pick(ids);
      db.write("source", id, sourceDoc(otherAgent(db.documents.source.get(id)?.agentId)));
    }],
    [5, () => {
      const ids = existing("source");
      if (ids.length) db.write("source", pick(ids), null);
    }],
    [12, () => db.write("interaction", `i${nextDoc++}`, interactionDoc(pick(AGENTS)))],
    [8, () => {
      const ids = existing("interaction");
      if (!ids.length) return;
      const id = pick(ids);
      const before = db.documents.interaction.get(id) as RawDocument;
      // Updates keep `ingested` as it was (firestore.rules), and may move the document (Admin SDK).
      const after = interactionDoc(otherAgent(before.agentId));
      db.write("interaction", id, before.ingested === true ? { ...after, ingested: true } : after);
    }],
    [5, () => {
      const ids = existing("interaction");
      if (ids.length) db.write("interaction", pick(ids), null);
    }],
    [6, async () => {
      // An API ingest: a few items, client ids from a small pool (so re-sends happen), some invalid.
      // The route refuses an agent that does not exist.
      const agentId = existingAgent();
      if (!agentId) return;
      const items = Array.from({ length: 1 + int(8) }, () => {
        const { occurredAt, ...fields } = interactionFields();
        return { id: `c${int(40)}`, ...fields, occurredAt: occurredAt.toISOString(), ...(chance(0.3) ? { userId: pick(USERS) } : {}), ...(chance(0.1) ? { latencyMs: -1 } : {}) };
      });
      const batch = sortBatch(agentId, items, agents.get(agentId)?.ownerId ?? "u0", db.now());
      if (!batch.accepted.length) return;
      await views.ingest(agentId, batch.accepted);
      await folds.request(agentId);
    }],
    [3, () => {
      // An agent moved to another owner or organization: its trigger runs later, one to three times.
      const agentId = existingAgent();
      if (!agentId) return;
      agents.set(agentId, { ownerId: pick(USERS), orgId: pick(ORGS) });
      for (let copies = 1 + int(3); copies > 0; copies--) agentEvents.push(agentId);
    }],
    [1, () => {
      // An agent deleted (its documents stay, and keep changing): its trigger runs later, one to three times.
      if (agents.size <= AGENTS.length / 2) return;
      const agentId = existingAgent() as string;
      agents.delete(agentId);
      for (let copies = 1 + int(3); copies > 0; copies--) agentEvents.push(agentId);
    }],
    [2, () => {
      const agentId = existingAgent();
      if (agentId) return views.recompute(agentId, ctx);
    }],
    [2, () => {
      // The hourly roll: a re-render from the stored state alone.
      const agentId = existingAgent();
      if (agentId) return views.roll(agentId, ctx);
    }],
    [1, () => {
      // New prices, dated rates included: the trigger asks for folds of the views that priced a changed model.
      const before = pricingFromConfig(db.pricingConfig);
      db.setPricing(randomPricing(rand, db.now()));
      const repriced = repricedBy(before, pricingFromConfig(db.pricingConfig));
      for (const [agentId, stored] of db.views) {
        if (stored.state?.models.seenOverflow || stored.state?.models.seen.some(repriced)) void folds.request(agentId);
      }
    }],
    [2, () => {
      const agentId = pick(AGENTS);
      const stored = db.views.get(agentId);
      if (!stored) return;
      const data = structuredClone(stored.sealed.data);
      data.sources.count += 1;
      const forged = { ...stored, sealed: { ...stored.sealed, data } };
      db.views.set(agentId, forged);
      tampered.set(agentId, forged);
    }],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);

  const enqueue = () => {
    for (const write of db.takeWrites()) {
      const id = `e${nextEvent++}`;
      for (let copies = 1 + int(3); copies > 0; copies--) pending.push({ kind: write.kind, write, id });
    }
  };
  const deliver = async () => {
    if (agentEvents.length && chance(0.2)) {
      await folds.request(agentEvents.splice(int(agentEvents.length), 1)[0]);
      return;
    }
    if (foldRequests.length && chance(0.3)) {
      await views.fold(foldRequests.splice(int(foldRequests.length), 1)[0], ctx);
      return;
    }
    if (!pending.length) return;
    const [{ kind, write, id }] = pending.splice(int(pending.length), 1);
    const times = delivered.get(id) ?? 0;
    delivered.set(id, times + 1);
    const eventId = options.fault === "lost-marker" && times > 0 ? `${id}/lost-${times}` : id;
    const recorded = (agentIds: string[]) => agentIds.some((agentId) => db.held.get(agentId)?.has(eventId));
    const touched = [write.before?.agentId, write.after?.agentId].filter((a): a is string => typeof a === "string");
    const seenBefore = recorded(touched);
    await handlers[kind](eventFor(write, eventId));
    result.deliveries += 1;
    if (seenBefore) result.duplicates += 1;
  };

  for (let step = 0; step < options.operations; step++) {
    let roll = rand() * totalWeight;
    const [, run] = operations.find(([weight]) => (roll -= weight) < 0) ?? operations[0];
    await run();
    enqueue();
    // Up to 30 deliveries stay in flight, in any order; sometimes none do.
    const inFlight = int(30);
    while (pending.length + agentEvents.length + foldRequests.length > inFlight) await deliver();
  }
  while (pending.length + agentEvents.length + foldRequests.length) await deliver();
  // What the reconcile's sweep does for deltas whose fold request was lost: here, none was, so this
  // only folds what the last requests left.
  for (const agentId of db.agentsWithPendingDeltas()) await views.fold(agentId, ctx);

  result.mismatches = mismatchesOf({
    sources: [...db.documents.source.values()],
    interactions: [...db.documents.interaction.values()],
    views: db.views,
    agents,
    tampered,
    keyring,
    pricing: pricingFromConfig(db.pricingConfig),
    now: db.now(),
  });
  return result;
}
