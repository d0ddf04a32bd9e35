/**
 * @module firestore.rules.test
 * The security rules, case by case, against the Firestore emulator that `firebase emulators:exec`
 * started. Every rule is proved both ways: a caller it must let through, and callers it must stop.
 * The world is wiped and re-seeded before each test (one batch), so a test that creates, updates or
 * deletes cannot change what the next one sees. A separate `demo-` project id keeps this suite's data
 * and rules apart from the functions' project running in the same emulator.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  setLogLevel,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
  type Firestore,
} from "firebase/firestore";

const PROJECT_ID = "demo-metrics-rules";
const RULES_PATH = path.resolve(__dirname, "../../firestore.rules");

/** Org A: alice (owner, owns agentA and agentA2), bob (member), ann (admin), vera (viewer). Org B: mallory (admin, owns agentB). */
type Who = "alice" | "bob" | "ann" | "vera" | "mallory" | null;
const ORG_A = "orgA";
const ORG_B = "orgB";
const AGENT_A = "agentA";
const AGENT_A2 = "agentA2";
const AGENT_B = "agentB";

let testEnv: RulesTestEnvironment;

/**
 * A context's client as the modular API's type. rules-unit-testing declares the compat Firestore; the
 * modular functions accept it as is at run time (they unwrap its modular delegate).
 */
const clientOf = (context: RulesTestContext) => context.firestore() as unknown as Firestore;

/** The Firestore client of a signed-in user, or of an unauthenticated visitor for `null`. */
const dbAs = (who: Who) => clientOf(who ? testEnv.authenticatedContext(who) : testEnv.unauthenticatedContext());

const at = (iso: string) => Timestamp.fromDate(new Date(iso));

function sourceFor(agentId: string): DocumentData {
  return { agentId, type: "pdf", sizeBytes: 2048, tokenCount: 512, status: "processing", createdAt: serverTimestamp(), updatedAt: serverTimestamp() };
}

function interactionFor(agentId: string): DocumentData {
  return {
    agentId, userId: "alice", model: "claude-sonnet-4", inputTokens: 1200, outputTokens: 300, cacheReadTokens: 800,
    latencyMs: 950.5, status: "success", occurredAt: Timestamp.now(),
  };
}

