/**
 * @module reconcile-scale
 * The hourly reconcile at a steady state, with MEASURED reads (read-counter.ts: the reconcile runs in
 * this process, so every read of the Firestore client is counted). Seeds N agents × D documents in a
 * project of their own (no trigger fires there) and gives every agent the view a full recompute
 * writes: the fold's own code (`foldIn` in recompute mode) over the documents just generated, parsed
 * with the same schemas, so no view needs a per-agent query (the emulator, which has no indexes,
 * scans the whole collection for each, which made 10,000 agents out of reach). The rollups are
 * folded by the rollup store, and the reconcile's state is what a finished pass leaves (the change
 * feed starts after the views were written; the audit cursor at the start). Then 1 % of the agents
 * change (an ingest and a fold each, as the write path does) and the next pass is measured: reads
 * against the stored documents. Last, at up to `DRIFT_HUNT_MAX_AGENTS`, a drift is injected into
 * unchanged agents spread over the id space (a source deleted with no trigger to count it) and hourly
 * passes run until each is repaired: a day of passes (24) must find them all, since each pass audits
 * 1/24 of the agents from a cursor.
 *
 * The pass runs with the production options but a time budget of hours: on the emulator each
 * `count()`/`sum()` scans the whole collection, which takes far longer than an indexed aggregation,
 * and the reads counted do not depend on the time taken.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";
import { DEFAULT_RECONCILE_OPTIONS, reconcile, type ReconcileReport } from "../../../functions/src/reconcile/reconciler";
import { firestoreAgentViewStore } from "../../../functions/src/agent-views/agent-view-store";
import { firestoreRollupStore } from "../../../functions/src/rollups/rollup-store";
import { interactionDocId } from "../../../functions/src/metrics/interaction-batch";
import { pricingFromConfig } from "../../../functions/src/pricing/pricing";
import { interactionDocumentSchema } from "../../../functions/src/documents/interaction-documents";
import { contextSourceSchema, ownershipOf } from "../../../functions/src/documents/source-documents";
import { COLLECTIONS } from "../../../functions/src/documents/collections";
import { encodeAgentView } from "../../../functions/src/agent-views/view-codec";
import { foldIn, type ViewContext } from "../../../functions/src/agent-views/agent-fold";
import type { AgentDocuments, FoldTransaction } from "../../../functions/src/agent-views/view-transaction";
import { adminDb, clearProject } from "../../support/emulators";
import { commitInBatches } from "../read-world";
import { progress } from "../bench-output";
import { installReadCounter, readTotals } from "../read-counter";

const PROJECT = "demo-metrics-reconcile-bench";
const SOURCES_PER_AGENT = 10;
const CHANGED_SHARE = 0.01;
const DRIFTED_AGENTS = 10;
const DAY_OF_PASSES = 24;
/** Above this, the drift hunt (up to 26 more passes) is left to smaller runs: each pass's audits scan the emulator's whole collections. */
const DRIFT_HUNT_MAX_AGENTS = 2_000;
/** The pass's time budget here (production: 8 minutes); see the module comment. */
const BENCH_BUDGET_MS = 6 * 3_600_000;

export interface ReconcilePass {
  durationMs: number;
  complete: boolean;
  reads: number;
  report: Pick<ReconcileReport, "audited" | "repaired" | "rolled" | "unfolded" | "failed"> & { rollups: number };
}

export interface ReconcileScale {
  agents: number;
  documentsPerAgent: number;
  storedDocuments: number;
  seedMs: number;
  /** Rendering and writing every view in process, then folding the rollups. */
  buildMs: number;
  rollups: number;
  changedAgents: number;
  steadyPass: ReconcilePass;
  /** Steady-pass reads as a share of the stored documents. */
  steadyReadShare: number;
  /** Null when the run was larger than `DRIFT_HUNT_MAX_AGENTS`. */
  drift: { injected: number; repairedWithin: number | null; passes: ReconcilePass[] } | null;
}

/** One agent's generated documents: what the seed writes and what its view is rendered from. */
function agentDocuments(agentId: string, ownerId: string, sources: number, interactions: number, at: Timestamp): Array<[string, object]> {
  return [
    ...Array.from({ length: sources }, (_, s): [string, object] => [`${COLLECTIONS.contextSources}/${agentId}-s${s}`, { agentId, type: "pdf", sizeBytes: 1000 + s, tokenCount: 10, status: "ready", createdAt: at, updatedAt: at }]),
    ...Array.from({ length: interactions }, (_, n): [string, object] => [
      `${COLLECTIONS.interactions}/${agentId}-i${n}`,
      { agentId, userId: ownerId, model: n % 2 ? "claude-sonnet-4" : "gpt-4.1-mini", inputTokens: 100 + n, outputTokens: 10, latencyMs: 100 + n, status: "success", occurredAt: at },
    ]),
  ];
}

