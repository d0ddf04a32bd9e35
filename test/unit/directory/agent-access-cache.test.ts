/**
 * The access decisions of agent reads, kept per caller: one query for a batch, refusals remembered
 * like grants, nothing older than the directory bound, and callers never sharing a decision.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { agentAccessCache, type Reader } from "../../../functions/src/directory/agent-access-cache";
import type { AgentOwnership } from "../../../functions/src/documents/source-documents";

function setup() {
  let clock = 1_700_000_000_000; // lru-cache takes a start time of 0 for "no TTL"
  const agents = new Map<string, AgentOwnership>([["a1", { ownerId: "alice", orgId: "acme" }], ["b1", { ownerId: "bob", orgId: "globex" }]]);
  const queries: Array<{ reader: Reader; ids: string[] }> = [];
  const cache = agentAccessCache(
    async (reader, ids) => {
      queries.push({ reader, ids: [...ids] });
      return new Map([...agents].filter(([id, a]) => ids.includes(id) && (a.ownerId === reader.uid || a.orgId === reader.orgId)));
    },
    { now: () => clock },
  );
  return { cache, queries, agents, advance: (ms: number) => void (clock += ms) };
}

const alice: Reader = { uid: "alice", orgId: "acme" };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `x${i}`);

test("a batch is decided by one query; repeating it within 5 s asks nothing more, refusals included", async () => {
  const { cache, queries } = setup();
  const first = await cache.readable(alice, ["a1", "b1", ...ids(98)]);
  assert.deepEqual([...first.keys()], ["a1"]);
  assert.equal(queries.length, 1);
  assert.equal(queries[0].ids.length, 100);
  for (let i = 0; i < 100; i++) await cache.readable(alice, ["a1", "b1", ...ids(98)]);
  assert.equal(queries.length, 1);
});

test("a decision is re-asked after 5 s in the background and never used past 15 s", async () => {
  const { cache, queries, agents, advance } = setup();
  await cache.readable(alice, ["b1"]);
  agents.set("b1", { ownerId: "alice", orgId: "acme" }); // moved to alice
  advance(6_000);
  assert.equal((await cache.readable(alice, ["b1"])).has("b1"), false, "stale, served while re-asked");
  await new Promise((resolve) => setTimeout(resolve, 10)); // the background query
  assert.equal((await cache.readable(alice, ["b1"])).has("b1"), true);
  assert.equal(queries.length, 2);
  agents.set("b1", { ownerId: "bob", orgId: "globex" });
  advance(16_000);
  assert.equal((await cache.readable(alice, ["b1"])).has("b1"), false, "past 15 s the request waits for the query");
});

test("decisions are per caller and organization: another caller, or alice in another org, asks again", async () => {
  const { cache, queries } = setup();
  await cache.readable(alice, ["a1"]);
  assert.equal((await cache.readable({ uid: "mallory", orgId: "globex" }, ["a1"])).has("a1"), false);
  assert.equal((await cache.readable({ uid: "alice", orgId: "globex" }, ["a1"])).has("a1"), true, "still hers as owner");
  assert.equal(queries.length, 3);
});
