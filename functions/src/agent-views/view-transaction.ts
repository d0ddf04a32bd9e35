/**
 * @module view-transaction
 * The ports between the agent view logic and whatever holds the documents. `agent-views/agent-view-store`
 * implements them on Firestore; the model test implements them on maps with a logical commit clock,
 * so both run the same decisions.
 *
 * Two kinds of access, kept apart on purpose:
 *  - writers (triggers, the ingestion route) only create documents: deltas beside the view, and the
 *    ingested interactions. They never read or write the view, so any number of them can write into
 *    one agent at once without contending (`DeltaLog`);
 *  - the fold is the view's only writer: one transaction reads the view, the pending deltas, the
 *    prices and the agent, and writes the next revision (`FoldTransaction`). As in Firestore, a
 *    transaction does all its reads before its first write, and its writes take effect together.
 */
import type { SealedAccess } from "../metrics/access-seal";
import type { AgentDelta } from "../metrics/agent-delta";
import type { AgentState } from "../metrics/agent-view";
import type { InteractionContribution, InteractionExtremes } from "../metrics/interaction-metrics";
import type { SealedView } from "../metrics/metrics-view";
import type { Pricing } from "../pricing/pricing";
import type { ContextSource, AgentOwnership } from "../documents/source-documents";
import type { StoredView } from "./stored-view";

/** Every valid source document of an agent (invalid ones count as absent), with when they were read. */
export interface AgentDocuments {
  sources: ContextSource[];
  interactions: InteractionContribution[];
  /** Every write committed at or before it (to the millisecond) is in the lists, and no other. */
  watermark: Date;
}

/** An interaction to store through the ingestion route: its document id and the validated values. */
export interface IngestItem {
  docId: string;
  userId: string;
  interaction: InteractionContribution;
}

/** `agents/{agentId}` as the fold sees it: whether it exists, and its owner and organization when it parses. */
export interface AgentRecord {
  exists: boolean;
  ownership: AgentOwnership | null;
}

/**
 * A delta as stored beside its view. An event's delta is also that event's marker: once folded it is
 * kept (as applied) long enough to outlive any redelivery. An ingest's delta is deleted once folded.
 */
export type StoredDelta = AgentDelta;

/** What a fold reads first, in one round trip. */
export interface FoldInputs {
  agent: AgentRecord;
  view: StoredView | null;
  /** Unapplied deltas, oldest first, at most `limit` of them. */
  deltas: StoredDelta[];
  /** True when more unapplied deltas remain than were read. */
  more: boolean;
  /** The prices as stored now: what this fold prices its interactions with. */
  pricing: Pricing;
}

/** What a view is written with besides the sealed view: the bookkeeping that is neither signed nor served. */
export interface ViewBookkeeping {
  /** When the last full recompute read the documents (writes committed up to it are in the state). */
  watermark: Date | null;
  state: AgentState;
  /** The agent's owner and organization, signed for the revision written (`sealAccess`). */
  access: SealedAccess | null;
  /** The digest of the prices the state's costs were computed with (`pricingFingerprint`). */
  pricedWith: string;
  /** When the served content last changed (the reconcile's change feed). */
  changedAt: Date;
  /** When the rendered windows next change with time alone (null: never), for the hourly roll. */
  rollAt: Date | null;
}

export interface FoldTransaction {
  readFoldInputs(agentId: string, limit: number): Promise<FoldInputs>;
  /** The stored view alone (for a re-render that needs nothing else). */
  readView(agentId: string): Promise<StoredView | null>;
  /**
   * Every source and interaction of the agent, for a full recompute, as of one instant after the
   * transaction's own reads: call it once the transaction has read the view and the deltas.
   */
  readAgentDocuments(agentId: string): Promise<AgentDocuments>;
  /**
   * The newest `createdAt` among the agent's valid sources, searched with a bounded number of reads
   * (`latest-finder.ts`); past the bound, `known` and `bounded: true`.
   */
  lastAddedAt(agentId: string, known: Date | null): Promise<{ lastAddedAt: Date | null; bounded: boolean }>;
  /** The newest `occurredAt` and the largest latency among the agent's valid interactions, as `lastAddedAt` bounds its search. */
  interactionExtremes(agentId: string, known: InteractionExtremes): Promise<{ extremes: InteractionExtremes; bounded: boolean }>;
  writeView(agentId: string, sealed: SealedView, bookkeeping: ViewBookkeeping): void;
  deleteView(agentId: string): void;
  /** Marks folded deltas as applied: an event's is kept as its marker, an ingest's deleted. */
  settleDeltas(agentId: string, deltas: readonly StoredDelta[]): void;
}

/** Whether an item's document id was free, or already held by an interaction of this agent or of another. */
export type IdOwner = "this-agent" | "another-agent";

export interface DeltaLog {
  /**
   * Records one event's delta for every agent it touches, all or none. "duplicate" when that event
   * was recorded before (a redelivery): its deltas are its markers.
   */
  recordEvent(eventId: string, deltas: ReadonlyMap<string, AgentDelta>): Promise<"recorded" | "duplicate">;
  /**
   * Stores the interactions of `items` whose ids are free, with their delta, in one atomic commit
   * (at most `MAX_INGEST_CHUNK` items, so at most 500 writes); returns the ids already taken.
   */
  ingestChunk(agentId: string, items: readonly IngestItem[], options?: TransactOptions): Promise<Map<string, IdOwner>>;
}

/** How a caller may stop a transaction it no longer waits for. */
export interface TransactOptions {
  /**
   * True once nobody waits for the result (the request answered 503 at its deadline): the next attempt
   * fails with `Abandoned` instead of running, so abandoned work stops retrying against a busy store.
   */
  abandoned?: () => boolean;
}

/** Why a transaction stopped before an attempt: its caller had given up on it. Never retried. */
export class Abandoned extends Error {
  constructor() {
    super("the transaction's caller gave up on it");
    this.name = "Abandoned";
  }
}

/** The most interactions one ingest commit stores: with its delta, 500 writes. */
export const MAX_INGEST_CHUNK = 499;

/** Where views live: fold transactions over them, writers' deltas, and plain reads. */
export interface ViewDatabase {
  /** Runs `work` in one transaction (which the database may retry) and commits its writes. */
  transact<T>(work: (tx: FoldTransaction) => Promise<T>, options?: TransactOptions): Promise<T>;
  readonly deltas: DeltaLog;
  /** The stored view of `agentId` (with its state), read outside any transaction. */
  readView(agentId: string): Promise<StoredView | null>;
}
