/**
 * @module document-bounds.rules.test
 * Every bound firestore.rules puts on a field apps write, probed both ways against the emulator: at
 * the bound the rules admit the document and the functions' schema parses it (so a view counts it),
 * one past the bound the rules refuse it (and the schema would drop it). The bounds come from the
 * contract's `document-bounds.ts`, the same numbers the rules block is generated from, so a bound
 * changed on one side only fails here.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { doc, setDoc, setLogLevel, Timestamp, writeBatch, type DocumentData, type Firestore } from "firebase/firestore";
import {
  ID_MAX_LENGTH,
  MAX_FUTURE_SKEW_MS,
  MAX_LATENCY_MS,
  MAX_SOURCE_BYTES,
  MAX_SOURCE_TOKENS,
  MAX_TOKENS_PER_INTERACTION,
  MODEL_MAX_LENGTH,
} from "../../functions/src/contract/document-bounds";
import { interactionDocumentSchema } from "../../functions/src/documents/interaction-documents";
import { contextSourceSchema } from "../../functions/src/documents/source-documents";

const PROJECT_ID = "demo-metrics-bounds";
const RULES_PATH = path.resolve(__dirname, "../../firestore.rules");
const OWNER = "alice";
const AGENT = "agentA";
/** Agents whose ids sit at and one past the id bound: the rules must judge the id itself, not only who owns it. */
const LONGEST_ID = "a".repeat(ID_MAX_LENGTH);
const TOO_LONG_ID = "a".repeat(ID_MAX_LENGTH + 1);

let testEnv: RulesTestEnvironment;
const db = () => testEnv.authenticatedContext(OWNER).firestore() as unknown as Firestore;

const interaction = (changes: DocumentData = {}): DocumentData => ({
  agentId: AGENT, userId: OWNER, model: "gpt-4o", inputTokens: 10, outputTokens: 5, cacheReadTokens: 1,
  latencyMs: 120, status: "success", occurredAt: Timestamp.now(), ...changes,
});
const source = (changes: DocumentData = {}): DocumentData => ({
  agentId: AGENT, type: "pdf", sizeBytes: 10, tokenCount: 3, status: "ready", createdAt: Timestamp.now(), updatedAt: Timestamp.now(), ...changes,
});

let written = 0;
async function admitted(collection: string, data: DocumentData, schema: { safeParse(value: unknown): { success: boolean } }) {
  await assertSucceeds(setDoc(doc(db(), `${collection}/doc-${++written}`), data));
  assert.equal(schema.safeParse(data).success, true, "the rules admit it, so the functions' schema must parse it");
}
async function refused(collection: string, data: DocumentData, schema: { safeParse(value: unknown): { success: boolean } } | null) {
  await assertFails(setDoc(doc(db(), `${collection}/doc-${++written}`), data));
  if (schema) assert.equal(schema.safeParse(data).success, false, "one past the bound the schema refuses too");
}

before(async () => {
  if (!process.env.FIRESTORE_EMULATOR_HOST) throw new Error("FIRESTORE_EMULATOR_HOST is not set: run this suite through `npm test` (firebase emulators:exec).");
  setLogLevel("error");
  testEnv = await initializeTestEnvironment({ projectId: PROJECT_ID, firestore: { rules: readFileSync(RULES_PATH, "utf8") } });
});
after(async () => testEnv?.cleanup());
beforeEach(async () => {
  await testEnv.clearFirestore();
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const admin = context.firestore() as unknown as Firestore;
    const batch = writeBatch(admin);
    batch.set(doc(admin, `users/${OWNER}`), { orgId: "orgA", role: "owner", displayName: "Alice" });
    for (const id of [AGENT, LONGEST_ID, TOO_LONG_ID]) batch.set(doc(admin, `agents/${id}`), { name: id, ownerId: OWNER, orgId: "orgA", createdAt: Timestamp.now() });
    await batch.commit();
  });
});

