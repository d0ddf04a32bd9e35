/**
 * @module reconcile-scale
 * The hourly reconcile over many agents (issue #3: 10,000 within one invocation's time limit). Seeds
 * N agents with two sources each in a project of their own (no trigger fires there, so no view exists
 * yet), then runs the real `reconcile()` with its production options as the hourly schedule would:
 * invocation after invocation until one completes a pass that builds every view (each is "repaired":
 * the worst case), then the steady hourly run (each is "unchanged"). Each invocation is timed against
 * the 540 s function timeout and the reconcile's 480 s budget.
 */
import { Timestamp } from "firebase-admin/firestore";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/domain/signing";
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from "../../../functions/src/reconcile/reconciler";
import { firestoreAgentViewStore } from "../../../functions/src/store/agent-view-store";
import { firestoreRollupStore } from "../../../functions/src/store/rollup-store";
import { adminDb, clearProject } from "../../support/emulators";
import { commitInBatches } from "../read-world";
import { progress } from "../bench-output";

const PROJECT = "demo-metrics-reconcile-bench";
const SOURCES_PER_AGENT = 2;
/** Invocations the build may take before the bench gives up on it (it reports the ones it ran). */
const MAX_BUILD_INVOCATIONS = 12;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ReconcilePass {
  durationMs: number;
  complete: boolean;
  agents: Record<string, number>;
  rollups: number;
}

export interface ReconcileScale {
  agents: number;
  sourcesPerAgent: number;
  seedMs: number;
  budgetMs: number;
  parallelism: number;
  pageSize: number;
  /** The invocations it took to build every view (the last one completes the pass, unless capped). */
  buildPasses: ReconcilePass[];
  steadyPass: ReconcilePass;
}

export async function measureReconcileScale(agentCount: number): Promise<ReconcileScale> {
  const db = adminDb(PROJECT);
  await clearProject(PROJECT);
  const seedStarted = performance.now();
  const writes: Array<[string, Record<string, unknown>]> = [];
  const now = Timestamp.now();
  for (let i = 0; i < agentCount; i++) {
    const agentId = `agent-${String(i).padStart(6, "0")}`;
    writes.push([`agents/${agentId}`, { name: agentId, ownerId: `owner-${i % 500}`, orgId: `org-${i % 20}` }]);
    for (let s = 0; s < SOURCES_PER_AGENT; s++) {
      writes.push([`context_sources/${agentId}-s${s}`, { agentId, type: "pdf", sizeBytes: 1000 + s, tokenCount: 10, status: "ready", createdAt: now, updatedAt: now }]);
    }
  }
  const total = writes.length.toLocaleString("en-US");
  await commitInBatches(db, writes.map((write) => [write]), (done) => progress(`reconcile scale: seeding ${done.toLocaleString("en-US")}/${total} documents`), 1);
  const seedMs = performance.now() - seedStarted;

  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("reconcile-bench")));
  const views = firestoreAgentViewStore(db, quiet);
  const deps = { db, agentViews: views, rollups: firestoreRollupStore(db, views), context: () => ({ keyring, now: () => new Date() }), log: quiet };
  const pass = async (name: string): Promise<ReconcilePass> => {
    progress(`reconcile scale: ${name} over ${agentCount.toLocaleString("en-US")} agents`);
    const started = performance.now();
    const report = await reconcile(deps, DEFAULT_RECONCILE_OPTIONS);
    return { durationMs: performance.now() - started, complete: report.complete, agents: { audited: report.audited, behind: report.repaired.behind, drift: report.repaired.drift, rolled: report.rolled }, rollups: report.rollups.folded + report.rollups.rolled };
  };
  const buildPasses: ReconcilePass[] = [];
  do buildPasses.push(await pass(`invocation ${buildPasses.length + 1} building every view`));
  while (!buildPasses[buildPasses.length - 1].complete && buildPasses.length < MAX_BUILD_INVOCATIONS);
  const steadyPass = await pass("steady pass");
  await clearProject(PROJECT);
  const { budgetMs, parallelism } = DEFAULT_RECONCILE_OPTIONS;
  const pageSize = 100;
  return { agents: agentCount, sourcesPerAgent: SOURCES_PER_AGENT, seedMs, budgetMs, parallelism, pageSize, buildPasses, steadyPass };
}
