/**
 * @module reconciler
 * The hourly reconcile: pages through every agent, judges each page's views against source from one
 * consistent read (two range queries and a `getAll` per page, not queries per agent), and repairs,
 * rolls or re-signs each view `verdictFor` finds wrong, in its own transaction with bounded
 * parallelism, from the documents that read returned unless the view changed since; gives a view whose
 * stored owner and organization disagree with its agent the agent's (a lost agent event, or a view
 * stored before they were kept); refolds the rollups of the owners and organizations it met; deletes
 * event markers, usage records and rate counters past retention;
 * and logs what it found and fixed. It stops before its time budget runs out and leaves a cursor in
 * `reconcile_state/agents`, so the next run resumes where this one stopped: 10,000 agents fit in one
 * invocation when they are small, and any number fit across invocations.
 */
import { Timestamp, FieldPath, type Firestore } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import type { RepairOutcome, ViewContext } from "../views/agent-view-updates";
import type { AgentViewStore, Judged } from "../views/agent-views";
import { ownershipOf } from "../schemas/source-documents";
import { COLLECTIONS } from "../store/collections";
import { sameOwnership } from "../views/stored-view";
import type { RollupStore } from "../store/rollup-store";

export interface ReconcileOptions {
  budgetMs: number;
  pageSize: number;
  parallelism: number;
  retentionDays: number;
}

export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = { budgetMs: 480_000, pageSize: 300, parallelism: 8, retentionDays: 30 };

export interface ReconcileReport {
  /** Per agent of the pages read: what was found (and fixed), "gone" when it was deleted meanwhile. */
  agents: Record<RepairOutcome | "failed", number>;
  /** Views whose stored owner and organization were brought in line with their agent. */
  owners: number;
  rollups: number;
  deleted: Record<"markers" | "usage" | "rateCounters", number>;
  complete: boolean;
  durationMs: number;
}

export interface ReconcileDeps {
  db: Firestore;
  agentViews: AgentViewStore;
  rollups: RollupStore;
  context: () => Promise<ViewContext>;
  log: Logger;
}

const DAY_MS = 86_400_000;

/** Runs `task` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS): Promise<ReconcileReport> {
  const started = Date.now();
  const outOfTime = () => Date.now() - started > options.budgetMs;
  const ctx = await deps.context();
  const report: ReconcileReport = {
    agents: { repaired: 0, rolled: 0, resigned: 0, unchanged: 0, gone: 0, failed: 0 },
    owners: 0,
    rollups: 0,
    deleted: { markers: 0, usage: 0, rateCounters: 0 },
    complete: false,
    durationMs: 0,
  };
  const cursorRef = deps.db.collection(COLLECTIONS.reconcileState).doc("agents");
  let cursor: string | null = ((await cursorRef.get()).get("cursor") as string | undefined) ?? null;
  const scopes = { user: new Set<string>(), org: new Set<string>() };

  // At least one page per run, so a run always makes progress, then as many as the budget allows.
  for (;;) {
    let page = deps.db.collection(COLLECTIONS.agents).orderBy(FieldPath.documentId()).limit(options.pageSize);
    if (cursor) page = page.startAfter(cursor);
    const snap = await page.get();
    // A first look at the whole page from one consistent read; only the agents it finds wrong are
    // rewritten, each in its own read-write transaction from the documents that read returned.
    let verdicts = new Map<string, Judged>();
    try {
      // As of the page query, so the views and documents judged are those of the agents it listed.
      verdicts = await deps.agentViews.verdicts(snap.docs.map((agent) => agent.id), ctx, snap.readTime.toDate());
    } catch (error) {
      deps.log.warn("reconcile.page-read-failed", { first: snap.docs[0]?.id ?? null, error: error instanceof Error ? error.message : String(error) });
    }
    await eachLimited(snap.docs, options.parallelism, async (agent) => {
      const { ownerId, orgId } = agent.data();
      if (typeof ownerId === "string") scopes.user.add(ownerId);
      if (typeof orgId === "string") scopes.org.add(orgId);
      try {
        const judged = verdicts.get(agent.id);
        const verdict = await deps.agentViews.reconcile(agent.id, ctx, judged);
        report.agents[verdict] += 1;
        if (verdict === "repaired") deps.log.warn("reconcile.repaired", { agentId: agent.id });
        // A rewrite stores the agent's owner as it reads it; a view left as it was may still disagree.
        const stale = verdict === "unchanged" && judged?.seen.view && !sameOwnership(judged.seen.view.access, ownershipOf(agent.data()));
        if (stale && (await deps.agentViews.followAgent(agent.id)) === "moved") {
          report.owners += 1;
          deps.log.warn("reconcile.owner-updated", { agentId: agent.id });
        }
      } catch (error) {
        report.agents.failed += 1;
        deps.log.error("reconcile.failed", { agentId: agent.id, error: error instanceof Error ? error.message : String(error) });
      }
    });
    cursor = snap.size < options.pageSize ? null : snap.docs[snap.size - 1].id;
    await cursorRef.set({ cursor, updatedAt: Timestamp.now() });
    if (cursor === null) {
      report.complete = true;
      break;
    }
    if (outOfTime()) break;
  }

  for (const scope of ["user", "org"] as const) {
    await eachLimited([...scopes[scope]], options.parallelism, async (id) => {
      if (outOfTime()) return;
      await deps.rollups.fold(scope, id, ctx);
      report.rollups += 1;
    });
  }

  const cutoff = Timestamp.fromMillis(ctx.now().getTime() - options.retentionDays * DAY_MS);
  const expired: Array<[keyof ReconcileReport["deleted"], string, string]> = [
    ["markers", COLLECTIONS.triggerEvents, "processedAt"],
    ["usage", COLLECTIONS.apiKeyUsage, "lastAt"],
    ["rateCounters", COLLECTIONS.rateLimits, "expireAt"],
  ];
  for (const [name, collection, field] of expired) {
    const before = name === "rateCounters" ? Timestamp.fromDate(ctx.now()) : cutoff;
    while (!outOfTime()) {
      const old = await deps.db.collection(collection).where(field, "<", before).limit(400).get();
      if (old.empty) break;
      const batch = deps.db.batch();
      old.docs.forEach((doc) => batch.delete(doc.ref));
      await batch.commit();
      report.deleted[name] += old.size;
    }
  }

  report.durationMs = Date.now() - started;
  deps.log.info("reconcile.finished", { ...report });
  return report;
}
