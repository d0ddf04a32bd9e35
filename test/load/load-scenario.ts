/**
 * @module load-scenario
 * One whole mixed-load run, as `npm run test:soak` and the emulator suite use it: the world, the
 * instance behind its outage proxy, the load, then the checks (statuses, rate limits, nothing lost),
 * the hourly reconcile straight against the emulator, and the views compared with a full recompute.
 */
import { reconcile, DEFAULT_RECONCILE_OPTIONS } from "../../functions/src/reconcile/reconciler";
import { DEFAULT_REQUEST_DEADLINE_MS } from "../../functions/src/http/request-deadline";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { firestoreRollupStore } from "../../functions/src/rollups/rollup-store";
import { recordingLogger } from "../support/fakes";
import { checkNothingLost, checkRateLimits, checkStatuses, checkViewsExact, rateWindows } from "./load-checks";
import { loadEvents, startLoadInstance } from "./load-instance";
import { formatLoadReport } from "./load-report";
import { createLoadWorld, type LoadWorld } from "./load-world";
import { runMixedLoad, type LoadOptions, type LoadRun } from "./mixed-load";

export interface ScenarioOptions extends LoadOptions {
  users: number;
  agentsPerUser: number;
  limitedKeyLimit: number;
  requestDeadlineMs?: number;
}

export interface ScenarioResult {
  run: LoadRun;
  failures: string[];
  report: string;
}

export async function runLoadScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const world = await createLoadWorld(options.users, options.agentsPerUser);
  try {
    return await runIn(world, options);
  } finally {
    await world.db.terminate();
    await world.firestore.stop();
  }
}

async function runIn(world: LoadWorld, options: ScenarioOptions): Promise<ScenarioResult> {
  const instance = await startLoadInstance(world, { limitedKeyLimit: options.limitedKeyLimit, requestDeadlineMs: options.requestDeadlineMs });
  let run: LoadRun;
  try {
    run = await runMixedLoad(world, instance, options);
  } finally {
    await instance.close();
  }
  const deadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
  const rate = { ...rateWindows(run.records), limit: options.limitedKeyLimit };
  const failures = [...checkStatuses(run, deadlineMs), ...checkRateLimits(rate.windows, options.limitedKeyLimit), ...(await checkNothingLost(world.db, run))];

  const log = recordingLogger();
  const agentViews = firestoreAgentViewStore(world.db, log);
  const context = () => ({ keyring: world.keyring, now: () => new Date() });
  // An agent whose repair fails (a lock the emulator has not let go yet) is taken by the next hourly
  // run, as here by the next attempt. Every agent is audited in this one pass (a cycle of one).
  const deps = { db: world.db, agentViews, rollups: firestoreRollupStore(world.db, agentViews), context, log };
  const auditAll = { ...DEFAULT_RECONCILE_OPTIONS, passesPerAudit: 1 };
  let reconciled = await reconcile(deps, auditAll);
  for (let attempt = 1; attempt < 4 && reconciled.failed > 0; attempt++) reconciled = await reconcile(deps, auditAll);
  if (!reconciled.complete || reconciled.failed > 0) failures.push(`the reconcile did not finish cleanly: ${JSON.stringify(reconciled)}`);
  failures.push(...(await checkViewsExact(world.db, agentViews, context(), world.agentIds)));
  const events = [...loadEvents].map(([event, { count, first }]) => `${count} × ${event} ${JSON.stringify(first)}`);
  return { run, failures, report: `${formatLoadReport(run, rate, reconciled, failures)}\nLogged by the instance: ${events.join("; ") || "nothing"}` };
}