/** Every document the tests read or change, written with the rules off. */
const WORLD: Record<string, DocumentData> = {
  [`organizations/${ORG_A}`]: { name: "Acme" },
  [`organizations/${ORG_B}`]: { name: "Globex" },
  "users/alice": { orgId: ORG_A, role: "owner", displayName: "Alice" },
  "users/bob": { orgId: ORG_A, role: "member", displayName: "Bob" },
  "users/ann": { orgId: ORG_A, role: "admin", displayName: "Ann" },
  "users/vera": { orgId: ORG_A, role: "viewer", displayName: "Vera" },
  "users/mallory": { orgId: ORG_B, role: "admin", displayName: "Mallory" },
  [`agents/${AGENT_A}`]: { name: "Support bot", ownerId: "alice", orgId: ORG_A, createdAt: at("2025-01-01T00:00:00Z") },
  [`agents/${AGENT_A2}`]: { name: "Sales bot", ownerId: "alice", orgId: ORG_A, createdAt: at("2025-01-01T00:00:00Z") },
  [`agents/${AGENT_B}`]: { name: "Rival bot", ownerId: "mallory", orgId: ORG_B, createdAt: at("2025-01-01T00:00:00Z") },
  "context_sources/srcA": { agentId: AGENT_A, type: "pdf", sizeBytes: 10, tokenCount: 3, status: "ready", createdAt: at("2025-01-02T00:00:00Z"), updatedAt: at("2025-01-02T00:00:00Z") },
  "agent_interactions/intA": { agentId: AGENT_A, userId: "alice", model: "claude-sonnet-4", inputTokens: 10, outputTokens: 5, latencyMs: 100, status: "success", occurredAt: at("2025-01-02T00:00:00Z") },
  [`agent_metrics_cache/${AGENT_A}`]: { scope: "agent", id: AGENT_A, version: 1 },
  "user_metrics_cache/alice": { scope: "user", id: "alice", version: 1 },
  "user_metrics_cache/bob": { scope: "user", id: "bob", version: 1 },
  [`org_metrics_cache/${ORG_A}`]: { scope: "org", id: ORG_A, version: 1 },
  "api_keys/keyAlice": { ownerId: "alice", prefix: "amk_live_", name: "ci" },
  "api_key_usage/useAlice": { keyId: "keyAlice", ownerId: "alice", route: "/v1/agents/agentA/metrics" },
  "api_key_usage_daily/keyAlice_2025-01-02": { keyId: "keyAlice", count: 3 },
  "rate_limits/keyAlice": { count: 1 },
  [`agent_metrics_cache/${AGENT_A}/deltas/evt1`]: { kind: "event", applied: true, expireAt: at("2025-02-01T00:00:00Z") },
  "reconcile_state/agents": { auditCursor: AGENT_A },
  "metrics_config/pricing": { models: { "claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15 } } },
};

before(async () => {
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    throw new Error(
      "FIRESTORE_EMULATOR_HOST is not set: the rules suite needs the Firestore emulator. Run it inside " +
        "`firebase emulators:exec --only firestore` (npm test does), which starts the emulator and sets the variable.",
    );
  }
  setLogLevel("error");
  testEnv = await initializeTestEnvironment({ projectId: PROJECT_ID, firestore: { rules: readFileSync(RULES_PATH, "utf8") } });
});

after(async () => {
  await testEnv?.cleanup();
});

beforeEach(async () => {
  await testEnv.clearFirestore();
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = clientOf(context);
    const batch = writeBatch(db);
    for (const [docPath, data] of Object.entries(WORLD)) batch.set(doc(db, docPath), data);
    await batch.commit();
  });
});

test("the seeded world is in place (guards every refusal below against passing for a missing document)", async () => {
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = clientOf(context);
    for (const docPath of Object.keys(WORLD)) assert.equal((await getDoc(doc(db, docPath))).exists(), true, docPath);
  });
});

describe("context_sources", () => {
  const srcA = (who: Who) => doc(dbAs(who), "context_sources/srcA");

  test("the agent's owner creates a valid source", async () => {
    await assertSucceeds(setDoc(doc(dbAs("alice"), "context_sources/new"), sourceFor(AGENT_A)));
  });
  test("a member of the agent's org who does not own it cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs("bob"), "context_sources/new"), sourceFor(AGENT_A)));
  });
  test("a user of another org cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs("mallory"), "context_sources/new"), sourceFor(AGENT_A)));
  });
  test("an unauthenticated visitor cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs(null), "context_sources/new"), sourceFor(AGENT_A)));
  });
  test("a source for an agent that does not exist is refused", async () => {
    await assertFails(setDoc(doc(dbAs("alice"), "context_sources/new"), sourceFor("no-such-agent")));
  });

  const invalid: Array<[string, (d: DocumentData) => void]> = [
    ["a negative sizeBytes", (d) => { d.sizeBytes = -1; }],
    ["an unknown type", (d) => { d.type = "exe"; }],
    ["an unknown status", (d) => { d.status = "done"; }],
    ["an extra field", (d) => { d.ownerId = "alice"; }],
    ["a missing field", (d) => { delete d.updatedAt; }],
    ["a string createdAt", (d) => { d.createdAt = "2025-01-01T00:00:00Z"; }],
    ["a float tokenCount", (d) => { d.tokenCount = 512.5; }],
  ];
  for (const [what, spoil] of invalid) {
    test(`the owner's create with ${what} is refused`, async () => {
      const data = sourceFor(AGENT_A);
      spoil(data);
      await assertFails(setDoc(doc(dbAs("alice"), "context_sources/new"), data));
    });
  }

  test("the owner updates a source", async () => {
    await assertSucceeds(updateDoc(srcA("alice"), { status: "failed", tokenCount: 0, updatedAt: serverTimestamp() }));
  });
  test("the owner cannot move a source to another agent, even one they own", async () => {
    await assertFails(updateDoc(srcA("alice"), { agentId: AGENT_A2 }));
  });
  test("the owner's update must keep the fields valid", async () => {
    await assertFails(updateDoc(srcA("alice"), { sizeBytes: -5 }));
  });
  test("a same-org member cannot update a source of an agent they do not own", async () => {
    await assertFails(updateDoc(srcA("bob"), { status: "failed" }));
  });

  test("the owner deletes a source", async () => {
    await assertSucceeds(deleteDoc(srcA("alice")));
  });
  test("a same-org member cannot delete it", async () => {
    await assertFails(deleteDoc(srcA("bob")));
  });
  test("a user of another org cannot delete it", async () => {
    await assertFails(deleteDoc(srcA("mallory")));
  });

  test("a member of the agent's org reads a source", async () => {
    await assertSucceeds(getDoc(srcA("bob")));
  });
  test("a user of another org cannot read it", async () => {
    await assertFails(getDoc(srcA("mallory")));
  });
  test("an unauthenticated visitor cannot read it", async () => {
    await assertFails(getDoc(srcA(null)));
  });
});

