/**
 * @module agent-views
 * The operations on agent views that triggers, routes, rollups and the reconciler call, over a
 * `ViewDatabase`: writers record deltas (events, ingest chunks), and folds, serialized per agent on
 * this instance, turn them into the next revision (`agent-fold`). Firestore provides the database in
 * production (`agent-views/agent-view-store`); the model test provides one in memory.
 */
import { deltaFor, touchedAgents, type AgentChange, type ChangeKind } from "../metrics/agent-change";
import { emptySide, type AgentDelta } from "../metrics/agent-delta";
import type { InteractionContribution } from "../metrics/interaction-metrics";
import type { SourceContribution } from "../metrics/source-metrics";
import type { ContextSource } from "../documents/source-documents";
import { foldIn, rollIn, type ComputedView, type FoldResult, type ViewContext } from "./agent-fold";
import type { StoredView } from "./stored-view";
import { MAX_INGEST_CHUNK, type IdOwner, type IngestItem, type TransactOptions, type ViewDatabase } from "./view-transaction";

/**
 * An ingest of which some chunks were stored and at least one failed: `stored` lists the document ids
 * the committed chunks created, so the answer can say which items are in (re-sending them is safe).
 */
export class PartialIngestError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly stored: readonly string[],
  ) {
    super("an ingest chunk failed");
    this.name = "PartialIngestError";
  }
}

export type ChangeValue<K extends ChangeKind> = K extends "source" ? ContextSource : InteractionContribution;

export interface AgentViewStore {
  read(agentId: string): Promise<StoredView | null>;
  /** Records one trigger event's deltas; a redelivery of a recorded event is a "duplicate" and records nothing. */
  record<K extends ChangeKind>(kind: K, change: AgentChange<ChangeValue<K>>): Promise<"recorded" | "duplicate">;
  /**
   * Stores the interactions of `items` whose ids are free, in transactions of at most 500 writes, each
   * with its delta; returns the ids already taken, and by which agent's interaction.
   * @throws PartialIngestError when a chunk failed, naming what the others stored.
   */
  ingest(agentId: string, items: readonly IngestItem[], options?: TransactOptions): Promise<Map<string, IdOwner>>;
  /** Folds the agent's pending deltas into its view, as many folds as it takes; returns the last one's result. */
  fold(agentId: string, ctx: ViewContext, options?: TransactOptions): Promise<FoldResult>;
  /** Recomputes the view from source and stores it; null (nothing written) when the agent does not exist. */
  recompute(agentId: string, ctx: ViewContext, options?: TransactOptions): Promise<ComputedView | null>;
  /**
   * Re-renders the view from its stored state (windows roll, a retired key's signature is renewed),
   * reading only the view; a view that cannot be built on is folded instead ("folded").
   */
  roll(agentId: string, ctx: ViewContext): Promise<"rolled" | "unchanged" | "absent" | "folded">;
}

/** The delta `change` makes to `agentId`'s totals. */
function deltaOf<K extends ChangeKind>(kind: K, change: AgentChange<ChangeValue<K>>, agentId: string): AgentDelta {
  const { removed, added } = deltaFor(change, agentId);
  const side = (value: ChangeValue<K> | null) => {
    const out = emptySide();
    if (value && kind === "source") out.sources.push(value as ContextSource & SourceContribution);
    if (value && kind === "interaction") out.interactions.push(value as InteractionContribution);
    return out;
  };
  return { id: change.eventId, kind: "event", committedAt: change.committedAt, ...(change.committedBefore && { committedBefore: change.committedBefore }), removed: side(removed), added: side(added) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The agent view operations over `database`. */
export function agentViewsOver(database: ViewDatabase): AgentViewStore {
  // Everything that writes one agent's view on this instance (folds, recomputes, rolls) runs one at a
  // time, and fold requests made while one waits share it: concurrent writes of one view would only
  // contend on it (on the emulator, until a lock times out).
  const lines = new Map<string, { tail: Promise<unknown>; waiting: Promise<FoldResult> | null }>();

  function inLine<T>(agentId: string, run: () => Promise<T>): Promise<T> {
    const line = lines.get(agentId) ?? { tail: Promise.resolve(), waiting: null };
    lines.set(agentId, line);
    const job = line.tail.catch(() => undefined).then(run);
    line.tail = job;
    const done = () => {
      if (line.tail === job) lines.delete(agentId);
    };
    job.then(done, done);
    return job;
  }

  const foldOnce = (agentId: string, ctx: ViewContext, mode: "deltas" | "recompute", options?: TransactOptions) => database.transact((tx) => foldIn(tx, agentId, ctx, mode), options);

  async function foldAll(agentId: string, ctx: ViewContext, options?: TransactOptions): Promise<FoldResult> {
    let last = await foldOnce(agentId, ctx, "deltas", options);
    while (last.more) last = await foldOnce(agentId, ctx, "deltas", options);
    return last;
  }

  function fold(agentId: string, ctx: ViewContext, options?: TransactOptions): Promise<FoldResult> {
    const waiting = lines.get(agentId)?.waiting;
    if (waiting) return waiting;
    const job = inLine(agentId, () => {
      const line = lines.get(agentId);
      if (line?.waiting === job) line.waiting = null;
      return foldAll(agentId, ctx, options);
    });
    (lines.get(agentId) as { waiting: Promise<FoldResult> | null }).waiting = job;
    return job;
  }

  return {
    read: (agentId) => database.readView(agentId),
    async record(kind, change) {
      const deltas = new Map(touchedAgents(change).map((agentId) => [agentId, deltaOf(kind, change, agentId)]));
      return database.deltas.recordEvent(change.eventId, deltas);
    },
    async ingest(agentId, items, options) {
      const taken = new Map<string, IdOwner>();
      const parts = chunks(items, MAX_INGEST_CHUNK);
      const results = await Promise.allSettled(parts.map((chunk) => database.deltas.ingestChunk(agentId, chunk, options)));
      for (const result of results) if (result.status === "fulfilled") for (const [docId, owner] of result.value) taken.set(docId, owner);
      const failed = results.find((result) => result.status === "rejected");
      if (failed) {
        // Each chunk commits whole or not at all; the caller must learn which did before it answers.
        const stored = parts.flatMap((chunk, i) => (results[i].status === "fulfilled" ? chunk.filter((item) => !taken.has(item.docId)).map((item) => item.docId) : []));
        throw new PartialIngestError(failed.reason, stored);
      }
      return taken;
    },
    fold,
    async recompute(agentId, ctx, options) {
      const result = await inLine(agentId, () => foldOnce(agentId, ctx, "recompute", options));
      if (result.more) await fold(agentId, ctx, options);
      return result.view;
    },
    async roll(agentId, ctx) {
      const outcome = await inLine(agentId, () => database.transact((tx) => rollIn(tx, agentId, ctx)));
      if (outcome !== "untrusted") return outcome;
      await fold(agentId, ctx);
      return "folded";
    },
  };
}
