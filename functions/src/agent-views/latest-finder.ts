/**
 * @module latest-finder
 * Reads of an agent's source documents: all of them inside a read-only snapshot (for a full
 * recompute, with the snapshot's read time as watermark), or the newest valid one by a field, a few
 * candidates at a time, as they are now (for the maxima a delta cannot maintain). Documents that fail
 * their schema are skipped, exactly as the full recompute skips them; range filters keep the ordered
 * queries to values of the right type, because Firestore orders strings and maps after numbers and
 * timestamps.
 *
 * A search reads at most `MAX_EXTREME_CANDIDATES` documents, whatever was written: firestore.rules
 * admit only documents that parse, but the Admin SDK (another backend, an old document) can still
 * write thousands that do not and sort first, and every fold that holds a trigger event searches.
 * Past the bound the search gives up and the fold keeps the extreme it already had, which is exact
 * unless the extreme document itself was removed; the next full recompute sets it exactly.
 */
import { Timestamp, type Firestore, type Query, type QueryDocumentSnapshot, type Transaction } from "firebase-admin/firestore";
import type { InteractionContribution, InteractionExtremes } from "../metrics/interaction-metrics";
import { interactionDocumentSchema } from "../documents/interaction-documents";
import { contextSourceSchema, type ContextSource } from "../documents/source-documents";
import { COLLECTIONS } from "../documents/collections";
import { MAX_LATENCY_MS } from "../contract/document-bounds";

/** Newest-first candidates read per page to find the latest valid document; invalid ones are skipped. */
const CANDIDATES = 5;
/** The most documents one search for an extreme reads (four pages). */
export const MAX_EXTREME_CANDIDATES = 20;
const FAR_FUTURE = Timestamp.fromMillis(253402300799000); // 9999-12-31

function parseAll<T>(docs: QueryDocumentSnapshot[], parse: (data: unknown) => { success: true; data: T } | { success: false }): T[] {
  return docs.flatMap((doc) => {
    const parsed = parse(doc.data());
    return parsed.success ? [parsed.data] : [];
  });
}

const parseSource = (data: unknown) => contextSourceSchema.safeParse(data);
const parseInteraction = (data: unknown) => interactionDocumentSchema.safeParse(data);

/** What a bounded search found: the first valid document, none at all, or "unknown" past the bound. */
type SearchResult<T> = { found: T | null } | "unknown";

/**
 * The first document of `ordered` that parses, read a few candidates at a time. Usually the first
 * page has one; paging on matters when a run of malformed documents sorts first, which would
 * otherwise hide the true maximum, and it stops at `MAX_EXTREME_CANDIDATES` documents read.
 */
async function firstValid<T>(ordered: Query, parse: (data: unknown) => { success: true; data: T } | { success: false }): Promise<SearchResult<T>> {
  let page = ordered.limit(CANDIDATES);
  for (let read = 0; read < MAX_EXTREME_CANDIDATES; ) {
    const snap = await page.get();
    read += snap.size;
    const [found] = parseAll(snap.docs, parse);
    if (found !== undefined || snap.size < CANDIDATES) return { found: found ?? null };
    page = ordered.startAfter(snap.docs[snap.size - 1]).limit(Math.min(CANDIDATES, MAX_EXTREME_CANDIDATES - read));
  }
  return "unknown";
}

/** The field of what a search found, `none` when it found nothing, `known` when it gave up at its bound. */
const valueOf = <T, V>(result: SearchResult<T>, field: (found: T) => V, known: V, none: V): V =>
  result === "unknown" ? known : result.found === null ? none : field(result.found);

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

  /** The newest `createdAt` among the agent's valid sources, or `known` past the search's bound. */
  async lastAddedAt(agentId: string, known: Date | null): Promise<{ lastAddedAt: Date | null; bounded: boolean }> {
    const newest = await firstValid(this.sources(agentId).where("createdAt", "<=", FAR_FUTURE).orderBy("createdAt", "desc"), parseSource);
    return { lastAddedAt: valueOf(newest, (source) => source.createdAt, known, null), bounded: newest === "unknown" };
  }

  /** The newest `occurredAt` and the largest latency among the agent's valid interactions, each `known`'s past the search's bound. */
  async interactionExtremes(agentId: string, known: InteractionExtremes): Promise<{ extremes: InteractionExtremes; bounded: boolean }> {
    const [newest, slowest] = await Promise.all([
      firstValid(this.interactions(agentId).where("occurredAt", "<=", FAR_FUTURE).orderBy("occurredAt", "desc"), parseInteraction),
      firstValid(this.interactions(agentId).where("latencyMs", "<=", MAX_LATENCY_MS).orderBy("latencyMs", "desc"), parseInteraction),
    ]);
    return {
      extremes: { lastAt: valueOf(newest, (i) => i.occurredAt, known.lastAt, null), maxLatencyMs: valueOf(slowest, (i) => i.latencyMs, known.maxLatencyMs, 0) },
      bounded: newest === "unknown" || slowest === "unknown",
    };
  }
}
