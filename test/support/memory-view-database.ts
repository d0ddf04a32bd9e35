/**
 * @module memory-view-database
 * An in-memory `ViewDatabase` for the model test: source documents (raw, possibly invalid), views,
 * deltas, agents and prices in maps, and a logical clock that ticks once per commit. A transaction sees
 * the last committed state, refuses a read after its first write (as Firestore does) and applies its
 * writes only when it commits. Every write to a source collection, direct or by a transaction, is
 * recorded with what its trigger event would carry, so the test can deliver those events however it
 * likes.
 */
import type { AgentDelta } from "../../functions/src/metrics/agent-delta";
import type { ChangeKind } from "../../functions/src/metrics/agent-change";
import type { InteractionContribution } from "../../functions/src/metrics/interaction-metrics";
import { pricingFromConfig, type PricingConfig } from "../../functions/src/pricing/pricing";
import { interactionDocumentSchema } from "../../functions/src/documents/interaction-documents";
import { contextSourceSchema, type ContextSource } from "../../functions/src/documents/source-documents";
import type { StoredView } from "../../functions/src/agent-views/stored-view";
import type { AgentRecord, DeltaLog, FoldTransaction, IdOwner, StoredDelta, ViewDatabase } from "../../functions/src/agent-views/view-transaction";

export type RawDocument = Record<string, unknown>;

/** One committed write of a source document, as its trigger event describes it. */
export interface DocumentWrite {
  kind: ChangeKind;
  docId: string;
  before: RawDocument | null;
  after: RawDocument | null;
  committedAt: Date;
}

interface HeldDelta {
  delta: StoredDelta;
  applied: boolean;
}

export class MemoryViewDatabase implements ViewDatabase {
  readonly documents: Record<ChangeKind, Map<string, RawDocument>> = { source: new Map(), interaction: new Map() };
  /** The valid documents, parsed once when written (reads filter these, as a query with a schema would). */
  private readonly parsed = { source: new Map<string, ContextSource>(), interaction: new Map<string, InteractionContribution & { agentId: string }>() };
  readonly views = new Map<string, StoredView>();
  /** The `agents` collection: each agent's owner and organization. */
  readonly agents = new Map<string, { ownerId: string; orgId: string }>();
  /** Per agent, its deltas by id. */
  readonly held = new Map<string, Map<string, HeldDelta>>();
  /** `metrics_config/pricing` (null: absent). */
  pricingConfig: PricingConfig | null = null;
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

  /** Replaces the prices in a commit of its own. */
  setPricing(config: PricingConfig | null): void {
    this.clockMs += this.tickMs;
    this.pricingConfig = config;
  }

  /** The source writes committed since the last call, oldest first. */
  takeWrites(): DocumentWrite[] {
    const writes = this.outbox;
    this.outbox = [];
    return writes;
  }

  /** Agents with deltas no fold has applied yet. */
  agentsWithPendingDeltas(): string[] {
    return [...this.held].filter(([, deltas]) => [...deltas.values()].some((d) => !d.applied)).map(([agentId]) => agentId);
  }

  async readView(agentId: string): Promise<StoredView | null> {
    return this.views.get(agentId) ?? null;
  }

  readonly deltas: DeltaLog = {
    recordEvent: async (eventId, deltas) => {
      if ([...deltas.keys()].some((agentId) => this.held.get(agentId)?.has(eventId))) return "duplicate";
      this.clockMs += this.tickMs;
      for (const [agentId, delta] of deltas) this.hold(agentId, delta);
      return "recorded";
    },
    ingestChunk: async (agentId, items) => {
      const taken = new Map<string, IdOwner>();
      for (const item of items) {
        const existing = this.documents.interaction.get(item.docId);
        if (existing) taken.set(item.docId, existing.agentId === agentId ? "this-agent" : "another-agent");
      }
      const fresh = items.filter((item) => !taken.has(item.docId));
      if (fresh.length === 0) return taken;
      this.clockMs += this.tickMs;
      for (const item of fresh) this.put("interaction", item.docId, { ...item.interaction, agentId, userId: item.userId, ingested: true });
      const delta: AgentDelta = { id: `ingest-${this.clockMs}-${agentId}`, kind: "ingest", committedAt: this.now(), removed: { sources: [], interactions: [] }, added: { sources: [], interactions: fresh.map((item) => item.interaction) } };
      this.hold(agentId, delta);
      return taken;
    },
  };

  private hold(agentId: string, delta: StoredDelta): void {
    const deltas = this.held.get(agentId) ?? new Map<string, HeldDelta>();
    deltas.set(delta.id, { delta, applied: false });
    this.held.set(agentId, deltas);
  }

  async transact<T>(work: (tx: FoldTransaction) => Promise<T>): Promise<T> {
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
    const tx: FoldTransaction = {
      readFoldInputs: (agentId, limit) =>
        read(() => {
          const unapplied = [...(this.held.get(agentId)?.values() ?? [])].filter((d) => !d.applied).map((d) => d.delta);
          return { agent: agent(agentId), view: this.views.get(agentId) ?? null, deltas: unapplied.slice(0, limit), more: unapplied.length > limit, pricing: pricingFromConfig(this.pricingConfig) };
        }),
      readView: (agentId) => read(() => this.views.get(agentId) ?? null),
      readAgentDocuments: (agentId) => read(() => ({ sources: sources(agentId), interactions: interactions(agentId), watermark: this.now() })),
      lastAddedAt: (agentId) => read(() => ({ lastAddedAt: latest(sources(agentId).map((s) => s.createdAt)), bounded: false })),
      interactionExtremes: (agentId) =>
        read(() => {
          const list = interactions(agentId);
          return { extremes: { lastAt: latest(list.map((i) => i.occurredAt)), maxLatencyMs: Math.max(0, ...list.map((i) => i.latencyMs)) }, bounded: false };
        }),
      writeView: (agentId, sealed, b) =>
        void pending.push(() => this.views.set(agentId, { sealed, watermark: b.watermark, foldedAt: null, state: b.state, pricedWith: b.pricedWith, changedAt: b.changedAt, access: b.access })),
      deleteView: (agentId) => void pending.push(() => this.views.delete(agentId)),
      settleDeltas: (agentId, deltas) =>
        void pending.push(() => {
          const held = this.held.get(agentId);
          for (const { id, kind } of deltas) {
            if (kind === "ingest") held?.delete(id);
            else held?.set(id, { delta: held.get(id)!.delta, applied: true });
          }
        }),
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
