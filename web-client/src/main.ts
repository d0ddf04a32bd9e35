/**
 * @module main
 * Entry point of the Hosting page: connects Firebase, builds the API client and signing-key cache
 * once, and, per signed-in user, a metrics cache partitioned by uid. Hash routes pick the view
 * (`#/dashboard`, `#/keys`); signing out clears that user's cached metrics and dashboard key.
 */
import "./style.css";
import { readApiKey, storeApiKey } from "./api-key-storage";
import { metricsStorage } from "./browser-storage";
import { connectFirebase } from "./firebase/connection";
import { sessionOf, type SignedInUser } from "./firebase/session";
import { ApiClient } from "./lib/api-client";
import { MetricsCache } from "./lib/metrics-cache";
import { SigningKeyCache } from "./lib/signing-key-cache";
import { signatureVerifier } from "./lib/verify-signature";
import { mountDashboard } from "./pages/dashboard-page";
import { mountKeysPage } from "./pages/keys-page";
import { mountSignIn } from "./pages/sign-in-page";
import { byId } from "./view/element";

/** Hosting rewrites `/api/**` to the `api` function, so the API is same-origin. */
const API_BASE_URL = "/api";
/** Views change only when their sources do; the badge shows each card's age and Refresh forces a read. */
const DASHBOARD_MAX_AGE_MS = 120_000;
const DASHBOARD_PERMISSIONS = ["read:agent-metrics", "read:user-metrics", "read:org-metrics"];

const { auth, db } = await connectFirebase();
const session = sessionOf(auth);
let user: SignedInUser | null = null;
const api = new ApiClient({ baseUrl: API_BASE_URL, getIdToken: () => session.idToken(), apiKey: () => (user ? readApiKey(user.uid) : null) });
const verify = signatureVerifier(new SigningKeyCache(() => api.signingKeys()));
const storage = metricsStorage();

const views = { signIn: byId("sign-in-view", HTMLElement), dashboard: byId("dashboard-view", HTMLElement), keys: byId("keys-view", HTMLElement) };
const nav = byId("nav", HTMLElement);
let route: (() => void) | null = null;

function mountFor(signedIn: SignedInUser) {
  const cache = new MetricsCache({ api, verify, storage, partition: signedIn.uid, maxAgeMs: DASHBOARD_MAX_AGE_MS });
  const stopTabs = cache.listenToOtherTabs(window);
  const dashboard = mountDashboard({
    db,
    cache,
    user: signedIn,
    dashboardKey: () => readApiKey(signedIn.uid),
    createDashboardKey: async () => {
      const { key } = await api.createApiKey({ name: "dashboard", permissions: DASHBOARD_PERMISSIONS, expiresInDays: 30 });
      storeApiKey(signedIn.uid, key);
    },
  });
  const keys = mountKeysPage({
    api,
    useForDashboard: (key) => storeApiKey(signedIn.uid, key),
    onRevoked: (prefix) => {
      if (readApiKey(signedIn.uid)?.startsWith(prefix)) storeApiKey(signedIn.uid, null);
    },
  });
  route = () => {
    const onKeys = location.hash === "#/keys";
    views.dashboard.hidden = onKeys;
    views.keys.hidden = !onKeys;
    for (const link of nav.querySelectorAll("a")) link.toggleAttribute("aria-current", link.getAttribute("href") === (onKeys ? "#/keys" : "#/dashboard"));
    void (onKeys ? keys.load() : dashboard.load());
  };
  route();
  return () => {
    stopTabs();
    cache.clear();
    storeApiKey(signedIn.uid, null);
  };
}

let unmount: (() => void) | null = null;
window.addEventListener("hashchange", () => route?.());
// A fresh page after sign-out: the panels' listeners were bound for the previous user.
byId("sign-out", HTMLButtonElement).addEventListener("click", () => {
  unmount?.();
  void session.signOut().then(() => location.assign("/"));
});
mountSignIn(session);
session.onChange((next) => {
  if (next?.uid === user?.uid) return;
  user = next;
  route = null;
  views.signIn.hidden = next !== null;
  nav.hidden = next === null;
  byId("user-email", HTMLElement).textContent = next?.email ?? "";
  if (!next) {
    views.dashboard.hidden = true;
    views.keys.hidden = true;
    return;
  }
  unmount = mountFor(next);
});
