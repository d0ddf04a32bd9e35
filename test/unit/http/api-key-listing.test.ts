/**
 * `GET /v1/api-keys` pages as AIP-158 has it, in process over the fake store: 35 keys in pages of 10
 * come back whole, newest first, each once, with `nextPageToken` on every page but the last; the
 * default and maximum page sizes; bad sizes and tokens are 400 in the envelope. The web client's
 * `listApiKeys` follows the tokens to the end. The same listing over Firestore is in
 * test/emulator/api-key-paging.emulator.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mintApiKey } from "../../../functions/src/api-keys/api-key-policy";
import { keyedHash } from "../../../functions/src/signing/keyed-hash";
import { createCheckedApp } from "../../support/openapi-check";
import { ApiClient } from "../../../web-client/src/lib/api-client";
import { fakeWorld } from "../../support/fakes";

interface Page {
  apiKeys: Array<{ id: string; createdAt: string }>;
  nextPageToken?: string;
}

async function setup(keys: number) {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice").set("bob-token", "bob");
  const app = createCheckedApp(world.deps);
  const made: string[] = [];
  // Stored directly, as POST /v1/api-keys stores them, so a listing can hold more keys than a user may
  // have active: every other one is revoked (listings show those too). Some share a millisecond.
  for (let i = 0; i < keys; i += 1) {
    if (i % 3 === 0) world.advance(1);
    const { key, record } = mintApiKey({ name: `k${i}`, permissions: ["read:agent-metrics"] }, "alice", "test", world.deps.now());
    await world.deps.apiKeys.create(keyedHash(world.deps.peppers, "api-key", key), { ...record, revokedAt: i % 2 ? world.deps.now() : null }, Number.POSITIVE_INFINITY);
    made.push(record.id);
  }
  const list = async (query: string, token = "alice-token") => {
    const res = await app.request(`/v1/api-keys${query}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Page & { error?: { code: string } } };
  };
  return { world, app, made, list };
}

test("35 keys in pages of 10: 10, 10, 10, 5, each key once, newest first", async () => {
  const { made, list } = await setup(35);
  const sizes: number[] = [];
  const seen: Page["apiKeys"] = [];
  let token: string | undefined;
  do {
    const { status, body } = await list(`?pageSize=10${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`);
    assert.equal(status, 200);
    sizes.push(body.apiKeys.length);
    seen.push(...body.apiKeys);
    token = body.nextPageToken;
  } while (token);
  assert.deepEqual(sizes, [10, 10, 10, 5]);
  assert.equal(new Set(seen.map((k) => k.id)).size, 35);
  assert.deepEqual(new Set(seen.map((k) => k.id)), new Set(made));
  const order = seen.map((k) => [Date.parse(k.createdAt), k.id] as const);
  for (let i = 1; i < order.length; i += 1) {
    const [t0, id0] = order[i - 1];
    const [t1, id1] = order[i];
    assert.ok(t0 > t1 || (t0 === t1 && id0 > id1), `key ${i} follows key ${i - 1} in the listing's order`);
  }
});

test("without pageSize a page holds 50; above 100 it holds 100; the token never names a stored hash", async () => {
  const { world, list } = await setup(120);
  const first = await list("");
  assert.equal(first.body.apiKeys.length, 50);
  assert.equal(typeof first.body.nextPageToken, "string");
  const zero = await list("?pageSize=0");
  assert.equal(zero.body.apiKeys.length, 50);
  const big = await list("?pageSize=1000");
  assert.equal(big.body.apiKeys.length, 100);
  const token = Buffer.from(first.body.nextPageToken as string, "base64url").toString("utf8");
  for (const hash of world.keys.keys()) assert.equal(token.includes(hash), false);
});

test("the last page, and a listing that fits in one, carry no nextPageToken", async () => {
  const { list } = await setup(3);
  const { body } = await list("?pageSize=3");
  assert.equal(body.apiKeys.length, 3);
  assert.equal("nextPageToken" in body, false);
  assert.equal((await list("", "bob-token")).body.apiKeys.length, 0, "another user's listing is empty");
});

test("bad page sizes and tokens are 400 INVALID_ARGUMENT", async () => {
  const { list } = await setup(2);
  const forged = Buffer.from(JSON.stringify({ v: 1, t: 0, id: "some-document-id" })).toString("base64url");
  for (const query of ["?pageSize=-1", "?pageSize=2.5", "?pageSize=ten", "?pageToken=%%%", "?pageToken=bm90LWEtdG9rZW4", `?pageToken=${forged}`]) {
    const { status, body } = await list(query);
    assert.equal(status, 400, query);
    assert.equal(body.error?.code, "INVALID_ARGUMENT", query);
  }
});

test("the web client's listApiKeys follows nextPageToken to the end", async () => {
  const { app, made } = await setup(235);
  const requested: string[] = [];
  const api = new ApiClient({
    baseUrl: "",
    getIdToken: async () => "alice-token",
    apiKey: () => null,
    fetch: async (input, init) => {
      requested.push(input);
      return app.request(input, init);
    },
  });
  const keys = await api.listApiKeys();
  assert.equal(keys.length, 235);
  assert.deepEqual(new Set(keys.map((k) => k.id)), new Set(made));
  assert.equal(requested.length, 3, "pages of 100, 100 and 35");
});
