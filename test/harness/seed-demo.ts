/**
 * @module seed-demo
 * Loads the demo world into running emulators (hosts from the environment), mints Alice's API key
 * through the same code path as `POST /v1/api-keys`, waits until the trigger has built the demo
 * agent's view, and prints what a person needs to try it: sign-ins, the key and a curl.
 */
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { DEFAULT_KEY_LIMITS, mintApiKey } from "../../functions/src/api-keys/api-key-policy";
import { sortBatch } from "../../functions/src/metrics/interaction-batch";
import { keyedHash, parsePepperRing } from "../../functions/src/signing/keyed-hash";
import { parseKeyring } from "../../functions/src/signing/signing";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { firestoreApiKeyStore } from "../../functions/src/api-keys/api-key-store";
import { DEMO_AGENTS, DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS, demoInteractions, demoSources } from "./demo-data";
import { readLocalSecrets } from "./local-secrets.mjs";
import { API_BASE, PORTS, PROJECT_ID } from "./paths.mjs";

const app = initializeApp({ projectId: PROJECT_ID });
const db = getFirestore(app);
const auth = getAuth(app);
const now = new Date();

async function seed() {
  const batch = db.batch();
  for (const org of DEMO_ORGS) batch.set(db.doc(`organizations/${org.id}`), { name: org.name });
  for (const user of DEMO_USERS) {
    await auth.createUser({ uid: user.uid, email: user.email, password: DEMO_PASSWORD, displayName: user.displayName });
    if ("operator" in user && user.operator) await auth.setCustomUserClaims(user.uid, { operator: true });
    batch.set(db.doc(`users/${user.uid}`), { orgId: user.orgId, role: user.role, displayName: user.displayName });
  }
  DEMO_AGENTS.forEach((agent, i) => {
    batch.set(db.doc(`agents/${agent.id}`), { name: agent.name, ownerId: agent.ownerId, orgId: agent.orgId, createdAt: Timestamp.fromDate(now) });
    for (const { id, ...source } of demoSources(agent, i, now)) batch.set(db.doc(`context_sources/${id}`), source);
  });
  await batch.commit();
}

/** Interactions go in the way programs send them: validated per item, stored with their deltas, then folded. */
async function ingestInteractions(keyring: ReturnType<typeof parseKeyring>) {
  const views = firestoreAgentViewStore(db, { info: () => undefined, warn: () => undefined, error: () => undefined });
  const ctx = { keyring, now: () => new Date() };
  for (const [i, agent] of DEMO_AGENTS.entries()) {
    const items = demoInteractions(agent, i, now).map(({ agentId: _agentId, occurredAt, ...rest }) => ({ ...rest, occurredAt: occurredAt.toISOString() }));
    const batch = sortBatch(agent.id, items, agent.ownerId, now);
    if (batch.rejected.length > 0) throw new Error(`demo interactions rejected: ${JSON.stringify(batch.rejected[0])}`);
    await views.ingest(agent.id, batch.accepted);
    await views.fold(agent.id, ctx);
  }
}

async function sessionCookieFor(email: string): Promise<string> {
  const res = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD, returnSecureToken: true }),
  });
  const { idToken } = (await res.json()) as { idToken: string };
  return auth.createSessionCookie(idToken, { expiresIn: 14 * 86_400_000 });
}

async function waitForView(agentId: string, count: number) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const view = (await db.doc(`agent_metrics_cache/${agentId}`).get()).data();
    if (view?.sources?.count === count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the ${agentId} view did not reach ${count} sources within 90 s: check .emulator/emulators.log`);
}

async function main() {
  await seed();
  const secrets = readLocalSecrets();
  await ingestInteractions(parseKeyring(secrets.METRICS_SIGNING_KEYRING));
  const pepper = secrets.API_KEY_PEPPER;
  const { key, record } = mintApiKey(
    { name: "demo key", permissions: ["read:agent-metrics", "read:user-metrics", "read:org-metrics", "write:agent-metrics", "write:interactions", "read:cache-stats"] },
    "alice",
    "test",
    now,
  );
  await firestoreApiKeyStore(db).create(keyedHash(parsePepperRing(pepper), "api-key", key), record, DEFAULT_KEY_LIMITS.maxActiveKeys);
  const cookie = await sessionCookieFor("alice@acme.test");
  const demo = DEMO_AGENTS[0];
  await waitForView(demo.id, demo.sources);

  const users = DEMO_USERS.map((u) => `    ${u.email.padEnd(20)} ${DEMO_PASSWORD}   ${u.displayName}`).join("\n");
  process.stdout.write(`
Demo data loaded: ${DEMO_ORGS.length} organizations, ${DEMO_USERS.length} users, ${DEMO_AGENTS.length} agents (${DEMO_AGENTS.map((a) => a.id).join(", ")}).

  Web page        http://127.0.0.1:${PORTS.hosting}/
  API             ${API_BASE}/v1/health
  Sign in with (e-mail / password):
${users}
  Alice's API key (shown once): ${key}

Read the ${demo.id} agent's signed metrics (Alice's 14-day session cookie + her key):

curl -s -H 'Cookie: __session=${cookie}' -H 'X-API-Key: ${key}' ${API_BASE}/v1/agents/${demo.id}/metrics

`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\n✖ Loading demo data failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
