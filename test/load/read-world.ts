/**
 * @module read-world
 * The read benchmark's data and callers, in the emulators' trigger-free project
 * (`demo-metrics-isolated`), so that seeding thousands of documents starts no trigger work on the
 * machine while latencies are measured. Nothing on the read path needs a trigger: the views are
 * written here or built by the product's own `POST …/metrics:refresh`.
 *
 * - One organization and one owner, signed in through the Auth emulator (a real ID token; the user is
 *   in the default project, whose sign-in endpoint the emulator serves), with API keys created
 *   through the app's own `POST /v1/api-keys`.
 * - Many small agents with signed views, written with batched writes: each view is rendered and
 *   sealed by the domain functions from a small synthetic history (a few sources, a few dozen
 *   interactions over three models), so its size is that of a real small agent's view. The history
 *   itself is not written: the read path never reads it.
 * - Large agents (the naive read's subjects) with real source and interaction documents.
 */
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { sealAccess } from "../../functions/src/metrics/access-seal";
import { renderAgent, summarizeAgent, type AgentState } from "../../functions/src/metrics/agent-view";
import type { InteractionContribution } from "../../functions/src/metrics/interaction-metrics";
import { nextRevision, seal, type ViewContent } from "../../functions/src/metrics/metrics-view";
import { pricingFromConfig } from "../../functions/src/pricing/pricing";
import { parseKeyring, type Keyring } from "../../functions/src/signing/signing";
import { COLLECTIONS } from "../../functions/src/documents/collections";
import { encodeAgentView } from "../../functions/src/agent-views/view-codec";
import { pricingFingerprint } from "../../functions/src/pricing/pricing";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { adminAuth, adminDb, clearProject, ISOLATED_PROJECT_ID, signIn, signUp, unique } from "../support/emulators";
import { BATCH_SIZE, sourceDocument } from "./source-writer";

/** Batches committed at once while seeding (the emulator takes them in parallel). */
const PARALLEL_BATCHES = 4;
const MODELS = ["claude-sonnet-4", "claude-haiku-4", "claude-opus-4"];

export interface ReadWorld {
  db: Firestore;
  keyring: Keyring;
  pepper: string;
  uid: string;
  orgId: string;
  idToken: string;
}

export async function createReadWorld(): Promise<ReadWorld> {
  const secrets = readLocalSecrets();
  const db = adminDb(ISOLATED_PROJECT_ID);
  const uid = unique("bench-reader");
  const orgId = unique("bench-org");
  // The Auth emulator's REST sign-in serves the default project, so the user lives there.
  await signUp(uid);
  // The bench reads the instance's cache stats, which only an operator's key may (docs/SECURITY.md).
  await adminAuth().setCustomUserClaims(uid, { operator: true });
  const idToken = await signIn(uid);
  await db.doc(`${COLLECTIONS.organizations}/${orgId}`).set({ name: "Read bench" });
  await db.doc(`${COLLECTIONS.users}/${uid}`).set({ orgId, role: "owner", displayName: "Read bench" });
  return { db, keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, uid, orgId, idToken };
}

/** An interaction of agent `i`'s synthetic or real history; fields vary so every block has content. */
export function interactionOf(i: number, now: number): InteractionContribution {
  return {
    model: MODELS[i % MODELS.length],
    inputTokens: 800 + (i % 400),
    outputTokens: 100 + (i % 90),
    cacheReadTokens: i % 4 === 0 ? 200 : 0,
    ...(i % 4 === 1 && { cacheWriteTokens: 600 }),
    ...(i % 3 === 0 && { reasoningTokens: i % 90 }),
    latencyMs: 120 + ((i * 37) % 2400),
    ...(i % 2 === 0 && { timeToFirstTokenMs: 30 + ((i * 11) % 90) }),
    status: i % 17 === 0 ? "error" : "success",
    occurredAt: new Date(now - (i % 200) * 45 * 60_000),
  };
}

/** Distinct synthetic histories the small agents cycle through (rendering one costs milliseconds; signing, far less). */
const HISTORIES = 16;