/**
 * The view a full recompute writes for an agent whose documents are `written`, rendered by the fold
 * itself over a transaction that holds those documents instead of querying for them. Returns the
 * view document to store.
 */
async function recomputedView(agentId: string, agent: object, written: Array<[string, object]>, watermark: Date, ctx: ViewContext): Promise<object> {
  const parsed = <T>(collection: string, parse: (data: unknown) => { success: true; data: T } | { success: false }) =>
    written.flatMap(([path, data]) => {
      const result = path.startsWith(`${collection}/`) ? parse(data) : { success: false as const };
      return result.success ? [result.data] : [];
    });
  const documents: AgentDocuments = { sources: parsed(COLLECTIONS.contextSources, (d) => contextSourceSchema.safeParse(d)), interactions: parsed(COLLECTIONS.interactions, (d) => interactionDocumentSchema.safeParse(d)), watermark };
  let stored: object | null = null;
  const unexpected = (what: string) => () => {
    throw new Error(`a recompute of a new view does not ${what}`);
  };
  const tx: FoldTransaction = {
    readFoldInputs: async () => ({ agent: { exists: true, ownership: ownershipOf(agent) }, view: null, deltas: [], more: false, pricing: pricingFromConfig(null) }),
    readView: async () => null,
    readAgentDocuments: async () => documents,
    lastAddedAt: unexpected("look up the newest source"),
    interactionExtremes: unexpected("look up interaction extremes"),
    writeView: (_id, sealed, bookkeeping) => void (stored = encodeAgentView(sealed, bookkeeping)),
    deleteView: unexpected("delete a view"),
    settleDeltas: () => undefined,
  };
  await foldIn(tx, agentId, ctx, "recompute");
  if (!stored) throw new Error(`the recompute of ${agentId} wrote no view`);
  return stored;
}

/** Writes the reconcile's state as a pass that finished at `at` leaves it (its cursor at the start). */
async function finishedPassAt(db: Firestore, at: Date): Promise<void> {
  await db.collection(COLLECTIONS.reconcileState).doc("agents").set({ lastPassAt: Timestamp.fromDate(at), auditCursor: null, updatedAt: Timestamp.fromDate(at) });
}

