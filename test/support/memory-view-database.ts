/**
 * @module memory-view-database
 * An in-memory `ViewDatabase` for the model test: source documents (raw, possibly invalid), views and
 * event markers in maps, and a logical clock that ticks once per commit. A transaction sees the last
 * committed state, refuses a read after its first write (as Firestore does) and applies its writes
 * only when it commits. Every write to a source collection, direct or by a transaction, is recorded
 * with what its trigger event would carry, so the test can deliver those events however it likes.
 */
import type { ChangeKind } from "../../functions/src/domain/agent-change";
import type { InteractionContribution } from "../../functions/src/domain/interaction-metrics";
import { interactionDocumentSchema } from "../../functions/src/schemas/interaction-documents";
import { contextSourceSchema, type ContextSource } from "../../functions/src/schemas/source-documents";
import type { StoredView } from "../../functions/src/views/stored-view";
import type { AgentRecord, AgentSnapshot, ViewDatabase, ViewTransaction } from "../../functions/src/views/view-transaction";

export type RawDocument = Record<string, unknown>;

/** One committed write of a source document, as its trigger event describes it. */
export interface DocumentWrite {
  kind: ChangeKind;
  docId: string;
  before: RawDocument | null;
  after: RawDocument | null;
  committedAt: Date;
}

export class MemoryViewDatabase implements ViewDatabase {
  readonly documents: Record<ChangeKind, Map<string, RawDocument>> = { source: new Map(), interaction: new Map() };
  /** The valid documents, parsed once when written (reads filter these, as a query with a schema would). */
  private readonly parsed = { source: new Map<string, ContextSource>(), interaction: new Map<string, InteractionContribution & { agentId: string }>() };
  readonly views = new Map<string, StoredView>();
  /** The `agents` collection: each agent's owner and organization. */
  readonly agents = new Map<string, { ownerId: string; orgId: string }>();
  readonly markers = new Set<string>();
  private clockMs: number;
  private outbox: DocumentWrite[] = [];

  constructor(start: Date, private readonly tickMs = 1_000) {
    this.clockMs = start.getTime();
  }

  /** The time of the last commit: what the functions' clock reads, and the read time of every read. */
  now(): Date {
    return new Date(this.clockMs);
  }

  /** Writes (or, with null, deletes) a source document in a commit of its own, as an app would. */
  write(kind: ChangeKind, docId: string, after: RawDocument | null): void {
    this.clockMs += this.tickMs;
    this.put(kind, docId, after);
  }

  /** The source writes committed since the last call, oldest first. */
  takeWrites(): DocumentWrite[] {
    const writes = this.outbox;
    this.outbox = [];
    return writes;
  }

  async readView(agentId: string): Promise<StoredView | null> {
    return this.views.get(agentId) ?? null;
  }

  async readAgentSnapshots(agentIds: readonly string[]): Promise<Map<string, AgentSnapshot>> {
    return this.snapshot(async (tx) => {
      const snapshots = new Map<string, AgentSnapshot>();
      for (const agentId of agentIds) snapshots.set(agentId, { view: (await tx.readAgentAndView(agentId)).view, documents: await tx.readAgentDocuments(agentId) });
      return snapshots;
    });
  }

  /** A read-only transaction: any write fails it, as it would in Firestore. */
  private snapshot<T>(work: (tx: ViewTransaction) => Promise<T>): Promise<T> {
    const refuse = () => {
      throw new Error("write in a read-only snapshot");
    };
    return this.transact((tx) => work({ ...tx, writeView: refuse, writeAccess: refuse, deleteView: refuse, writeMarker: refuse, createIngestedInteraction: refuse }));
  }

