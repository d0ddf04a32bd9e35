/**
 * @module pricing-written
 * The trigger on `metrics_config/pricing`. Views store costs priced when their interactions were
 * folded, at the rates in effect when each occurred, so a change of prices (a new rate, a rate dated
 * in the past, a correction) must re-price the views it affects: this finds them (the views holding a
 * model that now costs differently, whether its exact key, a `prefix*` key or a default matches it:
 * `agent-views/priced-views`) and asks for a fold of each, which sees its price digest differ and
 * recomputes the agent from source. Views of agents that never used a re-priced model are not folded. Rollups follow at their next fold (within `ROLLUP_MAX_LAG_MS` of a read, or hourly).
 */
import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Logger } from "../config/logger";
import { changedModels, repricedBy } from "../pricing/pricing";
import { pricingOf } from "../agent-views/agent-view-store";
import type { FoldScheduler } from "../agent-views/fold-scheduler";
import type { DocumentWrittenEvent } from "./agent-document-written";
import * as logs from "../config/logs";

export interface PricingTriggerDeps {
  /** The agents whose views hold a model `repriced` says costs differently, after a change of the config `keys`. */
  agentsPricedFor: (keys: readonly string[], repriced: (model: string) => boolean) => Promise<string[]>;
  folds: FoldScheduler;
  log: Logger;
}

/** How many fold requests are in flight at once. */
const PARALLEL_REQUESTS = 20;

/** Handles one delivery of a `metrics_config/pricing` write; safe to run any number of times. */
export function handlePricingWritten(deps: PricingTriggerDeps) {
  return async (event: DocumentWrittenEvent): Promise<void> => {
    const snapshot = (side: DocumentSnapshot | undefined) => ({ exists: side?.exists ?? false, data: () => side?.data() }) as DocumentSnapshot;
    const [before, after] = [pricingOf(snapshot(event.data?.before), deps.log), pricingOf(snapshot(event.data?.after), deps.log)];
    const models = changedModels(before, after);
    if (models.length === 0) return;
    const agents = await deps.agentsPricedFor(models, repricedBy(before, after));
    let next = 0;
    const worker = async () => {
      while (next < agents.length) await deps.folds.request(agents[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, agents.length) }, worker));
    logs.pricingChanged(deps.log, models, agents.length);
  };
}
