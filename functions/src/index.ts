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
import { apiKeyPepperSecret, REGION, retentionDays, signingKeyringSecret } from "./config/params";
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from "./reconcile/reconciler";
import type { ChangeKind } from "./domain/agent-change";
import { apiServices, signingKeyring, triggerServices } from "./services";
import { handleAgentDocumentWritten, type DocumentWrittenEvent } from "./triggers/agent-document-written";
import { handleAgentWritten } from "./triggers/agent-written";

setGlobalOptions({ region: REGION });

/** The HTTPS API: every route of the contract, behind one function. */
export const api = onRequest({ secrets: [signingKeyringSecret, apiKeyPepperSecret], concurrency: 80 }, (req, res) => {
  const { app } = apiServices();
  return getRequestListener(app.fetch)(req, res);
});

const viewContext = async () => {
  const s = triggerServices();
  return { keyring: signingKeyring(), pricing: await s.pricing.current(), now: s.now };
};

function viewTrigger(kind: ChangeKind) {
  return (event: DocumentWrittenEvent) => {
    const s = triggerServices();
    return handleAgentDocumentWritten(kind, { views: s.agentViews, context: viewContext, log: s.log })(event);
  };
}

/** Keeps the `sources` block of `agent_metrics_cache` exact as context sources change. */
export const onContextSourceWritten = onDocumentWritten(
  { document: "context_sources/{docId}", secrets: [signingKeyringSecret], retry: true },
  viewTrigger("source"),
);

/** Keeps the `interactions` and `windows` blocks exact as interactions are written outside the API. */
export const onInteractionWritten = onDocumentWritten(
  { document: "agent_interactions/{docId}", secrets: [signingKeyringSecret], retry: true },
  viewTrigger("interaction"),
);

/**
 * Removes the view of a deleted agent (and so its share of the rollups), and gives a moved agent's
 * view its new owner and organization. It signs nothing, so it declares no secret.
 */
export const onAgentWritten = onDocumentWritten({ document: "agents/{docId}", retry: true }, (event) => {
  const s = triggerServices();
  return handleAgentWritten({ followAgent: (agentId) => s.agentViews.followAgent(agentId), log: s.log })(event);
});

/** Every hour: repairs drifted views, rolls windows forward, re-signs, refolds rollups, prunes old records. */
export const reconcileHourly = onSchedule({ schedule: "every 60 minutes", timeoutSeconds: 540, memory: "512MiB", secrets: [signingKeyringSecret] }, async () => {
  const s = triggerServices();
  await reconcile({ db: s.db, agentViews: s.agentViews, rollups: s.rollups, context: viewContext, log: s.log }, { ...DEFAULT_RECONCILE_OPTIONS, retentionDays: retentionDays.value() });
});