describe("agent_interactions bounds", () => {
  const I = "agent_interactions";
  const schema = interactionDocumentSchema;
  for (const field of ["inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens"]) {
    test(`${field}: 0 and ${MAX_TOKENS_PER_INTERACTION} admitted; -1, ${MAX_TOKENS_PER_INTERACTION + 1} and 1.5 refused`, async () => {
      // Reasoning is part of the output: at its bound the output is at it too.
      const output = field === "reasoningTokens" ? { outputTokens: MAX_TOKENS_PER_INTERACTION } : {};
      await admitted(I, interaction({ [field]: 0 }), schema);
      await admitted(I, interaction({ ...output, [field]: MAX_TOKENS_PER_INTERACTION }), schema);
      await refused(I, interaction({ [field]: MAX_TOKENS_PER_INTERACTION + 1 }), schema);
      await refused(I, interaction({ [field]: -1 }), schema);
      await refused(I, interaction({ [field]: 1.5 }), schema);
    });
  }
  test(`latencyMs: 0, 0.5 and ${MAX_LATENCY_MS} admitted; ${MAX_LATENCY_MS + 0.5} and -0.5 refused`, async () => {
    await admitted(I, interaction({ latencyMs: 0 }), schema);
    await admitted(I, interaction({ latencyMs: 0.5 }), schema);
    await admitted(I, interaction({ latencyMs: MAX_LATENCY_MS }), schema);
    await refused(I, interaction({ latencyMs: MAX_LATENCY_MS + 0.5 }), schema);
    await refused(I, interaction({ latencyMs: -0.5 }), schema);
  });
  test(`timeToFirstTokenMs: 0, 0.5 and ${MAX_LATENCY_MS} (with that latency) admitted; ${MAX_LATENCY_MS + 0.5} and -0.5 refused`, async () => {
    await admitted(I, interaction({ timeToFirstTokenMs: 0 }), schema);
    await admitted(I, interaction({ timeToFirstTokenMs: 0.5 }), schema);
    await admitted(I, interaction({ latencyMs: MAX_LATENCY_MS, timeToFirstTokenMs: MAX_LATENCY_MS }), schema);
    await refused(I, interaction({ latencyMs: MAX_LATENCY_MS, timeToFirstTokenMs: MAX_LATENCY_MS + 0.5 }), schema);
    await refused(I, interaction({ timeToFirstTokenMs: -0.5 }), schema);
  });
  test("between fields: reasoning up to the output and a first token up to the latency admitted; one past either refused", async () => {
    await admitted(I, interaction({ outputTokens: 5, reasoningTokens: 5 }), schema);
    await refused(I, interaction({ outputTokens: 5, reasoningTokens: 6 }), schema);
    await admitted(I, interaction({ latencyMs: 120, timeToFirstTokenMs: 120 }), schema);
    await refused(I, interaction({ latencyMs: 120, timeToFirstTokenMs: 120.5 }), schema);
  });
  test(`model: 1 and ${MODEL_MAX_LENGTH} characters admitted; empty and ${MODEL_MAX_LENGTH + 1} refused, counted as the schema counts (UTF-16 units)`, async () => {
    await admitted(I, interaction({ model: "m" }), schema);
    await admitted(I, interaction({ model: "m".repeat(MODEL_MAX_LENGTH) }), schema);
    await admitted(I, interaction({ model: "😀".repeat(MODEL_MAX_LENGTH / 2) }), schema);
    await refused(I, interaction({ model: "" }), schema);
    await refused(I, interaction({ model: "m".repeat(MODEL_MAX_LENGTH + 1) }), schema);
    await refused(I, interaction({ model: "😀".repeat(MODEL_MAX_LENGTH / 2) + "m" }), schema);
  });
  test(`userId: ${ID_MAX_LENGTH} characters admitted; ${ID_MAX_LENGTH + 1}, empty, a slash, a control character and reserved ids refused`, async () => {
    await admitted(I, interaction({ userId: "u".repeat(ID_MAX_LENGTH) }), schema);
    await admitted(I, interaction({ userId: "user.é-1" }), schema);
    await admitted(I, interaction({ userId: "😀".repeat(ID_MAX_LENGTH / 2) }), schema);
    for (const bad of ["u".repeat(ID_MAX_LENGTH + 1), "😀".repeat(ID_MAX_LENGTH / 2) + "u", "", "a/b", "a\u0000b", "a\u001fb", "a\u007fb", ".", "..", "__reserved__"]) {
      await refused(I, interaction({ userId: bad }), schema);
    }
  });
  test(`agentId: an agent whose id has ${ID_MAX_LENGTH} characters admitted, one of ${ID_MAX_LENGTH + 1} refused though the writer owns it`, async () => {
    await admitted(I, interaction({ agentId: LONGEST_ID }), schema);
    await refused(I, interaction({ agentId: TOO_LONG_ID }), schema);
  });
  test("status: each of the contract's statuses admitted, another refused", async () => {
    for (const status of ["success", "error", "timeout", "cancelled"]) await admitted(I, interaction({ status }), schema);
    await refused(I, interaction({ status: "ok" }), schema);
  });
  test("occurredAt: the earliest storable time and the skew allowance admitted; past the allowance, or not a timestamp, refused", async () => {
    await admitted(I, interaction({ occurredAt: Timestamp.fromDate(new Date("0001-01-01T00:00:00Z")) }), schema);
    await admitted(I, interaction({ occurredAt: Timestamp.fromMillis(Date.now() + MAX_FUTURE_SKEW_MS - 60_000) }), schema);
    // The schema has no "now" to compare with when a trigger reads the document later: only the rules bound the future.
    await refused(I, interaction({ occurredAt: Timestamp.fromMillis(Date.now() + MAX_FUTURE_SKEW_MS + 60_000) }), null);
    await refused(I, interaction({ occurredAt: "2025-01-01T00:00:00Z" }), schema);
  });
  test("fields: an unknown field or a missing required one refused; the optional one may be left out", async () => {
    const { cacheReadTokens: _omitted, ...withoutOptional } = interaction();
    await admitted(I, withoutOptional, schema);
    const { model: _model, ...missing } = interaction();
    await refused(I, missing, schema);
    await refused(I, interaction({ extra: 1 }), null); // the schema strips unknown keys; the rules keep documents to the contract's fields
  });
});