describe("agent_interactions", () => {
  const intA = (who: Who) => doc(dbAs(who), "agent_interactions/intA");

  test("the agent's owner creates a valid interaction with cacheReadTokens", async () => {
    await assertSucceeds(setDoc(doc(dbAs("alice"), "agent_interactions/new"), interactionFor(AGENT_A)));
  });
  test("the agent's owner creates a valid interaction without the optional cacheReadTokens", async () => {
    const data = interactionFor(AGENT_A);
    delete data.cacheReadTokens;
    await assertSucceeds(setDoc(doc(dbAs("alice"), "agent_interactions/new"), data));
  });
  // Who may write interactions is what the API allows (issue #13): the owner and the org's non-viewers.
  test("a member of the agent's org who does not own it creates one, as the API lets them", async () => {
    await assertSucceeds(setDoc(doc(dbAs("bob"), "agent_interactions/new"), interactionFor(AGENT_A)));
  });
  test("a viewer of the agent's org cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs("vera"), "agent_interactions/new"), interactionFor(AGENT_A)));
  });
  test("a user of another org cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs("mallory"), "agent_interactions/new"), interactionFor(AGENT_A)));
  });
  // Issue #13, finding "interaction id squatting": ids in the API's id space are the API's.
  test("interaction id squatting: even the owner cannot create an id in the API's id space (i_…)", async () => {
    await assertFails(setDoc(doc(dbAs("alice"), "agent_interactions/i_0123456789abcdefABCDEF_-0123456"), interactionFor(AGENT_A)));
    await assertFails(setDoc(doc(dbAs("mallory"), "agent_interactions/i_squat"), interactionFor(AGENT_B)));
    await assertSucceeds(setDoc(doc(dbAs("mallory"), "agent_interactions/mine-1"), interactionFor(AGENT_B)));
  });
  test("an occurredAt up to 5 minutes ahead (clock skew) is accepted", async () => {
    await assertSucceeds(setDoc(doc(dbAs("alice"), "agent_interactions/new"), { ...interactionFor(AGENT_A), occurredAt: Timestamp.fromMillis(Date.now() + 60_000) }));
  });
  test("an unauthenticated visitor cannot create one", async () => {
    await assertFails(setDoc(doc(dbAs(null), "agent_interactions/new"), interactionFor(AGENT_A)));
  });

  const invalid: Array<[string, (d: DocumentData) => void]> = [
    ["an unknown status", (d) => { d.status = "ok"; }],
    ["negative inputTokens", (d) => { d.inputTokens = -1; }],
    ["negative cacheReadTokens", (d) => { d.cacheReadTokens = -1; }],
    ["a model name longer than 128 characters", (d) => { d.model = "m".repeat(129); }],
    ["an empty model name", (d) => { d.model = ""; }],
    ["a negative latencyMs", (d) => { d.latencyMs = -1; }],
    ["a string occurredAt", (d) => { d.occurredAt = "2025-01-01T00:00:00Z"; }],
    ["an extra field", (d) => { d.costUsd = 0.01; }],
    ["a missing userId", (d) => { delete d.userId; }],
    ["an occurredAt an hour in the future", (d) => { d.occurredAt = Timestamp.fromMillis(Date.now() + 3_600_000); }],
    ["an empty userId", (d) => { d.userId = ""; }],
    ["a userId longer than 128 characters", (d) => { d.userId = "u".repeat(129); }],
    ["an agentId longer than 128 characters", (d) => { d.agentId = "a".repeat(129); }],
  ];
  for (const [what, spoil] of invalid) {
    test(`the owner's create with ${what} is refused`, async () => {
      const data = interactionFor(AGENT_A);
      spoil(data);
      await assertFails(setDoc(doc(dbAs("alice"), "agent_interactions/new"), data));
    });
  }

  test("the owner updates an interaction", async () => {
    await assertSucceeds(updateDoc(intA("alice"), { status: "timeout", latencyMs: 30000 }));
  });
  test("the owner cannot move an interaction to another agent, even one they own", async () => {
    await assertFails(updateDoc(intA("alice"), { agentId: AGENT_A2 }));
  });
  test("a same-org member updates an interaction of the org's agent; a viewer cannot", async () => {
    await assertSucceeds(updateDoc(intA("bob"), { status: "error" }));
    await assertFails(updateDoc(intA("vera"), { status: "timeout" }));
  });

  test("the owner deletes an interaction", async () => {
    await assertSucceeds(deleteDoc(intA("alice")));
  });
  test("a same-org viewer cannot delete it; a same-org member can", async () => {
    await assertFails(deleteDoc(intA("vera")));
    await assertSucceeds(deleteDoc(intA("bob")));
  });
  test("a user of another org cannot delete it", async () => {
    await assertFails(deleteDoc(intA("mallory")));
  });

  test("a member of the agent's org reads an interaction", async () => {
    await assertSucceeds(getDoc(intA("bob")));
  });
  test("a user of another org cannot read it", async () => {
    await assertFails(getDoc(intA("mallory")));
  });
});

