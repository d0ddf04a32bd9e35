/**
 * @module convergence-driver
 * Drives the view pipeline the way production does, but with the deliveries in the test's hands: a
 * seeded generator runs concurrent uploads, edits, moves between agents, deletes, interaction writes,
 * ingestion batches (retried like a client would), agent moves between owners and organizations, and
 * full recomputes, against the Firestore emulator in a project where no deployed trigger fires. Every
 * document write becomes the event Firestore would deliver (exact before/after and commit time, thanks
 * to update-time preconditions), and each event is handed to the real trigger handler one to three
 * times, late and in shuffled order, by concurrent deliverers; a delivery that fails (transaction
 * contention) is retried, as `retry: true` does. The folds that triggers and ingests ask for are
 * queued and delivered the same way (late, repeated, shuffled, concurrently), as Cloud Tasks might.
 * Used by the fast emulator test and by `npm run test:soak`.
 */
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { commitTimeOf } from "../../functions/src/agent-views/snapshot-time";
import { interactionDocId } from "../../functions/src/metrics/interaction-batch";
import type { Logger } from "../../functions/src/config/logger";
import type { InteractionContribution } from "../../functions/src/metrics/interaction-metrics";
import type { ViewContext } from "../../functions/src/agent-views/agent-fold";
import type { AgentViewStore } from "../../functions/src/agent-views/agent-views";
import type { IngestItem } from "../../functions/src/agent-views/view-transaction";
import { handleAgentDocumentWritten, type DocumentWrittenEvent } from "../../functions/src/triggers/agent-document-written";
import { mulberry32 } from "./seeded-random";

export interface ConvergenceOptions {
  seed: number;
  operations: number;
  agents: number;
  owners: number;
  /** Concurrent writers and, separately, concurrent deliverers. */
  concurrency: number;
  prefix: string;
}

export interface World {
  agents: string[];
  owners: string[];
  orgs: string[];
}

export interface DriveReport {
  operations: Record<string, number>;
  deliveries: number;
  redeliveries: number;
  retriedDeliveries: number;
  folds: number;
}

type Kind = "source" | "interaction";
interface PendingEvent {
  kind: Kind;
  event: DocumentWrittenEvent;
  deliveriesLeft: number;
}

/** What a written document looks like to a trigger: the data, and the commit time as `updateTime`. */
function writtenSnapshot(data: Record<string, unknown>, updateTime: Timestamp): DocumentSnapshot {
  return { exists: true, data: () => data, updateTime } as unknown as DocumentSnapshot;
}
const goneSnapshot = () => ({ exists: false, data: () => undefined }) as unknown as DocumentSnapshot;

export class ConvergenceDriver {
  private readonly random: () => number;
  private readonly pending: PendingEvent[] = [];
  /** Fold requests not delivered yet. */
  private readonly folds: string[] = [];
  private readonly handlers: Record<Kind, (event: DocumentWrittenEvent) => Promise<void>>;
  private sequence = 0;
  private writing = true;
  readonly world: World;
  readonly report: DriveReport = { operations: {}, deliveries: 0, redeliveries: 0, retriedDeliveries: 0, folds: 0 };

  constructor(
    private readonly db: Firestore,
    private readonly views: AgentViewStore,
    private readonly ctx: () => ViewContext,
    log: Logger,
    private readonly options: ConvergenceOptions,
  ) {
    this.random = mulberry32(options.seed);
    const p = options.prefix;
    this.world = {
      agents: Array.from({ length: options.agents }, (_, i) => `${p}-agent-${i}`),
      owners: Array.from({ length: options.owners }, (_, i) => `${p}-owner-${i}`),
      orgs: [`${p}-org-a`, `${p}-org-b`],
    };
    const deps = { views, folds: { request: async (agentId: string) => this.requestFold(agentId) }, log };
    this.handlers = { source: handleAgentDocumentWritten("source", deps), interaction: handleAgentDocumentWritten("interaction", deps) };
  }

  private int = (max: number) => Math.floor(this.random() * max);
  /** A fold request, delivered once or twice, later. */
  private requestFold(agentId: string) {
    for (let copies = 1 + this.int(2); copies > 0; copies--) this.folds.push(agentId);
  }
  private one = <T>(items: readonly T[]): T => items[this.int(items.length)];
  private count(name: string) {
    this.report.operations[name] = (this.report.operations[name] ?? 0) + 1;
  }

