/**
 * @module index
 * The deployed functions, and nothing else: each one hands its event to a handler built from the
 * instance's services.
 */
import { getRequestListener } from "@hono/node-server";
import { setGlobalOptions } from "firebase-functions/v2";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onRequest } from "firebase-functions/v2/https";
import { apiKeyPepperSecret, REGION, signingKeyringSecret } from "./config/params";
import { apiServices, triggerServices } from "./services";
import { handleContextSourceWritten } from "./triggers/context-source-written";

setGlobalOptions({ region: REGION });

/** The HTTPS API: every route of the contract, behind one function. */
export const api = onRequest({ secrets: [signingKeyringSecret, apiKeyPepperSecret], concurrency: 80 }, (req, res) => {
  const { app } = apiServices();
  return getRequestListener(app.fetch)(req, res);
});

/** Keeps `agent_metrics_cache` exact as context sources are created, edited and deleted. */
export const onContextSourceWritten = onDocumentWritten(
  { document: "context_sources/{sourceId}", secrets: [signingKeyringSecret], retry: true },
  (event) => {
    const s = triggerServices();
    return handleContextSourceWritten({ views: s.agentViews, context: () => ({ keyring: s.keyring, now: s.now }), log: s.log })(event);
  },
);