export async function measureReconcileScale(agentCount: number, documentsPerAgent: number): Promise<ReconcileScale> {
  installReadCounter();
  const db = adminDb(PROJECT);
  await clearProject(PROJECT);
  const seedStarted = performance.now();
  const ids = Array.from({ length: agentCount }, (_, i) => `agent-${String(i).padStart(6, "0")}`);
  const at = Timestamp.fromMillis(Date.now() - 3_600_000);
  const sources = Math.min(SOURCES_PER_AGENT, documentsPerAgent);
  const owners = ids.map((_, i) => `owner-${i % 500}`);
  const agentDoc = (i: number) => ({ name: ids[i], ownerId: owners[i], orgId: `org-${i % 20}` });
  const documentsOf = (i: number) => agentDocuments(ids[i], owners[i], sources, documentsPerAgent - sources, at);
  const total = (agentCount * (documentsPerAgent + 1)).toLocaleString("en-US");
  // In slices, so a million documents are never all in memory at once.
  const SLICE = 1_000;
  for (let from = 0; from < agentCount; from += SLICE) {
    const writes = ids.slice(from, from + SLICE).map((agentId, k): Array<[string, object]> => [[`${COLLECTIONS.agents}/${agentId}`, agentDoc(from + k)], ...documentsOf(from + k)]);
    await commitInBatches(db, writes, (done) => progress(`reconcile scale: seeding ${(from * (documentsPerAgent + 1) + done).toLocaleString("en-US")}/${total} documents`), 4);
  }
  const seedMs = performance.now() - seedStarted;

  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("reconcile-bench")));
  const logged: Array<{ event: string; agentId?: string; cause?: string }> = [];
  const log = { info: () => undefined, warn: (event: string, fields?: Record<string, unknown>) => void logged.push({ event, ...(fields as object) }), error: () => undefined };
  const views = firestoreAgentViewStore(db, log);
  const rollups = firestoreRollupStore(db, views);
  const context = () => ({ keyring, now: () => new Date() });
  const deps = { db, agentViews: views, rollups, context, log };

  const buildStarted = performance.now();
  // Every document above committed before this instant: it is the views' watermark.
  const watermark = new Date();
  for (let from = 0; from < agentCount; from += SLICE) {
    const writes: Array<Array<[string, object]>> = [];
    for (let i = from; i < Math.min(agentCount, from + SLICE); i++) writes.push([[`${COLLECTIONS.agentViews}/${ids[i]}`, await recomputedView(ids[i], agentDoc(i), documentsOf(i), watermark, context())]]);
    await commitInBatches(db, writes, (done) => progress(`reconcile scale: writing views ${(from + done).toLocaleString("en-US")}/${agentCount.toLocaleString("en-US")}`), 4);
  }
  const scopes: Array<["user" | "org", string]> = [...[...new Set(owners)].map((id): ["user", string] => ["user", id]), ...Array.from({ length: Math.min(20, agentCount) }, (_, k): ["org", string] => ["org", `org-${k}`])];
  let folded = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let k = worker; k < scopes.length; k += 8) {
        await rollups.fold(scopes[k][0], scopes[k][1], context());
        if (++folded % 100 === 0) progress(`reconcile scale: folding rollups ${folded}/${scopes.length}`);
      }
    }),
  );
  await finishedPassAt(db, new Date());
  const buildMs = performance.now() - buildStarted;

  const pass = async (name: string): Promise<ReconcilePass> => {
    progress(`reconcile scale: ${name}`);
    const readsBefore = readTotals().total;
    const started = performance.now();
    const report = await reconcile(deps, { ...DEFAULT_RECONCILE_OPTIONS, budgetMs: BENCH_BUDGET_MS });
    return {
      durationMs: performance.now() - started,
      complete: report.complete,
      reads: readTotals().total - readsBefore,
      report: { audited: report.audited, repaired: report.repaired, rolled: report.rolled, unfolded: report.unfolded, failed: report.failed, rollups: report.rollups.folded + report.rollups.rolled },
    };
  };
  // 1 % of the agents change as the write path changes them: an ingest and the fold it asks for.
  const changed = ids.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0);
  for (const agentId of changed) {
    const item = { docId: interactionDocId(agentId, `changed-${agentId}`), userId: "bench", interaction: { model: "claude-sonnet-4", inputTokens: 7, outputTokens: 1, latencyMs: 80, status: "success" as const, occurredAt: new Date() } };
    await views.ingest(agentId, [item]);
    await views.fold(agentId, context());
  }
  const steadyPass = await pass(`steady pass (${changed.length} agents changed)`);

  const drift = agentCount <= DRIFT_HUNT_MAX_AGENTS ? await huntDrift(db, ids, changed, logged, pass) : null;
  await clearProject(PROJECT);

  const storedDocuments = agentCount * (documentsPerAgent + 1);
  return {
    agents: agentCount,
    documentsPerAgent,
    storedDocuments,
    seedMs,
    buildMs,
    rollups: scopes.length,
    changedAgents: changed.length,
    steadyPass,
    steadyReadShare: steadyPass.reads / storedDocuments,
    drift,
  };
}

/** Drift in unchanged agents spread over the id space, and hourly passes until each is repaired: each pass audits the next 1/24 of them. */
async function huntDrift(db: Firestore, ids: readonly string[], changed: readonly string[], logged: ReadonlyArray<{ event: string; agentId?: string; cause?: string }>, pass: (name: string) => Promise<ReconcilePass>): Promise<NonNullable<ReconcileScale["drift"]>> {
  const drifted = Array.from({ length: DRIFTED_AGENTS }, (_, k) => ids[Math.floor(((k + 0.5) * ids.length) / DRIFTED_AGENTS)]).filter((id) => !changed.includes(id));
  await Promise.all(drifted.map((agentId) => db.doc(`${COLLECTIONS.contextSources}/${agentId}-s0`).delete()));
  const passes: ReconcilePass[] = [];
  const repaired = () => new Set(logged.filter((e) => e.event === "reconcile.repaired" && e.cause === "drift" && drifted.includes(e.agentId ?? "")).map((e) => e.agentId));
  while (repaired().size < drifted.length && passes.length < DAY_OF_PASSES + 2) passes.push(await pass(`drift: hourly pass ${passes.length + 1}, ${repaired().size}/${drifted.length} repaired`));
  return { injected: drifted.length, repairedWithin: repaired().size === drifted.length ? passes.length : null, passes };
}