  /** Creates the organizations, users and agents (agents spread over owners and both organizations). */
  async setUp(): Promise<void> {
    const batch = this.db.batch();
    for (const org of this.world.orgs) batch.set(this.db.doc(`organizations/${org}`), { name: org });
    this.world.owners.forEach((uid, i) => batch.set(this.db.doc(`users/${uid}`), { orgId: this.world.orgs[i % 2], role: "owner" }));
    this.world.agents.forEach((agentId, i) => {
      const owner = i % this.world.owners.length;
      batch.set(this.db.doc(`agents/${agentId}`), { name: agentId, ownerId: this.world.owners[owner], orgId: this.world.orgs[owner % 2] });
    });
    await batch.commit();
  }

  private queue(kind: Kind, docId: string, before: DocumentSnapshot, after: DocumentSnapshot, time: Timestamp) {
    const event = { id: `${this.options.prefix}-e${this.sequence++}`, time: commitTimeOf(time).toISOString(), params: { docId }, data: { before, after } };
    this.pending.push({ kind, event: event as unknown as DocumentWrittenEvent, deliveriesLeft: 1 + this.int(3) });
  }

  /**
   * One write with an exact before/after: the write carries an update-time precondition on what was
   * read (or is a create), so a concurrent writer makes it fail and it is tried again on fresh data.
   */
  private async write(kind: Kind, ref: DocumentReference, next: (before: Record<string, unknown> | null) => Record<string, unknown> | null): Promise<void> {
    for (;;) {
      const before = await ref.get();
      const data = next(before.exists ? (before.data() as Record<string, unknown>) : null);
      try {
        if (data === null) {
          if (!before.exists) return;
          const { writeTime } = await ref.delete({ lastUpdateTime: before.updateTime });
          this.queue(kind, ref.id, before, goneSnapshot(), writeTime);
        } else if (before.exists) {
          // update() merges, so the stored document is the old one with these fields replaced.
          const { writeTime } = await ref.update(data, { lastUpdateTime: before.updateTime });
          this.queue(kind, ref.id, before, writtenSnapshot({ ...before.data(), ...data }, writeTime), writeTime);
        } else {
          const { writeTime } = await ref.create(data);
          this.queue(kind, ref.id, before, writtenSnapshot(data, writeTime), writeTime);
        }
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  private sourceData(agentId: string): Record<string, unknown> {
    const now = Timestamp.now();
    const data: Record<string, unknown> = {
      agentId,
      type: this.one(["pdf", "docx", "text", "url", "csv", "other"]),
      sizeBytes: this.int(100_000),
      tokenCount: this.int(5_000),
      status: this.one(["processing", "ready", "failed"]),
      createdAt: now,
      updatedAt: now,
    };
    // A few malformed documents, as a buggy app would write them: they must count as absent.
    if (this.random() < 0.05) Object.assign(data, this.one([{ sizeBytes: -5 }, { type: "exe" }, { status: 7 }, { agentId: 12 }]));
    return data;
  }

  private interaction(): InteractionContribution {
    return {
      model: this.one(["gpt-4o", "claude-sonnet", "gemini-pro", "__proto__"]),
      inputTokens: this.int(4000),
      outputTokens: this.int(1000),
      latencyMs: this.int(5000),
      status: this.one(["success", "success", "error", "timeout"] as const),
      occurredAt: new Date(Date.now() - this.int(6 * 86_400_000)),
    };
  }

  private interactionData(agentId: string): Record<string, unknown> {
    const { occurredAt, ...rest } = this.interaction();
    return { ...rest, agentId, userId: this.one(this.world.owners), occurredAt: Timestamp.fromDate(occurredAt) };
  }

  private sourceRef(fresh: boolean) {
    return this.db.doc(`context_sources/${this.options.prefix}-s${fresh ? this.sequence++ : this.int(Math.max(1, this.sequence))}`);
  }

  private async operate(): Promise<void> {
    const roll = this.random();
    const agent = this.one(this.world.agents);
    if (roll < 0.3) {
      await this.step("source.create", () => this.write("source", this.sourceRef(true), () => this.sourceData(agent)));
    } else if (roll < 0.45) {
      // Edits change numbers and sometimes move the document to another agent.
      await this.step("source.update", () =>
        this.write("source", this.sourceRef(false), (before) => (before ? { ...before, ...this.sourceData(this.random() < 0.3 ? agent : String(before.agentId)), createdAt: before.createdAt } : null)),
      );
    } else if (roll < 0.55) {
      await this.step("source.delete", () => this.write("source", this.sourceRef(false), () => null));
    } else if (roll < 0.7) {
      const ref = this.db.doc(`agent_interactions/${this.options.prefix}-i${this.int(Math.max(1, this.sequence))}`);
      await this.step("interaction.write", () => this.write("interaction", ref, (before) => (this.random() < 0.2 && before ? null : this.interactionData(agent))));
    } else if (roll < 0.85) {
      await this.step("interaction.ingest", () => this.ingest(agent));
    } else if (roll < 0.95) {
      const owner = this.int(this.world.owners.length);
      const orgId = this.one(this.world.orgs);
      // A plain write can meet the emulator's lock timeout on an agent that transactions hold: retried, as a client would.
      await this.step("agent.move", () => retryConflicts(() => this.db.doc(`agents/${agent}`).update({ ownerId: this.world.owners[owner], orgId })));
    } else {
      await this.step("recompute", () => retryConflicts(() => this.views.recompute(agent, this.ctx())));
    }
  }

  /** Counts one operation of `name` and runs it; a failure says which operation it ended. */
  private async step(name: string, action: () => Promise<unknown>): Promise<void> {
    this.count(name);
    try {
      await action();
    } catch (error) {
      throw Object.assign(error as object, { during: name });
    }
  }

  /** A client batch with some ids re-sent from earlier batches; retried whole on contention, as a client would. */
  private async ingest(agentId: string): Promise<void> {
    const clientIds = Array.from({ length: 1 + this.int(20) }, () => `c${this.int(Math.max(1, this.sequence))}`);
    const items: IngestItem[] = [...new Set(clientIds)].map((clientId) => ({ docId: interactionDocId(agentId, clientId), userId: this.one(this.world.owners), interaction: this.interaction() }));
    const taken = await retryConflicts(() => this.views.ingest(agentId, items));
    this.requestFold(agentId);
    // The created documents' own events: a create with `ingested: true`, which must add nothing.
    for (const item of items.filter((i) => !taken.has(i.docId))) {
      const snap = await this.db.doc(`agent_interactions/${item.docId}`).get();
      if (snap.exists && snap.updateTime) this.queue("interaction", item.docId, goneSnapshot(), writtenSnapshot(snap.data() as Record<string, unknown>, snap.updateTime), snap.updateTime);
    }
  }

  private async deliverOne(): Promise<boolean> {
    if (this.folds.length > 0 && (this.pending.length === 0 || this.random() < 0.3)) {
      const agentId = this.folds.splice(this.int(this.folds.length), 1)[0];
      try {
        await this.views.fold(agentId, this.ctx());
        this.report.folds += 1;
      } catch (error) {
        if (!isConflict(error)) throw Object.assign(error as object, { during: `fold of ${agentId}` });
        this.folds.push(agentId); // run again later, as Cloud Tasks retries a failed task
      }
      return true;
    }
    if (this.pending.length === 0) return false;
    const index = this.int(this.pending.length);
    const item = this.pending[index];
    try {
      await this.handlers[item.kind](item.event);
      this.report.deliveries += 1;
      item.deliveriesLeft -= 1;
      // Two deliverers may hold the same event at once (a concurrent redelivery): remove it only once.
      const at = this.pending.indexOf(item);
      if (item.deliveriesLeft <= 0 && at >= 0) this.pending.splice(at, 1);
      else this.report.redeliveries += 1;
    } catch (error) {
      if (!isConflict(error)) throw Object.assign(error as object, { during: `delivery of ${item.kind} event ${item.event.id}` });
      this.report.retriedDeliveries += 1; // left in the queue: delivered again later, like a retried trigger
    }
    return true;
  }

  /** Runs every operation and delivers every event; resolves when nothing is left to deliver. */
  async run(): Promise<DriveReport> {
    let started = 0;
    let failure: unknown = null;
    // The first error stops every loop, so a failing run ends instead of writing on forever.
    const guard = (loop: () => Promise<void>) => () => loop().catch((error) => void (failure ??= error));
    const writer = guard(async () => {
      while (!failure && started < this.options.operations) {
        started += 1;
        await this.operate();
      }
    });
    const deliverer = guard(async () => {
      while (!failure && (this.writing || this.pending.length > 0 || this.folds.length > 0)) {
        if (!(await this.deliverOne())) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const deliverers = Array.from({ length: this.options.concurrency }, deliverer);
    await Promise.all(Array.from({ length: this.options.concurrency }, writer));
    this.writing = false;
    await Promise.all(deliverers);
    if (failure) throw failure;
    return this.report;
  }
}

/**
 * Transaction contention and failed preconditions: what a production retry absorbs. The emulator
 * also ends a transaction that lost a lock with INVALID_ARGUMENT "Transaction is invalid or closed"
 * (firebase-tools#4473) where production answers ABORTED; the trigger's `retry: true` covers both.
 */
function isConflict(error: unknown): boolean {
  const { code, details } = error as { code?: unknown; details?: unknown };
  if (code === 3) return typeof details === "string" && details.includes("Transaction is invalid or closed");
  return code === 10 || code === 9 || code === 6 || code === 4; // ABORTED, FAILED_PRECONDITION, ALREADY_EXISTS, DEADLINE_EXCEEDED
}

async function retryConflicts<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (!isConflict(error) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}
