/**
 * @module index
 * The deployed functions, and nothing else: each one hands its event to a handler built from the
 * instance's services.
 */
import { getRequestListener } from "@hono/node-server";
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onRequest } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { apiKeyPepperSecret, REGION, signingKeyringSecret } from "./config/params";
import type { ChangeKind } from "./metrics/agent-change";
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from "./reconcile/reconciler";
import { documentId } from "./contract/schemas/ids";
import { apiServices, signingKeyring, triggerServices } from "./services";
import { agentsPricedFor } from "./agent-views/priced-views";
import type { ViewContext } from "./agent-views/agent-fold";
import { handleAgentDocumentWritten, type DocumentWrittenEvent } from "./triggers/agent-document-written";
import { handleAgentWritten } from "./triggers/agent-written";
import { handlePricingWritten } from "./triggers/pricing-written";
import { z } from "zod";
import * as logs from "./config/logs";

setGlobalOptions({ region: REGION });

/** The HTTPS API: every route of the contract, behind one function. */
export const api = onRequest({ secrets: [signingKeyringSecret, apiKeyPepperSecret], concurrency: 80 }, (req, res) => {
  const { app } = apiServices();
  return getRequestListener(app.fetch)(req, res);
});

const triggerViewContext = (): ViewContext => ({ keyring: signingKeyring(), now: () => new Date() });

function documentTrigger(kind: ChangeKind) {
  return (event: DocumentWrittenEvent) => {
    const s = triggerServices();
    return handleAgentDocumentWritten(kind, { views: s.agentViews, folds: s.folds, log: s.log })(event);
  };
}

/**
 * Records each change of a context source as a delta of its agent's totals and asks for a fold. It
 * signs nothing, so it declares no secret.
 */
export const onContextSourceWritten = onDocumentWritten({ document: "context_sources/{docId}", retry: true }, documentTrigger("source"));

/** Records each interaction written outside the API as a delta of its agent's totals and asks for a fold. */
export const onInteractionWritten = onDocumentWritten({ document: "agent_interactions/{docId}", retry: true }, documentTrigger("interaction"));

/** Asks for a fold of a created, moved or deleted agent: the fold gives its view the agent's owner, or removes it. */
export const onAgentWritten = onDocumentWritten({ document: "agents/{docId}", retry: true }, (event) => {
  const s = triggerServices();
  return handleAgentWritten({ folds: s.folds, log: s.log })(event);
});

/** Re-prices the views a change of `metrics_config/pricing` affects. */
export const onPricingWritten = onDocumentWritten({ document: "metrics_config/pricing", retry: true }, (event) => {
  const s = triggerServices();
  return handlePricingWritten({ agentsPricedFor: (keys, repriced) => agentsPricedFor(s.db, keys, repriced), folds: s.folds, log: s.log })(event as DocumentWrittenEvent);
});

const foldTask = z.object({ agentId: documentId, runAt: z.number().int().nonnegative().optional() });
/** The longest a fold task waits for its slot to end (one slot and its margin, with room to spare). */
const MAX_SLOT_WAIT_MS = 5_000;

/**
 * The one writer of agent views: folds an agent's recorded deltas into its signed view. Cloud Tasks
 * runs it at the end of each second an agent was written in (agent-views/fold-scheduler), retrying a failure.
 */
export const foldAgentView = onTaskDispatched(
  { secrets: [signingKeyringSecret], retryConfig: { maxAttempts: 10, minBackoffSeconds: 1, maxBackoffSeconds: 60 }, rateLimits: { maxConcurrentDispatches: 500 }, concurrency: 80 },
  async (request) => {
    const s = triggerServices();
    const parsed = foldTask.safeParse(request.data);
    if (!parsed.success) {
      logs.foldInvalidTask(s.log, parsed.error.issues.length);
      return;
    }
    const wait = Math.min(MAX_SLOT_WAIT_MS, (parsed.data.runAt ?? 0) - Date.now());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const result = await s.agentViews.fold(parsed.data.agentId, triggerViewContext());
    logs.foldDone(s.log, { agentId: parsed.data.agentId, outcome: result.outcome, reason: result.reason, applied: result.applied, settled: result.settled, moved: result.moved, extremesBounded: result.extremesBounded });
  },
);

/** Every hour: audits and repairs views at bounded cost, rolls windows forward, re-signs, refolds rollups, prunes old records. */
export const reconcileHourly = onSchedule({ schedule: "every 60 minutes", timeoutSeconds: 540, memory: "512MiB", secrets: [signingKeyringSecret] }, async () => {
  const s = triggerServices();
  await reconcile({ db: s.db, agentViews: s.agentViews, rollups: s.rollups, context: triggerViewContext, log: s.log }, DEFAULT_RECONCILE_OPTIONS);
});
