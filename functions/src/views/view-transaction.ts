/**
 * @module view-transaction
 * The port between the agent view logic (`agent-view-updates`) and whatever holds the documents: what
 * one transaction may read and write. `store/agent-view-store` implements it on a Firestore
 * `Transaction`; the model test implements it on maps with a logical commit clock, so both run the
 * same decisions. As in Firestore, a transaction does all its reads before its first write, and its
 * writes take effect together when it commits, or not at all.
 */
import type { AgentOwnership } from "../domain/access-policy";
import type { AgentState } from "../domain/agent-view";
import type { InteractionContribution, InteractionExtremes } from "../domain/interaction-metrics";
import type { SealedView } from "../domain/metrics-view";
import type { ContextSource } from "../schemas/source-documents";
import type { StoredView, Watermarks } from "./stored-view";

/** Every valid source document of an agent (invalid ones count as absent), with when they were read. */
export interface AgentDocuments {
  sources: ContextSource[];
  interactions: InteractionContribution[];
  /** Per kind, when they were read: every write committed at or before it (to the millisecond) is in the lists, and no other. */
  watermarks: Watermarks;
}

/** One agent's stored view and documents, read together in one consistent snapshot. */
export interface AgentSnapshot {
  view: StoredView | null;
  documents: AgentDocuments;
}

/** An interaction to store through the ingestion route: its document id and the validated values. */
export interface IngestItem {
  docId: string;
  userId: string;
  interaction: InteractionContribution;
}

/** `agents/{agentId}` as view writes see it: whether it exists, and its owner and organization when it parses. */
export interface AgentRecord {
  exists: boolean;
  ownership: AgentOwnership | null;
}

/** What a view is written with besides the sealed view: the bookkeeping that is neither signed nor served. */
export interface ViewBookkeeping {
  watermarks: Watermarks;
  state: AgentState;
  access: AgentOwnership | null;
}

export interface ViewTransaction {
  /** Whether event `eventId` was applied already, and the stored views of `agentIds` (in that order). */
  readMarkerAndViews(eventId: string, agentIds: readonly string[]): Promise<{ applied: boolean; views: Array<StoredView | null> }>;
  /** The agent, its stored view, and which of `docIds` already exist as interaction documents. */
  readViewAndInteractions(agentId: string, docIds: readonly string[]): Promise<{ agent: AgentRecord; view: StoredView | null; existing: Set<string> }>;
  readAgent(agentId: string): Promise<AgentRecord>;
  /** The agent and its stored view, in one read. */
  readAgentAndView(agentId: string): Promise<{ agent: AgentRecord; view: StoredView | null }>;
  /**
   * Every source and interaction of the agent, for a full recompute, as of one instant after the
   * transaction's own reads: call it once the transaction has read the agent's view.
   */
  readAgentDocuments(agentId: string): Promise<AgentDocuments>;
  /** The newest `createdAt` among the agent's valid sources. */
  lastAddedAt(agentId: string): Promise<Date | null>;
  /** The newest `occurredAt` and the largest latency among the agent's valid interactions. */
  interactionExtremes(agentId: string): Promise<InteractionExtremes>;
  writeView(agentId: string, sealed: SealedView, bookkeeping: ViewBookkeeping): void;
  /** Sets the owner and organization kept beside an existing view, leaving the view itself as it is. */
  writeAccess(agentId: string, access: AgentOwnership | null): void;
  deleteView(agentId: string): void;
  /** Records that event `eventId` has been applied (kept long enough to outlive any redelivery). */
  writeMarker(eventId: string, at: Date): void;
  /** Creates an interaction document marked as counted already (its create event then adds nothing). */
  createIngestedInteraction(agentId: string, item: IngestItem): void;
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

/** Where views live: transactions over it, and plain reads. */
export interface ViewDatabase {
  /** Runs `work` in one transaction (which the database may retry) and commits its writes. */
  transact<T>(work: (tx: ViewTransaction) => Promise<T>, options?: TransactOptions): Promise<T>;
  /**
   * The stored views and documents of `agentIds` from one consistent, lock-free read: a few range
   * queries for the lot rather than queries per agent (for the reconcile's first look at a page). As of
   * `asOf` when given (the time of another read of the caller's), else as of now.
   */
  readAgentSnapshots(agentIds: readonly string[], asOf?: Date): Promise<Map<string, AgentSnapshot>>;
  /** The stored view of `agentId`, read outside any transaction. */
  readView(agentId: string): Promise<StoredView | null>;
}
