/**
 * @module agent-views.test
 * The ingest's chunks commit whole or not at all, and an ingest of which one chunk failed says which
 * items the others stored; through the route, the answer lists their indexes and nothing is lost.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { agentViewsOver, PartialIngestError } from "../../../functions/src/agent-views/agent-views";
import { MAX_INGEST_CHUNK, type IngestItem, type ViewDatabase } from "../../../functions/src/agent-views/view-transaction";
import { sortBatch } from "../../../functions/src/metrics/interaction-batch";
import { MemoryViewDatabase } from "../../support/memory-view-database";
import { createCheckedApp } from "../../support/openapi-check";
import { fakeWorld } from "../../support/fakes";

const NOW = new Date("2026-11-23T10:00:00Z");
const item = (i: number) => ({ id: `c-${i}`, model: "m", inputTokens: 1, outputTokens: 1, latencyMs: 1, status: "success", occurredAt: "2026-11-23T09:00:00Z" });
const accepted = (count: number): IngestItem[] => sortBatch("agent-1", Array.from({ length: count }, (_, i) => item(i)), "alice", NOW).accepted;

/** `db`, except that its `n`th ingest chunk fails before its commit. */
function failingChunk(db: ViewDatabase, n: number): ViewDatabase {
  let calls = 0;
  return {
    readView: (agentId) => db.readView(agentId),
    transact: (work, options) => db.transact(work, options),
    deltas: {
      ...db.deltas,
      ingestChunk: async (agentId, items, options) => {
        if (++calls === n) throw Object.assign(new Error("unavailable"), { code: 14 });
        return db.deltas.ingestChunk(agentId, items, options);
      },
    },
  };
}

test("an ingest whose second chunk fails stores the first whole, none of the second, and names what was stored", async () => {
  const db = new MemoryViewDatabase(NOW);
  db.agents.set("agent-1", { ownerId: "alice", orgId: "acme" });
  const items = accepted(MAX_INGEST_CHUNK + 10);
  const error = await agentViewsOver(failingChunk(db, 2))
    .ingest("agent-1", items)
    .then(() => null, (e: unknown) => e);
  assert.ok(error instanceof PartialIngestError);
  assert.deepEqual([...error.stored], items.slice(0, MAX_INGEST_CHUNK).map((i) => i.docId));
  assert.equal(db.documents.interaction.size, MAX_INGEST_CHUNK, "the first chunk's items, and none of the second");

  // Sent again whole: the stored ones are duplicates, the rest go in.
  const again = await agentViewsOver(db).ingest("agent-1", items);
  assert.equal(again.size, MAX_INGEST_CHUNK);
  assert.equal(db.documents.interaction.size, items.length);
});

test("the route answers a partly stored ingest with 503, Retry-After and the stored items' indexes, and still asks for a fold", async () => {
  const w = fakeWorld();
  w.tokens.set("alice-token", "alice");
  w.users.set("alice", { orgId: "acme", role: "owner" });
  w.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  w.deps.agentViews.ingest = async (_agentId, items) => {
    throw new PartialIngestError(Object.assign(new Error("unavailable"), { code: 14 }), items.filter((_, i) => i % 2 === 0).map((i) => i.docId));
  };
  const app = createCheckedApp(w.deps);
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions: ["write:interactions"] }) });
  const key = ((await created.json()) as { key: string }).key;
  const bad = { ...item(99), occurredAt: "0000-06-15T12:00:00Z" };
  const res = await app.request("/v1/agents/agent-1/interactions", {
    method: "POST",
    headers: { Authorization: "Bearer alice-token", "X-API-Key": key },
    body: JSON.stringify({ interactions: [item(0), bad, item(1), item(2)] }),
  });
  assert.equal(res.status, 503);
  assert.ok(Number(res.headers.get("retry-after")) >= 1);
  const body = (await res.json()) as { error: { code: string; details: { stored: number[] } } };
  assert.equal(body.error.code, "UNAVAILABLE");
  // Accepted items are indexes 0, 2 and 3; the fake stored every other one of them.
  assert.deepEqual(body.error.details.stored, [0, 3]);
  assert.deepEqual(w.foldRequests, ["agent-1"]);
});
