/**
 * @module browser
 * What the browser suites share: Debian's Chromium driven by playwright-core (Playwright cannot
 * download a browser here), the Hosting emulator's URL found through the hub, and a seeded world
 * of one organization, one user and two agents with sources and interactions, written the way apps
 * write them (firebase-admin for sources, the API for interactions), with unique ids per run.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Timestamp } from "firebase-admin/firestore";
import { chromium, type Browser, type Page } from "playwright-core";
import { DEMO_AGENTS, demoInteractions, demoSources } from "../harness/demo-data";
import { adminAuth, adminDb, apiBaseUrl, eventually, requireEmulators, unique } from "./emulators";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const SCREENSHOT_DIR = join(import.meta.dirname, "..", "results", "screenshots");
export const PASSWORD = "demo-password";

/** Starts Chromium; fails (never skips) when the machine has none. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) to run the browser tests.`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The Hosting emulator's origin, which serves web-client/dist and rewrites /api/** to the function. */
export async function hostingUrl(): Promise<string> {
  requireEmulators();
  const list = (await (await fetch(`http://${process.env.FIREBASE_EMULATOR_HUB}/emulators`)).json()) as Record<string, { host: string; port: number }>;
  if (!list.hosting) throw new Error("The Hosting emulator is not running in this emulators:exec (add hosting to --only).");
  return `http://${list.hosting.host}:${list.hosting.port}`;
}

/** A fresh ID token for an e-mail/password user of the Auth emulator. */
export async function idTokenFor(email: string): Promise<string> {
  const res = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD, returnSecureToken: true }),
  });
  const body = (await res.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`sign-in failed for ${email}`);
  return body.idToken;
}

export interface SeededWorld {
  uid: string;
  email: string;
  orgId: string;
  agents: Array<{ id: string; name: string; sources: number }>;
}

/** Seeds a user who owns two demo-shaped agents and waits until both views count every source. */
export async function seedWorld(): Promise<SeededWorld> {
  const db = adminDb();
  const uid = unique("web");
  const world: SeededWorld = { uid, email: `${uid.toLowerCase()}@acme.test`, orgId: unique("org"), agents: [] };
  await adminAuth().createUser({ uid, email: world.email, password: PASSWORD });
  await db.doc(`organizations/${world.orgId}`).set({ name: "Acme AI" });
  await db.doc(`users/${uid}`).set({ orgId: world.orgId, role: "owner", displayName: "Web tester" });
  const now = new Date();
  const token = await idTokenFor(world.email);
  const base = await apiBaseUrl();
  const writer = await createKey(base, token, ["write:interactions"]);
  for (const [i, demo] of DEMO_AGENTS.slice(0, 2).entries()) {
    const agent = { id: unique(demo.id), name: demo.name, sources: demo.sources };
    world.agents.push(agent);
    await db.doc(`agents/${agent.id}`).set({ name: agent.name, ownerId: uid, orgId: world.orgId, createdAt: Timestamp.now() });
    const batch = db.batch();
    for (const { id, ...source } of demoSources(demo, i, now)) batch.set(db.doc(`context_sources/${agent.id}-${id}`), { ...source, agentId: agent.id });
    await batch.commit();
    const interactions = demoInteractions(demo, i, now).map(({ agentId: _a, userId: _u, occurredAt, ...rest }) => ({ ...rest, occurredAt: occurredAt.toISOString() }));
    const res = await fetch(`${base}/v1/agents/${agent.id}/interactions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "X-API-Key": writer, "content-type": "application/json" },
      body: JSON.stringify({ interactions }),
    });
    if (res.status !== 202) throw new Error(`seeding interactions failed: ${res.status} ${await res.text()}`);
  }
  for (const agent of world.agents) {
    await eventually(async () => (await db.doc(`agent_metrics_cache/${agent.id}`).get()).data()?.sources?.count, (n) => n === agent.sources, 60_000);
  }
  return world;
}

/** `POST /v1/api-keys` with an ID token; the plaintext key. */
export async function createKey(base: string, idToken: string, permissions: string[]): Promise<string> {
  const res = await fetch(`${base}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${idToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "seed", permissions }),
  });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** Signs in through the page's own form and waits for the signed-in navigation. */
export async function signIn(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(origin);
  await page.fill("#sign-in-form input[name=email]", email);
  await page.fill("#sign-in-form input[name=password]", PASSWORD);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
}

/** Saves a full-page screenshot under test/results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Forwards the page's errors to the test output, where a failing run needs them. */
export function forwardPageErrors(page: Page): void {
  page.on("pageerror", (error) => process.stderr.write(`[page error] ${error.message}\n`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") process.stderr.write(`[page ${message.type()}] ${message.text()}\n`);
  });
}
