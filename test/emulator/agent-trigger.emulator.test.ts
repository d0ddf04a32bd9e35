/**
 * The `agents/{agentId}` trigger's handler driven by hand against the Firestore emulator (in the
 * project where no deployed trigger fires), with the folds it asks for run at once: a deletion removes
 * the agent's view, a redelivery is harmless, a late delete event for an id that exists again removes
 * nothing, and a move gives the view its agent's new owner, whatever order the events of several moves
 * arrive in.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyringSecret, parseKeyring } from "../../functions/src/signing/signing";
import { firestoreAgentViewStore } from "../../functions/src/agent-views/agent-view-store";
import { handleAgentWritten } from "../../functions/src/triggers/agent-written";
import { recordingLogger } from "../support/fakes";
import { writeWithEvent as write } from "../support/written-event";
import { adminDb, ISOLATED_PROJECT_ID, unique } from "../support/emulators";
import type { DocumentReference } from "firebase-admin/firestore";
import { decodeView } from "../../functions/src/agent-views/view-codec";

const db = adminDb(ISOLATED_PROJECT_ID);
const log = recordingLogger();
const views = firestoreAgentViewStore(db, log);
const ctx = { keyring: parseKeyring(JSON.stringify(generateKeyringSecret("agent-trigger-test"))), now: () => new Date() };
const handle = handleAgentWritten({ folds: { request: async (agentId) => void (await views.fold(agentId, ctx)) }, log });
/** The owner stored beside a view, without its signature. */
const accessOf = async (view: DocumentReference) => {
  const access = decodeView((await view.get()).data())?.access;
  return access ? { ownerId: access.ownerId, orgId: access.orgId } : null;
};

async function agentWithView() {
  const agent = db.collection("agents").doc(unique("agent"));
  await agent.set({ name: "a", ownerId: "u1", orgId: "o1" });
  const view = db.collection("agent_metrics_cache").doc(agent.id);
  await view.set({ scope: "agent", id: agent.id, _access: { ownerId: "u1", orgId: "o1" } });
  return { agent, view };
}

test("deleting an agent removes its view, and a redelivery changes nothing", async () => {
  const { agent, view } = await agentWithView();
  const deleted = await write(agent, null);
  await handle(deleted);
  assert.equal((await view.get()).exists, false);
  await handle(deleted);
  assert.equal((await view.get()).exists, false);
  assert.ok(log.entries.some((e) => e.event === "agent.deleted" && e.fields?.agentId === agent.id));
});

test("a late delete event for an agent created again keeps the new agent's view", async () => {
  const { agent, view } = await agentWithView();
  const deleted = await write(agent, null);
  await agent.set({ name: "again", ownerId: "u2", orgId: "o1" });
  await view.set({ scope: "agent", id: agent.id });
  await handle(deleted);
  assert.equal((await view.get()).exists, true);
});

test("a move gives the view its new owner and organization, and is logged", async () => {
  const { agent, view } = await agentWithView();
  const moved = await write(agent, { name: "a", ownerId: "u9", orgId: "o2" });
  await handle(moved);
  assert.equal((await view.get()).exists, true);
  assert.deepEqual(await accessOf(view), { ownerId: "u9", orgId: "o2" });
  const entry = log.entries.find((e) => e.event === "agent.moved" && e.fields?.agentId === agent.id);
  assert.deepEqual(entry?.fields?.to, { ownerId: "u9", orgId: "o2" });
});

test("the events of two moves handled in reverse order leave the owner of the last move", async () => {
  const { agent, view } = await agentWithView();
  const first = await write(agent, { name: "a", ownerId: "u2", orgId: "o1" });
  const second = await write(agent, { name: "a", ownerId: "u3", orgId: "o3" });
  await handle(second);
  await handle(first);
  assert.deepEqual(await accessOf(view), { ownerId: "u3", orgId: "o3" });
});

test("a rename leaves the view untouched", async () => {
  const { agent, view } = await agentWithView();
  const before = (await view.get()).updateTime;
  await handle(await write(agent, { name: "renamed", ownerId: "u1", orgId: "o1" }));
  assert.deepEqual((await view.get()).updateTime, before);
});
