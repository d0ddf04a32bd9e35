/**
 * Issue #26, finding 6 ("the ingestion body, up to 2 MiB, is parsed before the caller's write
 * permission is checked"): the caller's rights are checked before the body is read, and the body is
 * read by a bounded reader that refuses oversize input before parsing it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createSessionBody } from "../../../functions/src/contract/schemas/requests";
import { createCheckedApp } from "../../support/openapi-check";
import { jsonBody, MAX_INGEST_BODY_BYTES, MAX_JSON_BODY_BYTES } from "../../../functions/src/http/request-body";
import { ApiError } from "../../../functions/src/http/errors";
import { fakeWorld } from "../../support/fakes";

/** A tiny app whose one route reads `{ idToken }` with a 100-byte limit, answering errors in the envelope. */
function echoApp() {
  const app = new Hono().post("/echo", async (c) => c.json(await jsonBody(c, createSessionBody, 100)));
  app.onError((err, c) => (err instanceof ApiError ? c.json(err.toEnvelope(), err.status) : c.json({ unexpected: String(err) }, 500)));
  return app;
}

/** A body stream of `chunks` chunks of `size` bytes, counting how many were pulled. */
function countedStream(chunks: number, size: number) {
  const pulled = { count: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.count === chunks) return controller.close();
      pulled.count++;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  }, { highWaterMark: 0 }); // nothing pulled until someone reads
  return { stream, pulled };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

test("a body within the limit is parsed; one past it, declared or streamed, is a 400 that says the limit", async () => {
  const app = echoApp();
  const ok = await app.request("/echo", { method: "POST", body: '{"idToken":"t"}' });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { idToken: "t" });

  const declared = await app.request("/echo", { method: "POST", headers: { "content-length": "101" }, body: `{"idToken":"t"}${" ".repeat(86)}` });
  assert.equal(declared.status, 400);
  assert.deepEqual(await errorOf(declared), { code: "INVALID_ARGUMENT", message: "The request body exceeds 100 bytes, the most this route reads." });

  const streamed = await app.request("/echo", { method: "POST", body: `{"idToken":"t"}${" ".repeat(200)}` });
  assert.equal(streamed.status, 400);
  assert.match((await errorOf(streamed)).message, /exceeds 100 bytes/);
});

test("a Content-Length over the limit is refused before one byte is read", async () => {
  const { stream, pulled } = countedStream(1000, 1024);
  const res = await echoApp().request("/echo", { method: "POST", headers: { "content-length": String(1000 * 1024) }, body: stream, duplex: "half" } as RequestInit);
  assert.equal(res.status, 400);
  assert.equal(pulled.count, 0, "not one chunk read");
});

test("a body without Content-Length is read only up to the limit", async () => {
  const { stream, pulled } = countedStream(10_000, 64);
  const res = await echoApp().request("/echo", { method: "POST", body: stream, duplex: "half" } as RequestInit);
  assert.equal(res.status, 400);
  assert.ok(pulled.count <= 4, `read ${pulled.count} chunks of 64 bytes for a 100-byte limit`);
});

test("malformed JSON within the limit is still a 400 of its own", async () => {
  const res = await echoApp().request("/echo", { method: "POST", body: '{"idToken":' });
  assert.equal(res.status, 400);
  assert.equal((await errorOf(res)).message, "The request body must be valid JSON.");
});

function world() {
  const w = fakeWorld();
  w.tokens.set("alice-token", "alice").set("mallory-token", "mallory");
  w.users.set("alice", { orgId: "acme", role: "owner" }).set("mallory", { orgId: "globex", role: "owner" });
  w.agents.set("agent-1", { name: "Support", ownerId: "alice", orgId: "acme" });
  return { world: w, app: createCheckedApp(w.deps) };
}

async function keyOf(app: ReturnType<typeof createCheckedApp>, token: string, permissions: string[]) {
  const res = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: "k", permissions }) });
  return ((await res.json()) as { key: string }).key;
}

const huge = `{"interactions":[${'"x",'.repeat(MAX_INGEST_BODY_BYTES / 4)}"x"]}`;
const bodies = { huge, malformed: '{"interactions": [', "declared huge": "{}" };

test("ingestion: a caller who may not write the agent gets 403 whatever the body, and the body is never read", async () => {
  const { app } = world();
  const malloryKey = await keyOf(app, "mallory-token", ["write:interactions"]);
  const aliceReader = await keyOf(app, "alice-token", ["read:agent-metrics"]);
  for (const [name, body] of Object.entries(bodies)) {
    for (const [who, headers] of [
      ["another organization's writer", { Authorization: "Bearer mallory-token", "X-API-Key": malloryKey }],
      ["the owner with a key lacking write:interactions", { Authorization: "Bearer alice-token", "X-API-Key": aliceReader }],
    ] as const) {
      const { stream, pulled } = countedStream(1, 16);
      const sent = name === "declared huge" ? { headers: { ...headers, "content-length": String(3 * 1024 * 1024) }, body: stream, duplex: "half" } : { headers, body };
      const res = await app.request("/v1/agents/agent-1/interactions", { method: "POST", ...sent } as RequestInit);
      assert.equal(res.status, 403, `${who}, ${name} body`);
      assert.equal((await errorOf(res)).code, "PERMISSION_DENIED");
      if (name === "declared huge") assert.equal(pulled.count, 0, "not one byte read");
    }
  }
});

test("ingestion: the writer's oversize or malformed body is a 400, after the permission check", async () => {
  const { app, world: w } = world();
  const key = await keyOf(app, "alice-token", ["write:interactions"]);
  const headers = { Authorization: "Bearer alice-token", "X-API-Key": key };
  const over = await app.request("/v1/agents/agent-1/interactions", { method: "POST", headers, body: `${huge}${" ".repeat(16)}` });
  assert.equal(over.status, 400);
  assert.match((await errorOf(over)).message, new RegExp(`exceeds ${MAX_INGEST_BODY_BYTES} bytes`));
  const malformed = await app.request("/v1/agents/agent-1/interactions", { method: "POST", headers, body: bodies.malformed });
  assert.equal(malformed.status, 400);
  assert.deepEqual(w.ingests, []);
});

test("every other JSON route reads at most MAX_JSON_BODY_BYTES", async () => {
  const { app } = world();
  const key = await keyOf(app, "alice-token", ["read:agent-metrics"]);
  const padded = (json: string) => `${json.slice(0, -1)}${" ".repeat(MAX_JSON_BODY_BYTES)}}`;
  const routes = [
    ["/v1/agents/metrics:batchGet", { Authorization: "Bearer alice-token", "X-API-Key": key }, padded('{"agentIds":["agent-1"]}')],
    ["/v1/api-keys", { Authorization: "Bearer alice-token" }, padded('{"name":"k","permissions":["read:agent-metrics"]}')],
    ["/v1/session", {}, padded('{"idToken":"alice-token"}')],
  ] as const;
  for (const [path, headers, body] of routes) {
    const res = await app.request(path, { method: "POST", headers, body });
    assert.equal(res.status, 400, path);
    assert.match((await errorOf(res)).message, new RegExp(`exceeds ${MAX_JSON_BODY_BYTES} bytes`), path);
  }
});
