/**
 * @module main
 * Entry point of the Hosting page: connects Firebase, builds the API client and signing-key cache
 * once, and, per signed-in user, a metrics cache partitioned by uid, the dashboard's own key and the
 * series feed. Hash routes pick the view (`#/dashboard`, `#/keys`); signing out revokes the page's
 * key and clears that user's cached metrics.
 */
import "./style.css";
import { readApiKey, storeApiKey } from "./api-key-storage";
import { metricsStorage } from "./browser-storage";
import { browserLock, DashboardKey } from "./dashboard-key";
import { connectFirebase } from "./firebase/connection";
import { sessionOf, type SignedInUser } from "./firebase/session";
import { ApiClient, MetricsCache, SeriesFeed, SigningKeyCache, signatureVerifier } from "metrics-web-client";
import { mountDashboard } from "./pages/dashboard-page";
import { mountKeysPage } from "./pages/keys-page";
import { mountSignIn } from "./pages/sign-in-page";
import { byId } from "./view/element";

/** Hosting rewrites `/api/**` to the `api` function, so the API is same-origin. */
const API_BASE_URL = "/api";
/** Views change only when their sources do; the badge shows each card's age and Refresh forces a read. */
const DASHBOARD_MAX_AGE_MS = 120_000;
/** One conditional series read per interval (a 304 unless points changed): 6 of a key's 60 a minute. */
const SERIES_POLL_MS = 10_000;
/** Sign-out waits this long for the dashboard key's revocation, then signs out anyway (it expires in a day). */
const REVOKE_WAIT_MS = 5_000;

const { auth, db } = await connectFirebase();
const session = sessionOf(auth);
let user: SignedInUser | null = null;
let dashboardKey: DashboardKey | null = null;
const api = new ApiClient({
  baseUrl: API_BASE_URL,
  getIdToken: () => session.idToken(),
  apiKey: () => dashboardKey?.current() ?? null,
  onKeyRefused: async (key) => (dashboardKey ? dashboardKey.refused(key) : false),
});
const signingKeys = new SigningKeyCache(() => api.signingKeys());
const verifyView = signatureVerifier(signingKeys, "view");
const verifySeries = signatureVerifier(signingKeys, "series");
const storage = metricsStorage();

const views = { signIn: byId("sign-in-view", HTMLElement), dashboard: byId("dashboard-view", HTMLElement), keys: byId("keys-view", HTMLElement) };
const nav = byId("nav", HTMLElement);
let route: (() => void) | null = null;

function mountFor(signedIn: SignedInUser) {
  const cache = new MetricsCache({ api, verify: verifyView, storage, partition: signedIn.uid, maxAgeMs: DASHBOARD_MAX_AGE_MS });
  const stopTabs = cache.listenToOtherTabs(window);
  const key = new DashboardKey({
    api,
    uid: signedIn.uid,
    storage,
    chosen: { read: () => readApiKey(signedIn.uid), forget: () => storeApiKey(signedIn.uid, null) },
    lock: browserLock(),
  });
  dashboardKey = key;
  const feed = new SeriesFeed({ api, verify: verifySeries, intervalMs: SERIES_POLL_MS, isVisible: () => document.visibilityState === "visible" && !views.dashboard.hidden });
  const onVisible = () => {
    if (document.visibilityState === "visible" && !views.dashboard.hidden) void feed.poll();
  };
  document.addEventListener("visibilitychange", onVisible);
  const dashboard = mountDashboard({ db, cache, user: signedIn, key, feed, api });
  const keys = mountKeysPage({
    api,
    useForDashboard: (chosen) => storeApiKey(signedIn.uid, chosen),
    onRevoked: (prefix) => key.forget(prefix),
    isDashboardKey: (prefix) => key.isProvisioned(prefix),
  });
  route = () => {
    const onKeys = location.hash === "#/keys";
    views.dashboard.hidden = onKeys;
    views.keys.hidden = !onKeys;
    for (const link of nav.querySelectorAll("a")) link.toggleAttribute("aria-current", link.getAttribute("href") === (onKeys ? "#/keys" : "#/dashboard"));
    void (onKeys ? keys.load() : dashboard.load());
  };
  route();
  return async () => {
    stopTabs();
    feed.stop();
    document.removeEventListener("visibilitychange", onVisible);
    cache.clear();
    const timeout = new Promise((resolve) => setTimeout(resolve, REVOKE_WAIT_MS));
    await Promise.race([key.revoke().catch(() => undefined), timeout]);
  };
}

let unmount: (() => Promise<void>) | null = null;
window.addEventListener("hashchange", () => route?.());
// A fresh page after sign-out: the panels' listeners were bound for the previous user.
byId("sign-out", HTMLButtonElement).addEventListener("click", async (event) => {
  (event.currentTarget as HTMLButtonElement).disabled = true;
  await unmount?.();
  await session.signOut();
  location.assign("/");
});
mountSignIn(session);
session.onChange((next) => {
  if (next?.uid === user?.uid) return;
  user = next;
  route = null;
  dashboardKey = null;
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