describe("context_sources bounds", () => {
  const S = "context_sources";
  const schema = contextSourceSchema;
  test(`sizeBytes: 0 and ${MAX_SOURCE_BYTES} admitted; ${MAX_SOURCE_BYTES + 1}, -1 and 1.5 refused`, async () => {
    await admitted(S, source({ sizeBytes: 0 }), schema);
    await admitted(S, source({ sizeBytes: MAX_SOURCE_BYTES }), schema);
    await refused(S, source({ sizeBytes: MAX_SOURCE_BYTES + 1 }), schema);
    await refused(S, source({ sizeBytes: -1 }), schema);
    await refused(S, source({ sizeBytes: 1.5 }), schema);
  });
  test(`tokenCount: 0 and ${MAX_SOURCE_TOKENS} admitted; ${MAX_SOURCE_TOKENS + 1} and -1 refused`, async () => {
    await admitted(S, source({ tokenCount: 0 }), schema);
    await admitted(S, source({ tokenCount: MAX_SOURCE_TOKENS }), schema);
    await refused(S, source({ tokenCount: MAX_SOURCE_TOKENS + 1 }), schema);
    await refused(S, source({ tokenCount: -1 }), schema);
  });
  test("type and status: the contract's values admitted, others refused", async () => {
    for (const type of ["pdf", "docx", "text", "url", "csv", "other"]) await admitted(S, source({ type }), schema);
    for (const status of ["processing", "ready", "failed"]) await admitted(S, source({ status }), schema);
    await refused(S, source({ type: "exe" }), schema);
    await refused(S, source({ status: "done" }), schema);
  });
  test(`agentId: ${ID_MAX_LENGTH} characters admitted, ${ID_MAX_LENGTH + 1} refused though the writer owns that agent`, async () => {
    await admitted(S, source({ agentId: LONGEST_ID }), schema);
    await refused(S, source({ agentId: TOO_LONG_ID }), schema);
  });
  test("times: timestamps admitted, strings refused", async () => {
    await admitted(S, source({ createdAt: Timestamp.fromDate(new Date("0001-01-01T00:00:00Z")) }), schema);
    await refused(S, source({ updatedAt: "2025-01-01T00:00:00Z" }), schema);
  });
});
