/**
 * @module reconciler
 * The hourly reconcile, at a cost that grows with what changed and with the number of agents, never
 * with their history. One pass:
 *  1. folds the agents whose deltas have waited minutes unapplied (a fold request that was lost);
 *  2. audits the agents whose views changed since the last pass, and a slice of all agents from a
 *     cursor (1/24 of them, so 24 hourly passes audit every agent once a day): each view's totals are
 *     compared with `count()`/`sum()` aggregations of its documents (drift-audit), and only a difference
 *     costs more: a fold, which explains it when deltas were waiting ("behind"), else a full
 *     recompute, which repairs it ("drift"); a view whose signature fails is recomputed at once. An agent
 *     whose owner or organization disagrees with its view, or whose view predates the current layout,
 *     is folded too;
 *  3. rolls the windows of the views due (`_sync.rollAt`) and re-signs views signed by a retired key,
 *     each from the view's own state (one read);
 *  4. refolds the rollups of the owners and organizations of changed or repaired agents, and rolls the
 *     other rollups that are due from their own state;
 *  5. deletes records past retention (deltas that outlived their TTL, usage records, rate counters).
 * It stops starting new work when its time budget runs out; what is left waits for the next pass
 * (the audit cursor and the change feed's start are kept in `reconcile_state/agents`).
 */
import { Timestamp, type Firestore, type Query } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import { auditSliceSize, driftBetween, isKnownDifference, totalsOfView } from "./drift-audit";
import { COLLECTIONS } from "../documents/collections";
import { reconcileFeed, type AuditTarget, type ReconcileFeed } from "./reconcile-feed";
import type { RollupStore } from "../rollups/rollup-store";
import type { ViewContext } from "../agent-views/agent-fold";
import type { AgentViewStore } from "../agent-views/agent-views";
import { isAuthentic } from "../metrics/metrics-view";
import { sameOwnership } from "../agent-views/stored-view";
import type { AgentOwnership } from "../documents/source-documents";
import * as logs from "../config/logs";

export interface ReconcileOptions {
  budgetMs: number;
  parallelism: number;
  /** Passes that together audit every agent once. */
  passesPerAudit: number;
  /** The most items one list of a pass takes (changed views, due rolls, ...). */
  limit: number;
  /** How long a delta may wait unapplied before the pass folds its agent. */
  unfoldedAfterMs: number;
}

export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = { budgetMs: 480_000, parallelism: 8, passesPerAudit: 24, limit: 10_000, unfoldedAfterMs: 120_000 };

export interface ReconcileReport {
  /** Agents folded because a delta had waited too long. */
  unfolded: number;
  audited: number;
  /** Audits that found a difference: explained by waiting deltas, or a drift a recompute repaired. */
  repaired: { behind: number; drift: number };
  /** Audits that found exactly the difference an earlier recompute could not explain, and recomputed nothing. */
  known: number;
  /** Audits whose difference a recompute did not change (documents that do not parse count in aggregations only). */
  unexplained: number;
  /** Views given their agent's new owner or organization, or brought to the current layout. */
  moved: number;
  upgraded: number;
  rolled: number;
  rollups: { folded: number; rolled: number };
  deleted: Record<"deltas" | "usage" | "rateCounters", number>;
  failed: number;
  complete: boolean;
  durationMs: number;
}

export interface ReconcileDeps {
  db: Firestore;
  agentViews: AgentViewStore;
  rollups: RollupStore;
  context: () => ViewContext;
  log: Logger;
}

const HOUR_MS = 3_600_000;

