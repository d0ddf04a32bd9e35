import { test } from "node:test";
import assert from "node:assert/strict";
import { canReadAgent, canReadOrg, canReadUser, type Viewer } from "../../../functions/src/directory/access-policy";
import { permits } from "../../../functions/src/api-keys/permissions";

const alice: Viewer = { uid: "alice", orgId: "acme", role: "owner" };
const bob: Viewer = { uid: "bob", orgId: "acme", role: "member" };
const mallory: Viewer = { uid: "mallory", orgId: "globex", role: "admin" };
const loner: Viewer = { uid: "loner", orgId: null, role: null };

test("an agent is readable by its owner and its organization's members only", () => {
  const agent = { ownerId: "alice", orgId: "acme" };
  assert.equal(canReadAgent(alice, agent), true);
  assert.equal(canReadAgent(bob, agent), true);
  assert.equal(canReadAgent(mallory, agent), false);
  assert.equal(canReadAgent(loner, agent), false);
  assert.equal(canReadAgent({ uid: "alice", orgId: null, role: null }, agent), true);
});

test("a user is readable by themself and by owners and admins of their organization", () => {
  assert.equal(canReadUser(bob, { uid: "bob", orgId: "acme" }), true);
  assert.equal(canReadUser(alice, { uid: "bob", orgId: "acme" }), true);
  assert.equal(canReadUser(bob, { uid: "alice", orgId: "acme" }), false);
  assert.equal(canReadUser(mallory, { uid: "bob", orgId: "acme" }), false);
});

test("an organization is readable by its members", () => {
  assert.equal(canReadOrg(bob, "acme"), true);
  assert.equal(canReadOrg(mallory, "acme"), false);
  assert.equal(canReadOrg(loner, "acme"), false);
});

test("admin:all grants every permission; others grant only themselves", () => {
  assert.equal(permits(["admin:all"], "write:interactions"), true);
  assert.equal(permits(["read:agent-metrics"], "read:agent-metrics"), true);
  assert.equal(permits(["read:agent-metrics"], "read:org-metrics"), false);
  assert.equal(permits([], "read:agent-metrics"), false);
});
