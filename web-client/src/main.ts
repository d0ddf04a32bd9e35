/**
 * @module main
 * Entry point of the Hosting page: builds the session, the API client and the key cache once and
 * hands them to each panel, so the panels share one source of credentials.
 */
import "./style.css";
import { readApiKey } from "./api-key-storage";
import { mountApiKeyPanel } from "./api-key-panel";
import { describeError } from "./describe-error";
import { startSession } from "./firebase-session";
import { ApiClient } from "./lib/api-client";
import { SigningKeyCache } from "./lib/signing-key-cache";
import { mountMetricsLoader } from "./metrics-loader";
import { mountSessionPanel } from "./session-panel";
import { byId } from "./view/element";

/** Hosting rewrites `/api/**` to the `api` function, so the API is same-origin. */
const API_BASE_URL = "/api";

const session = startSession(location.hostname);
const api = new ApiClient({ baseUrl: API_BASE_URL, getIdToken: () => session.idToken(), apiKey: readApiKey });

mountSessionPanel(session);
mountApiKeyPanel(api);
mountMetricsLoader({
  api,
  signingKeys: new SigningKeyCache(() => api.signingKeys()),
  missingPrerequisite: () => {
    if (!session.isSignedIn()) return "Sign in first.";
    return readApiKey() ? null : "Add or create an API key first.";
  },
});

const apiStatus = byId("api-status", HTMLParagraphElement);
api.health().then(
  (health) => {
    apiStatus.textContent = `API ${health.status}`;
  },
  (error: unknown) => {
    apiStatus.textContent = `API unavailable: ${describeError(error)}`;
  },
);