describe("agent_metrics_cache", () => {
  const view = (who: Who) => doc(dbAs(who), `agent_metrics_cache/${AGENT_A}`);

  test("the agent's owner reads it", async () => {
    await assertSucceeds(getDoc(view("alice")));
  });
  test("a member of the agent's org reads it", async () => {
    await assertSucceeds(getDoc(view("bob")));
  });
  test("a user of another org cannot read it", async () => {
    await assertFails(getDoc(view("mallory")));
  });
  test("an unauthenticated visitor cannot read it", async () => {
    await assertFails(getDoc(view(null)));
  });
  test("not even the agent's owner can write it", async () => {
    await assertFails(setDoc(view("alice"), { scope: "agent", id: AGENT_A, version: 99 }));
  });
});

describe("user_metrics_cache", () => {
  const view = (who: Who, uid: string) => doc(dbAs(who), `user_metrics_cache/${uid}`);

  test("a user reads their own", async () => {
    await assertSucceeds(getDoc(view("bob", "bob")));
  });
  test("the owner of that user's org reads it", async () => {
    await assertSucceeds(getDoc(view("alice", "bob")));
  });
  test("an admin of that user's org reads it", async () => {
    await assertSucceeds(getDoc(view("ann", "bob")));
  });
  test("a plain member of the same org cannot read another user's", async () => {
    await assertFails(getDoc(view("bob", "alice")));
  });
  test("an admin of another org cannot read it", async () => {
    await assertFails(getDoc(view("mallory", "bob")));
  });
  test("an unauthenticated visitor cannot read it", async () => {
    await assertFails(getDoc(view(null, "bob")));
  });
  test("not even the user can write their own", async () => {
    await assertFails(setDoc(view("alice", "alice"), { scope: "user", id: "alice", version: 99 }));
  });
});