  async transact<T>(work: (tx: ViewTransaction) => Promise<T>): Promise<T> {
    const pending: Array<() => void> = [];
    const read = <R>(value: () => R): Promise<R> => {
      if (pending.length > 0) return Promise.reject(new Error("read after write in a transaction"));
      return Promise.resolve(value());
    };
    const sources = (agentId: string) => [...this.parsed.source.values()].filter((s) => s.agentId === agentId);
    const interactions = (agentId: string) => [...this.parsed.interaction.values()].filter((i) => i.agentId === agentId);
    const agent = (agentId: string): AgentRecord => {
      const found = this.agents.get(agentId);
      return found ? { exists: true, ownership: { ...found } } : { exists: false, ownership: null };
    };
    const tx: ViewTransaction = {
      readMarkerAndViews: (eventId, agentIds) => read(() => ({ applied: this.markers.has(eventId), views: agentIds.map((id) => this.views.get(id) ?? null) })),
      readViewAndInteractions: (agentId, docIds) =>
        read(() => ({ agent: agent(agentId), view: this.views.get(agentId) ?? null, existing: new Set(docIds.filter((id) => this.documents.interaction.has(id))) })),
      readAgent: (agentId) => read(() => agent(agentId)),
      readAgentAndView: (agentId) => read(() => ({ agent: agent(agentId), view: this.views.get(agentId) ?? null })),
      readAgentDocuments: (agentId) =>
        read(() => ({
          sources: sources(agentId),
          interactions: interactions(agentId),
          watermarks: { source: this.now(), interaction: this.now() },
        })),
      lastAddedAt: (agentId) => read(() => latest(sources(agentId).map((s) => s.createdAt))),
      interactionExtremes: (agentId) =>
        read(() => {
          const list = interactions(agentId);
          return { lastAt: latest(list.map((i) => i.occurredAt)), maxLatencyMs: Math.max(0, ...list.map((i) => i.latencyMs)) };
        }),
      writeView: (agentId, sealed, { watermarks, state, access }) =>
        void pending.push(() =>
          this.views.set(agentId, { sealed, watermarks, foldedAt: null, accumulators: { interactions: state.interactions, windows: state.windows }, access }),
        ),
      writeAccess: (agentId, access) =>
        void pending.push(() => {
          const stored = this.views.get(agentId);
          // Like Firestore's `update`: the view must exist when the transaction commits.
          if (!stored) throw new Error(`no view of ${agentId} to update`);
          this.views.set(agentId, { ...stored, access });
        }),
      deleteView: (agentId) => void pending.push(() => this.views.delete(agentId)),
      writeMarker: (eventId) => void pending.push(() => this.markers.add(eventId)),
      createIngestedInteraction: (agentId, item) => {
        // Like Firestore's `create`: an existing document fails the whole transaction.
        if (this.documents.interaction.has(item.docId)) throw new Error(`interaction ${item.docId} already exists`);
        pending.push(() => this.put("interaction", item.docId, { ...item.interaction, agentId, userId: item.userId, ingested: true }));
      },
    };
    const result = await work(tx);
    if (pending.length > 0) {
      this.clockMs += this.tickMs;
      pending.forEach((apply) => apply());
    }
    return result;
  }

  private put(kind: ChangeKind, docId: string, after: RawDocument | null): void {
    const before = this.documents[kind].get(docId) ?? null;
    if (after) this.documents[kind].set(docId, after);
    else this.documents[kind].delete(docId);
    this.parsed[kind].delete(docId);
    if (after && kind === "source") {
      const parsed = contextSourceSchema.safeParse(after);
      if (parsed.success) this.parsed.source.set(docId, parsed.data);
    }
    if (after && kind === "interaction") {
      const parsed = interactionDocumentSchema.safeParse(after);
      if (parsed.success) this.parsed.interaction.set(docId, parsed.data);
    }
    if (before || after) this.outbox.push({ kind, docId, before, after, committedAt: this.now() });
  }
}

function latest(times: Date[]): Date | null {
  return times.reduce<Date | null>((newest, t) => (!newest || t > newest ? t : newest), null);
}
