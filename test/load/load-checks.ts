/**
 * @module load-checks
 * What a mixed load run must show, each a list of failures (empty when it holds):
 *  - no 5xx, except 503 `UNAVAILABLE` for a request that overlapped the outage or its recovery
 *    (`RECOVERY_BOUND_MS` after Firestore came back), and no request slower than the request deadline
 *    allows (a hang);
 *  - on each limited key, never more requests allowed in one minute window than its limit (one
 *    instance is exact);
 *  - nothing lost: every acknowledged interaction and upload is in Firestore;
 *  - after the hourly reconcile, every agent view equals a full recompute and the documents' counts.
 * The first two are pure over the run's records; the last two read the emulator directly.
 */
import type { Firestore } from "firebase-admin/firestore";
import { interactionDocId } from "../../functions/src/metrics/interaction-batch";
import { windowStart } from "../../functions/src/rate-limits/rate-limit";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import type { ViewContext } from "../../functions/src/agent-views/agent-fold";
import type { AgentViewStore } from "../../functions/src/agent-views/agent-views";
import { differenceFromRecompute } from "../support/recompute-check";
import type { LoadRun, RequestRecord } from "./mixed-load";

/** Slack on top of the request deadline before a slow answer counts as a hang. */
const HANG_SLACK_MS = 2_000;

/**
 * How long after Firestore comes back a request may still answer 503 `UNAVAILABLE`: one request
 * deadline, for a request that started while the app's client was still reconnecting. The outage
 * restarts the store, so no lock of a transaction it cut survives it. (Without a restart, as when
 * only the network fails, a write that needs a document such a transaction locked waits until the
 * store lets the lock go: on the emulator up to 35 s after it came back; docs/RELIABILITY.md.)
 * Past this bound, any 503 fails the run.
 */
export const RECOVERY_BOUND_MS = 10_000;

/** Whether `record` overlapped the outage as the app saw it (from Firestore going away until its client answered again). */
export function duringOutage(record: RequestRecord, run: Pick<LoadRun, "outage">): boolean {
  return run.outage !== null && record.start < run.outage.recoveredAt && record.end >= run.outage.downAt;
}

/** Whether `record` may fail with 503 `UNAVAILABLE`: it overlapped the outage or the recovery bound after it. */
export function mayBeUnavailable(record: RequestRecord, run: Pick<LoadRun, "outage">): boolean {
  return run.outage !== null && record.end >= run.outage.downAt && record.start < run.outage.resumedAt + RECOVERY_BOUND_MS;
}

export function checkStatuses(run: Pick<LoadRun, "records" | "outage">, deadlineMs: number): string[] {
  const failures: string[] = [];
  for (const r of run.records) {
    if (r.kind === "upload") {
      if (r.status !== 200 && !mayBeUnavailable(r, run)) failures.push(`upload ${r.status === 0 ? "timed out" : "failed"} outside the outage at +${r.start - run.records[0].start} ms`);
      continue;
    }
    const allowed503 = r.status === 503 && r.code === "UNAVAILABLE" && mayBeUnavailable(r, run);
    const when = run.outage ? ` (started ${((r.start - run.outage.resumedAt) / 1000).toFixed(1)} s after Firestore came back)` : "";
    if (r.status >= 500 && !allowed503) failures.push(`${r.kind}: ${r.status} ${r.code ?? ""}${r.status === 503 ? ` outside the outage and its recovery bound${when}` : ""}`);
    if (r.end - r.start > deadlineMs + HANG_SLACK_MS) failures.push(`${r.kind}: answered after ${r.end - r.start} ms (deadline ${deadlineMs} ms)`);
  }
  return failures;
}

export interface WindowCount {
  key: number;
  windowStart: number;
  allowed: number;
  refused: number;
}

/** Limited-key requests per key and minute window; a request whose start and end fall in different windows is left out (`straddling`). */
export function rateWindows(records: readonly RequestRecord[]): { windows: WindowCount[]; straddling: number } {
  const windows = new Map<string, WindowCount>();
  let straddling = 0;
  for (const r of records) {
    if (r.kind !== "limited" || r.key === undefined) continue;
    const start = windowStart(r.start);
    if (windowStart(r.end) !== start) {
      straddling += 1;
      continue;
    }
    const id = `${r.key}@${start}`;
    const w = windows.get(id) ?? { key: r.key, windowStart: start, allowed: 0, refused: 0 };
    if (r.status === 429) w.refused += 1;
    else w.allowed += 1;
    windows.set(id, w);
  }
  return { windows: [...windows.values()], straddling };
}

export function checkRateLimits(windows: readonly WindowCount[], limit: number): string[] {
  return windows.filter((w) => w.allowed > limit).map((w) => `limited key ${w.key}: ${w.allowed} allowed in the window at ${new Date(w.windowStart).toISOString()}, limit ${limit}`);
}

/** Every acknowledged interaction and upload, read back from the emulator. */
export async function checkNothingLost(db: Firestore, run: Pick<LoadRun, "ackedInteractions" | "ackedUploads">): Promise<string[]> {
  const paths = [
    ...run.ackedInteractions.map(([agentId, id]) => `${COLLECTIONS.interactions}/${interactionDocId(agentId, id)}`),
    ...run.ackedUploads.map((u) => `${COLLECTIONS.contextSources}/${u.id}`),
  ];
  const missing: string[] = [];
  for (let i = 0; i < paths.length; i += 300) {
    const snaps = await db.getAll(...paths.slice(i, i + 300).map((p) => db.doc(p)));
    snaps.forEach((snap) => snap.exists || missing.push(snap.ref.path));
  }
  return missing.map((path) => `acknowledged but missing: ${path}`);
}

/** Each agent's view against its documents' counts and against a full recompute (the reconcile's own comparison). */
export async function checkViewsExact(db: Firestore, views: AgentViewStore, ctx: ViewContext, agentIds: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const agentId of agentIds) {
    const [sources, interactions, stored] = await Promise.all([
      db.collection(COLLECTIONS.contextSources).where("agentId", "==", agentId).count().get(),
      db.collection(COLLECTIONS.interactions).where("agentId", "==", agentId).count().get(),
      views.read(agentId),
    ]);
    const want = { sources: sources.data().count, interactions: interactions.data().count };
    const got = { sources: stored?.sealed.data.sources.count ?? 0, interactions: stored?.sealed.data.interactions.count ?? 0 };
    if (got.sources !== want.sources || got.interactions !== want.interactions) failures.push(`${agentId}: view ${JSON.stringify(got)} vs documents ${JSON.stringify(want)}`);
    const difference = await differenceFromRecompute(views, agentId, ctx);
    if (difference) failures.push(`${agentId}: the view differed from a full recompute after the reconcile: ${difference}`);
  }
  return failures;
}
