/**
 * @module reconcile-scale
 * The hourly reconcile at a steady state, with MEASURED reads (read-counter.ts: the reconcile runs in
 * this process, so every read of the Firestore client is counted). Seeds N agents × D documents in a
 * project of their own (no trigger fires there), builds every view with a recompute, and runs a first
 * pass (every view is new to it). Then 1 % of the agents change (an ingest and a fold each, as the
 * write path does) and the next pass is measured: reads against the stored documents. Last, a drift
 * is injected into unchanged agents spread over the id space (a source deleted with no trigger to
 * count it) and hourly passes run until each is repaired: a day of passes (24) must find them all,
 * since each pass audits 1/24 of the agents from a cursor.
 */
import { Timestamp } from "firebase-admin/firestore";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/domain/signing";
import { DEFAULT_RECONCILE_OPTIONS, reconcile, type ReconcileReport } from "../../../functions/src/reconcile/reconciler";
import { firestoreAgentViewStore } from "../../../functions/src/store/agent-view-store";
import { firestoreRollupStore } from "../../../functions/src/store/rollup-store";
import { interactionDocId } from "../../../functions/src/domain/interaction-batch";
import { adminDb, clearProject } from "../../support/emulators";
import { commitInBatches } from "../read-world";
import { progress } from "../bench-output";
import { installReadCounter, readTotals } from "../read-counter";

const PROJECT = "demo-metrics-reconcile-bench";
const SOURCES_PER_AGENT = 10;
const CHANGED_SHARE = 0.01;
const DRIFTED_AGENTS = 10;
const DAY_OF_PASSES = 24;

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
  buildMs: number;
  firstPass: ReconcilePass;
  changedAgents: number;
  steadyPass: ReconcilePass;
  /** Steady-pass reads as a share of the stored documents. */
  steadyReadShare: number;
  drift: { injected: number; repairedWithin: number | null; passes: ReconcilePass[] };
}

export async function measureReconcileScale(agentCount: number, documentsPerAgent: number): Promise<ReconcileScale> {
  installReadCounter();
  const db = adminDb(PROJECT);
  await clearProject(PROJECT);
  const seedStarted = performance.now();
  const ids = Array.from({ length: agentCount }, (_, i) => `agent-${String(i).padStart(6, "0")}`);
  const at = Timestamp.fromMillis(Date.now() - 3_600_000);
  const sources = Math.min(SOURCES_PER_AGENT, documentsPerAgent);
  const writes = ids.map((agentId, i): Array<[string, object]> => [
    [`agents/${agentId}`, { name: agentId, ownerId: `owner-${i % 500}`, orgId: `org-${i % 20}` }],
    ...Array.from({ length: sources }, (_, s): [string, object] => [`context_sources/${agentId}-s${s}`, { agentId, type: "pdf", sizeBytes: 1000 + s, tokenCount: 10, status: "ready", createdAt: at, updatedAt: at }]),
    ...Array.from({ length: documentsPerAgent - sources }, (_, n): [string, object] => [
      `agent_interactions/${agentId}-i${n}`,
      { agentId, userId: `owner-${i % 500}`, model: n % 2 ? "claude-sonnet-4" : "gpt-4.1-mini", inputTokens: 100 + n, outputTokens: 10, latencyMs: 100 + n, status: "success", occurredAt: at },
    ]),
  ]);
  const total = (agentCount * (documentsPerAgent + 1)).toLocaleString("en-US");
  await commitInBatches(db, writes, (done) => progress(`reconcile scale: seeding ${done.toLocaleString("en-US")}/${total} documents`), 4);
  const seedMs = performance.now() - seedStarted;

  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("reconcile-bench")));
  const logged: Array<{ event: string; agentId?: string; cause?: string }> = [];
  const log = { info: () => undefined, warn: (event: string, fields?: Record<string, unknown>) => void logged.push({ event, ...(fields as object) }), error: () => undefined };
  const views = firestoreAgentViewStore(db, log);
  const context = () => ({ keyring, now: () => new Date() });
  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context, log };

  const buildStarted = performance.now();
  let built = 0;
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let agentId = queue.shift(); agentId; agentId = queue.shift()) {
        await views.recompute(agentId, context());
        if (++built % 500 === 0) progress(`reconcile scale: building views ${built.toLocaleString("en-US")}/${agentCount.toLocaleString("en-US")}`);
      }
    }),
  );
  const buildMs = performance.now() - buildStarted;

  const pass = async (name: string): Promise<ReconcilePass> => {
    progress(`reconcile scale: ${name}`);
    const readsBefore = readTotals().total;
    const started = performance.now();
    const report = await reconcile(deps, DEFAULT_RECONCILE_OPTIONS);
    return {
      durationMs: performance.now() - started,
      complete: report.complete,
      reads: readTotals().total - readsBefore,
      report: { audited: report.audited, repaired: report.repaired, rolled: report.rolled, unfolded: report.unfolded, failed: report.failed, rollups: report.rollups.folded + report.rollups.rolled },
    };
  };
  const firstPass = await pass("first pass (every view new to it)");

  // 1 % of the agents change as the write path changes them: an ingest and the fold it asks for.
  const changed = ids.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0);
  for (const agentId of changed) {
    const item = { docId: interactionDocId(agentId, `changed-${agentId}`), userId: "bench", interaction: { model: "claude-sonnet-4", inputTokens: 7, outputTokens: 1, latencyMs: 80, status: "success" as const, occurredAt: new Date() } };
    await views.ingest(agentId, [item]);
    await views.fold(agentId, context());
  }
  const steadyPass = await pass(`steady pass (${changed.length} agents changed)`);

  // Drift in unchanged agents spread over the id space: each pass audits the next 1/24 of them.
  const drifted = Array.from({ length: DRIFTED_AGENTS }, (_, k) => ids[Math.floor(((k + 0.5) * agentCount) / DRIFTED_AGENTS)]).filter((id) => !changed.includes(id));
  await Promise.all(drifted.map((agentId) => db.doc(`context_sources/${agentId}-s0`).delete()));
  const driftPasses: ReconcilePass[] = [];
  const repaired = () => new Set(logged.filter((e) => e.event === "reconcile.repaired" && e.cause === "drift" && drifted.includes(e.agentId ?? "")).map((e) => e.agentId));
  while (repaired().size < drifted.length && driftPasses.length < DAY_OF_PASSES + 2) driftPasses.push(await pass(`drift: hourly pass ${driftPasses.length + 1}, ${repaired().size}/${drifted.length} repaired`));
  await clearProject(PROJECT);

  const storedDocuments = agentCount * (documentsPerAgent + 1);
  return {
    agents: agentCount,
    documentsPerAgent,
    storedDocuments,
    seedMs,
    buildMs,
    firstPass,
    changedAgents: changed.length,
    steadyPass,
    steadyReadShare: steadyPass.reads / storedDocuments,
    drift: { injected: drifted.length, repairedWithin: repaired().size === drifted.length ? driftPasses.length : null, passes: driftPasses },
  };
}
