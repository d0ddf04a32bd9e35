/**
 * @module latest-finder
 * Reads of an agent's source documents: all of them inside a read-only snapshot (for a full
 * recompute, with the snapshot's read time as watermark), or the newest valid one by a field, a few
 * candidates at a time, as they are now (for the maxima a delta cannot maintain). Documents that fail their schema are skipped, exactly
 * as the full recompute skips them;
 * range filters keep the ordered queries to values of the right type, because Firestore orders
 * strings and maps after numbers and timestamps.
 */
import { Timestamp, type Firestore, type Query, type QueryDocumentSnapshot, type Transaction } from "firebase-admin/firestore";
import type { InteractionContribution, InteractionExtremes } from "../metrics/interaction-metrics";
import { interactionDocumentSchema } from "../documents/interaction-documents";
import { contextSourceSchema, type ContextSource } from "../documents/source-documents";
import { COLLECTIONS } from "../documents/collections";

/** Newest-first candidates read per page to find the latest valid document; invalid ones are skipped. */
const CANDIDATES = 5;
const FAR_FUTURE = Timestamp.fromMillis(253402300799000); // 9999-12-31
const MAX_LATENCY_MS = 86_400_000;

function parseAll<T>(docs: QueryDocumentSnapshot[], parse: (data: unknown) => { success: true; data: T } | { success: false }): T[] {
  return docs.flatMap((doc) => {
    const parsed = parse(doc.data());
    return parsed.success ? [parsed.data] : [];
  });
}

const parseSource = (data: unknown) => contextSourceSchema.safeParse(data);
const parseInteraction = (data: unknown) => interactionDocumentSchema.safeParse(data);

/**
 * The first document of `ordered` that parses, read a few candidates at a time. Usually the first
 * page has one; paging on matters when a run of malformed documents sorts first, which would
 * otherwise hide the true maximum.
 */
async function firstValid<T>(ordered: Query, parse: (data: unknown) => { success: true; data: T } | { success: false }): Promise<T | null> {
  let page = ordered.limit(CANDIDATES);
  for (;;) {
    const snap = await page.get();
    const [found] = parseAll(snap.docs, parse);
    if (found !== undefined || snap.size < CANDIDATES) return found ?? null;
    page = ordered.startAfter(snap.docs[snap.size - 1]).limit(CANDIDATES);
  }
}

export class LatestFinder {
  constructor(private readonly db: Firestore) {}

  private sources(agentId: string) {
    return this.db.collection(COLLECTIONS.contextSources).where("agentId", "==", agentId);
  }

  private interactions(agentId: string) {
    return this.db.collection(COLLECTIONS.interactions).where("agentId", "==", agentId);
  }

  async allSources(tx: Transaction, agentId: string): Promise<ContextSource[]> {
    return parseAll((await tx.get(this.sources(agentId))).docs, parseSource);
  }

  async allInteractions(tx: Transaction, agentId: string): Promise<InteractionContribution[]> {
    return parseAll((await tx.get(this.interactions(agentId))).docs, parseInteraction);
  }

  /** The newest `createdAt` among the agent's valid sources. */
  async lastAddedAt(agentId: string): Promise<Date | null> {
    const newest = await firstValid(this.sources(agentId).where("createdAt", "<=", FAR_FUTURE).orderBy("createdAt", "desc"), parseSource);
    return newest?.createdAt ?? null;
  }

  /** The newest `occurredAt` and the largest latency among the agent's valid interactions. */
  async interactionExtremes(agentId: string): Promise<InteractionExtremes> {
    const [newest, slowest] = await Promise.all([
      firstValid(this.interactions(agentId).where("occurredAt", "<=", FAR_FUTURE).orderBy("occurredAt", "desc"), parseInteraction),
      firstValid(this.interactions(agentId).where("latencyMs", "<=", MAX_LATENCY_MS).orderBy("latencyMs", "desc"), parseInteraction),
    ]);
    return { lastAt: newest?.occurredAt ?? null, maxLatencyMs: slowest?.latencyMs ?? 0 };
  }
}
