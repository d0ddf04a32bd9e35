/**
 * The `agents/{agentId}` trigger's handler driven by hand against the Firestore emulator (in the
 * project where no deployed trigger fires): a deletion removes the agent's view, a redelivery is
 * harmless, and a late delete event for an id that exists again removes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { firestoreAgentViewStore } from "../../functions/src/store/agent-view-store";
import { handleAgentWritten } from "../../functions/src/triggers/agent-written";
import { recordingLogger } from "../support/fakes";
import { writeWithEvent as write } from "../support/written-event";
import { adminDb, ISOLATED_PROJECT_ID, unique } from "../support/emulators";

const db = adminDb(ISOLATED_PROJECT_ID);
const log = recordingLogger();
const views = firestoreAgentViewStore(db);
const handle = handleAgentWritten({ removeView: (agentId) => views.removeIfAgentGone(agentId), log });


async function agentWithView() {
  const agent = db.collection("agents").doc(unique("agent"));
  await agent.set({ name: "a", ownerId: "u1", orgId: "o1" });
  const view = db.collection("agent_metrics_cache").doc(agent.id);
  await view.set({ scope: "agent", id: agent.id });
  return { agent, view };
}

test("deleting an agent removes its view, and a redelivery changes nothing", async () => {
  const { agent, view } = await agentWithView();
  const deleted = await write(agent, null);
  await handle(deleted);
  assert.equal((await view.get()).exists, false);
  await handle(deleted);
  assert.equal((await view.get()).exists, false);
  assert.ok(log.entries.some((e) => e.event === "agent.deleted" && e.fields?.agentId === agent.id && e.fields?.viewRemoved === true));
});

test("a late delete event for an agent created again keeps the new agent's view", async () => {
  const { agent, view } = await agentWithView();
  const deleted = await write(agent, null);
  await agent.set({ name: "again", ownerId: "u2", orgId: "o1" });
  await view.set({ scope: "agent", id: agent.id });
  await handle(deleted);
  assert.equal((await view.get()).exists, true);
});

test("a move is logged and leaves the view in place", async () => {
  const { agent, view } = await agentWithView();
  const moved = await write(agent, { name: "a", ownerId: "u9", orgId: "o2" });
  await handle(moved);
  assert.equal((await view.get()).exists, true);
  const entry = log.entries.find((e) => e.event === "agent.moved" && e.fields?.agentId === agent.id);
  assert.deepEqual(entry?.fields?.to, { ownerId: "u9", orgId: "o2" });
});