/** Runs `task` over `items` with at most `limit` in flight, until `stop` says so. */
async function eachLimited<T>(items: Iterable<T>, limit: number, stop: () => boolean, task: (item: T) => Promise<void>): Promise<void> {
  const list = [...items];
  let next = 0;
  const worker = async () => {
    while (next < list.length && !stop()) await task(list[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS): Promise<ReconcileReport> {
  const started = Date.now();
  const outOfTime = () => Date.now() - started > options.budgetMs;
  const ctx = deps.context();
  const now = ctx.now();
  const feed = reconcileFeed(deps.db);
  const report: ReconcileReport = {
    unfolded: 0,
    audited: 0,
    repaired: { behind: 0, drift: 0 },
    known: 0,
    unexplained: 0,
    moved: 0,
    upgraded: 0,
    rolled: 0,
    rollups: { folded: 0, rolled: 0 },
    deleted: { deltas: 0, usage: 0, rateCounters: 0 },
    failed: 0,
    complete: false,
    durationMs: 0,
  };
  const guarded = (what: string, task: (id: string) => Promise<void>) => async (id: string) => {
    try {
      await task(id);
    } catch (error) {
      report.failed += 1;
      logs.reconcileFailed(deps.log, { step: what, id, error });
    }
  };
  const stateRef = deps.db.collection(COLLECTIONS.reconcileState).doc("agents");
  const saved = (await stateRef.get()).data() ?? {};
  const since = saved.lastPassAt instanceof Timestamp ? saved.lastPassAt.toDate() : new Date(now.getTime() - HOUR_MS);
  const scopes = { user: new Set<string>(), org: new Set<string>() };
  const noteScopes = (ownership: AgentOwnership | null) => {
    if (!ownership) return;
    scopes.user.add(ownership.ownerId);
    scopes.org.add(ownership.orgId);
  };

  // 1. Deltas a lost fold request left waiting.
  const unfolded = await feed.unfoldedBefore(new Date(now.getTime() - options.unfoldedAfterMs), options.limit);
  await eachLimited(unfolded, options.parallelism, outOfTime, guarded("unfolded", async (agentId) => {
    await deps.agentViews.fold(agentId, ctx);
    report.unfolded += 1;
  }));

  // 2. Audits: the views changed since the last pass, and this pass's slice of all agents.
  const changed = new Set(await feed.changedSince(since, options.limit));
  const total = await feed.agentCount();
  const size = Math.min(options.limit, auditSliceSize(total, options.passesPerAudit));
  const cursor = typeof saved.auditCursor === "string" ? saved.auditCursor : null;
  let sliceIds = await feed.agentIdsAfter(cursor, size);
  // Past the last agent the slice goes on from the first, so one cycle never skips anyone.
  if (sliceIds.length < size && cursor !== null) sliceIds = [...new Set([...sliceIds, ...(await feed.agentIdsAfter(null, size - sliceIds.length))])];
  const targets = [...new Set([...sliceIds, ...changed])];
  for (let i = 0; i < targets.length && !outOfTime(); i += 100) {
    const page = await feed.agentsWithViews(targets.slice(i, i + 100));
    await eachLimited(page, options.parallelism, outOfTime, async (target) => {
      await guarded("audit", async () => {
        const repaired = await audit(deps, feed, ctx, target, report);
        if (repaired || changed.has(target.agentId)) noteScopes(target.ownership ?? target.view?.access ?? null);
      })(target.agentId);
    });
  }
  const nextCursor = sliceIds.length > 0 ? sliceIds[sliceIds.length - 1] : null;

  // 3. Windows due to roll, and views signed by a retired key: each from its own state.
  const rolls = new Set([...(await feed.rollDue(now, options.limit)), ...(await feed.signedByOtherKeys(ctx.keyring.activeKeyId, options.limit))]);
  await eachLimited(rolls, options.parallelism, outOfTime, guarded("roll", async (agentId) => {
    if ((await deps.agentViews.roll(agentId, ctx)) !== "unchanged") report.rolled += 1;
  }));

  // 4. Rollups: refold those whose agents changed, roll the others that are due.
  for (const scope of ["user", "org"] as const) {
    await eachLimited(scopes[scope], options.parallelism, outOfTime, guarded(`${scope}-fold`, async (id) => {
      await deps.rollups.fold(scope, id, ctx);
      report.rollups.folded += 1;
    }));
    const due = (await feed.rollupsRollDue(scope, now, options.limit)).filter((id) => !scopes[scope].has(id));
    await eachLimited(due, options.parallelism, outOfTime, guarded(`${scope}-roll`, async (id) => {
      await deps.rollups.roll(scope, id, ctx);
      report.rollups.rolled += 1;
    }));
  }

  // 5. Retention (in production TTL policies delete the same records; this keeps the emulator, and a
  // project without the policies, bounded).
  const expired: Array<[keyof ReconcileReport["deleted"], Query]> = [
    ["deltas", deps.db.collectionGroup(COLLECTIONS.deltas).where("expireAt", "<", Timestamp.fromDate(now))],
    ["usage", deps.db.collection(COLLECTIONS.apiKeyUsage).where("expireAt", "<", Timestamp.fromDate(now))],
    ["rateCounters", deps.db.collection(COLLECTIONS.rateLimits).where("expireAt", "<", Timestamp.fromDate(now))],
  ];
  for (const [name, query] of expired) {
    while (!outOfTime()) {
      const deleted = await feed.deleteSome(query, 400);
      report.deleted[name] += deleted;
      if (deleted === 0) break;
    }
  }

  report.complete = !outOfTime();
  // The change feed restarts where this pass started only once this pass has looked at all of it.
  // and the audit cursor moves on only once the slice was audited whole.
  await stateRef.set({ lastPassAt: Timestamp.fromDate(report.complete ? now : since), auditCursor: report.complete ? nextCursor : cursor, updatedAt: Timestamp.now() });
  report.durationMs = Date.now() - started;
  logs.reconcileFinished(deps.log, { ...report });
  return report;
}

/** Audits one agent; returns what it repaired ("behind", "drift", "moved", "upgraded") or null. */
async function audit(deps: ReconcileDeps, feed: ReconcileFeed, ctx: ViewContext, target: AuditTarget, report: ReconcileReport): Promise<string | null> {
  report.audited += 1;
  const { agentId, view } = target;
  if (view && !sameOwnership(view.access, target.ownership)) {
    await deps.agentViews.fold(agentId, ctx);
    report.moved += 1;
    logs.reconcileOwnerUpdated(deps.log, agentId);
    return "moved";
  }
  if (view && !isAuthentic(view.sealed, ctx.keyring, "agent", agentId)) {
    await deps.agentViews.recompute(agentId, ctx);
    report.repaired.drift += 1;
    logs.reconcileRepaired(deps.log, { agentId, cause: "signature" });
    return "drift";
  }
  if (view && view.pricedWith === null) {
    await deps.agentViews.fold(agentId, ctx);
    report.upgraded += 1;
    return "upgraded";
  }
  const counted = await feed.documentTotals(agentId);
  const fields = driftBetween(view?.sealed.data ?? null, counted);
  if (fields.length === 0) return null;
  if (view && isKnownDifference(await feed.uncounted(agentId), totalsOfView(view.sealed.data), counted)) {
    report.known += 1;
    return null;
  }
  const folded = await deps.agentViews.fold(agentId, ctx);
  if (folded.applied > 0 || folded.settled > 0) {
    const [again] = await feed.agentsWithViews([agentId]);
    if (driftBetween(again?.view?.sealed.data ?? null, await feed.documentTotals(agentId)).length === 0) {
      report.repaired.behind += 1;
      logs.reconcileRepaired(deps.log, { agentId, cause: "behind", fields });
      return "behind";
    }
  }
  const before = view?.sealed.data ?? null;
  const recomputed = await deps.agentViews.recompute(agentId, ctx);
  const differs = !before || !recomputed || driftBetween(before, totalsOfView(recomputed.sealed.data)).length > 0;
  if (differs) {
    report.repaired.drift += 1;
    logs.reconcileRepaired(deps.log, { agentId, cause: "drift", fields });
    return "drift";
  }
  report.unexplained += 1;
  logs.reconcileAuditUnexplained(deps.log, { agentId, fields, stored: view ? totalsOfView(view.sealed.data) : null, counted });
  // Documents the view cannot count: later passes accept this same difference without a recompute.
  if (recomputed) await feed.recordUncounted(agentId, { stored: totalsOfView(recomputed.sealed.data), counted }, ctx.now());
  return null;
}
