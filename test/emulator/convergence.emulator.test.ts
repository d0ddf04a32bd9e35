/**
 * Convergence against the Firestore emulator: concurrent uploads, edits, deletes, interaction writes
 * and batches, agent moves and recomputes, with every trigger event delivered one to three times, late
 * and shuffled, by concurrent deliverers, and so is every fold they ask for
 * (`test/support/convergence-driver.ts`). Afterwards every agent view equals a full recompute (state
 * and rendering), its totals equal sums taken straight from the documents, and every user and
 * organization rollup equals the sum of its agents. Replay: `CONVERGENCE_SEED=<seed>`; larger runs: `npm run test:soak`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FieldPath } from "firebase-admin/firestore";
import { generateKeyringSecret, parseKeyring } from "../../functions/src/signing/signing";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { firestoreRollupStore } from "../../functions/src/rollups/rollup-store";
import { interactionDocumentSchema } from "../../functions/src/documents/interaction-documents";
import { contextSourceSchema } from "../../functions/src/documents/source-documents";
import { ConvergenceDriver } from "../support/convergence-driver";
import { differenceFromRecompute } from "../support/recompute-check";
import { recordingLogger } from "../support/fakes";
import { adminDb, ISOLATED_PROJECT_ID, unique } from "../support/emulators";

const SEED = Number(process.env.CONVERGENCE_SEED ?? 7);
const OPERATIONS = Number(process.env.CONVERGENCE_OPERATIONS ?? 120);
const AGENTS = Number(process.env.CONVERGENCE_AGENTS ?? 6);
const CONCURRENCY = Number(process.env.CONVERGENCE_CONCURRENCY ?? 4);

test(`${OPERATIONS} concurrent operations with duplicated, late deliveries converge exactly (seed ${SEED})`, { timeout: 30 * 60_000 }, async () => {
  const db = adminDb(ISOLATED_PROJECT_ID);
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("convergence")));
  const ctx = () => ({ keyring, now: () => new Date() });
  const views = firestoreAgentViewStore(db, recordingLogger());
  const prefix = unique("conv");
  const driver = new ConvergenceDriver(db, views, ctx, recordingLogger(), { seed: SEED, operations: OPERATIONS, agents: AGENTS, owners: 4, concurrency: CONCURRENCY, prefix });
  await driver.setUp();
  const report = await driver.run();
  // Every id of this run starts with `prefix`: a range query finds the run's documents however many agents it has.
  const ofPrefix = (collection: string, field: string) => db.collection(collection).where(field, ">=", prefix).where(field, "<", `${prefix}\uf8ff`);
  const replay = `replay with CONVERGENCE_SEED=${SEED} CONVERGENCE_OPERATIONS=${OPERATIONS} CONVERGENCE_AGENTS=${AGENTS} CONVERGENCE_CONCURRENCY=${CONCURRENCY}`;
  assert.ok(report.redeliveries > 0, "some events were delivered more than once");

  // Sums taken straight from the documents, with the same schemas the triggers apply.
  const expected = new Map(driver.world.agents.map((id) => [id, { sources: 0, bytes: 0, interactions: 0, inputTokens: 0 }]));
  for (const doc of (await ofPrefix("context_sources", "agentId").get()).docs) {
    const parsed = contextSourceSchema.safeParse(doc.data());
    const totals = parsed.success ? expected.get(parsed.data.agentId) : undefined;
    if (parsed.success && totals) (totals.sources += 1), (totals.bytes += parsed.data.sizeBytes);
  }
  for (const doc of (await ofPrefix("agent_interactions", "agentId").get()).docs) {
    const parsed = interactionDocumentSchema.safeParse(doc.data());
    const totals = parsed.success ? expected.get(parsed.data.agentId) : undefined;
    if (parsed.success && totals) (totals.interactions += 1), (totals.inputTokens += parsed.data.inputTokens);
  }

  const context = ctx();
  for (const agentId of driver.world.agents) {
    // What the reconcile's sweep folds: deltas whose fold request came before their event (none here is lost).
    await views.fold(agentId, context);
    const stored = await views.read(agentId);
    const want = expected.get(agentId);
    const got = stored ? { sources: stored.sealed.data.sources.count, bytes: stored.sealed.data.sources.totalBytes, interactions: stored.sealed.data.interactions.count, inputTokens: stored.sealed.data.interactions.inputTokens } : null;
    assert.deepEqual(got ?? { sources: 0, bytes: 0, interactions: 0, inputTokens: 0 }, want, `${agentId}: view vs documents (${replay})`);
    // The whole view (histogram, windows, byModel, maxima) and its accumulators equal a full recompute's.
    const difference = await differenceFromRecompute(views, agentId, context);
    assert.equal(difference, null, `${agentId}: drifted from a full recompute (${replay})`);
  }

  const rollups = firestoreRollupStore(db, views);
  const agentsSnap = await db.collection("agents").where(FieldPath.documentId(), ">=", prefix).where(FieldPath.documentId(), "<", `${prefix}\uf8ff`).get();
  for (const scope of ["user", "org"] as const) {
    const field = scope === "user" ? "ownerId" : "orgId";
    for (const id of scope === "user" ? driver.world.owners : driver.world.orgs) {
      const members = agentsSnap.docs.filter((doc) => doc.get(field) === id).map((doc) => doc.id);
      const folded = await rollups.fold(scope, id, context);
      const sum = (pick: (t: { sources: number; bytes: number; interactions: number }) => number) => members.reduce((total, agentId) => total + pick(expected.get(agentId)!), 0);
      assert.deepEqual(
        { agents: folded.sealed.data.agentCount, bytes: folded.sealed.data.sources.totalBytes, interactions: folded.sealed.data.interactions.count },
        { agents: members.length, bytes: sum((t) => t.bytes), interactions: sum((t) => t.interactions) },
        `${scope} ${id}: rollup vs its agents (${replay})`,
      );
    }
  }
  process.stdout.write(`convergence seed ${SEED}: ${JSON.stringify(report)}\n`);
});