/** Small agents' synthetic histories (a few sources, a few dozen interactions over three models), with their rendered blocks. */
function smallAgentStates(now: Date): Array<{ state: AgentState; content: ViewContent }> {
  return Array.from({ length: HISTORIES }, (_, seed) => {
    const sources = Array.from({ length: 4 }, (_, i) => ({ ...sourceDocument("synthetic", seed + i), createdAt: now, updatedAt: now }));
    const interactions = Array.from({ length: 30 }, (_, i) => interactionOf(seed + i, now.getTime()));
    const state = summarizeAgent(sources, interactions, pricingFromConfig(null), now);
    return { state, content: renderAgent(state, now) };
  });
}

/** The stored document of a small agent's view, sealed as the product would have written it. */
function smallAgentView(world: ReadWorld, agentId: string, history: { state: AgentState; content: ViewContent }, now: Date) {
  const sealed = seal(nextRevision("agent", agentId, null, history.content, now), world.keyring, now);
  const pricedWith = pricingFingerprint(pricingFromConfig(null), history.state.models.seen, history.state.models.seenOverflow);
  return encodeAgentView(sealed, { watermark: now, state: history.state, access: sealAccess(sealed.data, { ownerId: world.uid, orgId: world.orgId }, world.keyring, now), pricedWith, changedAt: now, rollAt: null });
}

/**
 * Commits `writes` (each a group of documents kept in one batch) in batches of `BATCH_SIZE`,
 * `parallel` at a time; `onProgress` hears how many documents are written.
 */
export async function commitInBatches(db: Firestore, writes: Array<Array<[string, object]>>, onProgress: (done: number) => void, parallel = PARALLEL_BATCHES): Promise<void> {
  const batches: Array<Array<[string, object]>> = [[]];
  for (const docs of writes) {
    if (batches[batches.length - 1].length + docs.length > BATCH_SIZE) batches.push([]);
    batches[batches.length - 1].push(...docs);
  }
  let done = 0;
  for (let i = 0; i < batches.length; i += parallel) {
    await Promise.all(
      batches.slice(i, i + parallel).map((docs) => {
        const batch = db.batch();
        for (const [path, data] of docs) batch.set(db.doc(path), data);
        return batch.commit();
      }),
    );
    done += batches.slice(i, i + parallel).reduce((sum, docs) => sum + docs.length, 0);
    onProgress(done);
  }
}

/** Writes `count` agents owned by the world's user, each with its signed view; returns their ids. */
export async function seedSmallAgents(world: ReadWorld, count: number, onProgress: (agents: number) => void): Promise<string[]> {
  const now = new Date();
  const prefix = unique("bench-small");
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const states = smallAgentStates(now);
  const writes = ids.map((agentId, i): Array<[string, object]> => [
    [`${COLLECTIONS.agents}/${agentId}`, { name: `small ${i}`, ownerId: world.uid, orgId: world.orgId, createdAt: Timestamp.fromDate(now) }],
    [`${COLLECTIONS.agentViews}/${agentId}`, smallAgentView(world, agentId, states[i % HISTORIES], now)],
  ]);
  await commitInBatches(world.db, writes, (docs) => onProgress(Math.floor(docs / 2)));
  return ids;
}

/** Writes an agent with `documents` real documents, half sources and half interactions; returns its id. */
export async function seedLargeAgent(world: ReadWorld, documents: number, onProgress: (docs: number) => void): Promise<string> {
  const agentId = unique(`bench-large-${documents}`);
  const now = Date.now();
  await world.db.doc(`${COLLECTIONS.agents}/${agentId}`).set({ name: `large ${documents}`, ownerId: world.uid, orgId: world.orgId, createdAt: Timestamp.fromMillis(now) });
  const sources = Math.ceil(documents / 2);
  const writes = Array.from({ length: documents }, (_, i): Array<[string, object]> => {
    if (i < sources) return [[`${COLLECTIONS.contextSources}/${agentId}-s${i}`, sourceDocument(agentId, i)]];
    const { occurredAt, ...rest } = interactionOf(i, now);
    return [[`${COLLECTIONS.interactions}/${agentId}-i${i}`, { ...rest, agentId, userId: world.uid, occurredAt: Timestamp.fromDate(occurredAt) }]];
  });
  await commitInBatches(world.db, writes, onProgress);
  return agentId;
}

/** Deletes every document of the trigger-free project (the emulator's own endpoint), so the write benchmark that follows runs on a Firestore emulator as light as before. */
export async function clearReadWorld(): Promise<void> {
  await clearProject(ISOLATED_PROJECT_ID);
}