describe("org_metrics_cache", () => {
  const view = (who: Who) => doc(dbAs(who), `org_metrics_cache/${ORG_A}`);

  test("a member of the org reads it", async () => {
    await assertSucceeds(getDoc(view("bob")));
  });
  test("a user of another org cannot read it", async () => {
    await assertFails(getDoc(view("mallory")));
  });
  test("not even the org's owner can write it", async () => {
    await assertFails(setDoc(view("alice"), { scope: "org", id: ORG_A, version: 99 }));
  });
});

describe("server-only collections", () => {
  for (const docPath of [
    "api_keys/keyAlice", "api_key_usage/useAlice", "api_key_usage_daily/keyAlice_2025-01-02", "rate_limits/keyAlice",
    `agent_metrics_cache/${AGENT_A}/deltas/evt1`, "reconcile_state/agents", "metrics_config/pricing",
  ]) {
    test(`${docPath} cannot be read by any client, not even alice (org owner, key owner)`, async () => {
      await assertFails(getDoc(doc(dbAs("alice"), docPath)));
    });
    test(`${docPath} cannot be written by any client, not even alice (org owner, key owner)`, async () => {
      await assertFails(setDoc(doc(dbAs("alice"), docPath), { ownerId: "alice" }, { merge: true }));
    });
  }
});

describe("users, agents and organizations", () => {
  test("a user reads their own profile", async () => {
    await assertSucceeds(getDoc(doc(dbAs("alice"), "users/alice")));
  });
  test("a user cannot read another user's profile, even in the same org", async () => {
    await assertFails(getDoc(doc(dbAs("alice"), "users/bob")));
  });
  test("a user cannot write their own profile (no self-promotion to owner)", async () => {
    await assertFails(updateDoc(doc(dbAs("bob"), "users/bob"), { role: "owner" }));
  });

  test("a member of the agent's org reads the agent", async () => {
    await assertSucceeds(getDoc(doc(dbAs("bob"), `agents/${AGENT_A}`)));
  });
  test("a user of another org cannot read the agent", async () => {
    await assertFails(getDoc(doc(dbAs("mallory"), `agents/${AGENT_A}`)));
  });

  test("a user lists the agents they own", async () => {
    const mine = await assertSucceeds(getDocs(query(collection(dbAs("alice"), "agents"), where("ownerId", "==", "alice"))));
    assert.deepEqual(mine.docs.map((d) => d.id).sort(), [AGENT_A, AGENT_A2]);
  });
  test("a user cannot list someone else's agents, nor every agent", async () => {
    await assertFails(getDocs(query(collection(dbAs("bob"), "agents"), where("ownerId", "==", "alice"))));
    await assertFails(getDocs(collection(dbAs("alice"), "agents")));
    await assertFails(getDocs(query(collection(dbAs(null), "agents"), where("ownerId", "==", "alice"))));
  });

  test("a member reads their organization", async () => {
    await assertSucceeds(getDoc(doc(dbAs("bob"), `organizations/${ORG_A}`)));
  });
  test("a user of another org cannot read it", async () => {
    await assertFails(getDoc(doc(dbAs("mallory"), `organizations/${ORG_A}`)));
  });
  test("an unauthenticated visitor cannot read it", async () => {
    await assertFails(getDoc(doc(dbAs(null), `organizations/${ORG_B}`)));
  });
});
