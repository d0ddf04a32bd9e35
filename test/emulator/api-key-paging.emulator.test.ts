/**
 * `GET /v1/api-keys` pages over Firestore. Through the real `api` function: 35 keys made with
 * `POST /v1/api-keys`, listed with `pageSize` 10, come back as pages of 10, 10, 10 and 5, each key once,
 * newest first, and a bad token is 400. Through the Firestore store itself: keys created in the same
 * millisecond are still each listed once, because the public id orders them.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mintApiKey } from "../../functions/src/api-keys/api-key-policy";
import type { ListPosition } from "../../functions/src/api-keys/page-token";
import { firestoreApiKeyStore } from "../../functions/src/api-keys/api-key-store";
import { adminDb, apiBaseUrl, signUp, unique } from "../support/emulators";

let base: string;
let token: string;

before(async () => {
  base = await apiBaseUrl();
  token = await signUp(unique("pager"));
});

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" } });
  return { status: res.status, body: await res.json() };
}

test("35 keys listed with pageSize 10 come back in pages of 10, 10, 10 and 5", async () => {
  const made = new Set<string>();
  for (let i = 0; i < 35; i += 1) {
    const res = await call("/v1/api-keys", { method: "POST", body: JSON.stringify({ name: `key ${i}`, permissions: ["read:agent-metrics"] }) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    made.add(res.body.apiKey.id);
  }
  const sizes: number[] = [];
  const listed: Array<{ id: string; createdAt: string }> = [];
  let pageToken: string | undefined;
  do {
    const res = await call(`/v1/api-keys?pageSize=10${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    sizes.push(res.body.apiKeys.length);
    listed.push(...res.body.apiKeys);
    pageToken = res.body.nextPageToken;
  } while (pageToken);
  assert.deepEqual(sizes, [10, 10, 10, 5]);
  assert.deepEqual(new Set(listed.map((k) => k.id)), made);
  assert.equal(listed.length, 35, "no key twice");
  const times = listed.map((k) => Date.parse(k.createdAt));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");

  const bad = await call("/v1/api-keys?pageToken=not-a-token");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "INVALID_ARGUMENT");
});

test("keys created in the same millisecond are each listed once across pages", async () => {
  const store = firestoreApiKeyStore(adminDb());
  const owner = unique("same-ms");
  const at = new Date();
  const ids = new Set<string>();
  for (let i = 0; i < 7; i += 1) {
    const { record } = mintApiKey({ name: `tie ${i}`, permissions: ["read:agent-metrics"] }, owner, "test", at);
    await store.create(unique("hash"), record, 50);
    ids.add(record.id);
  }
  const listed: string[] = [];
  let after: ListPosition | null = null;
  do {
    const page = await store.listByOwner(owner, { size: 3, after });
    listed.push(...page.records.map((r) => r.id));
    after = page.next;
  } while (after);
  assert.equal(listed.length, 7);
  assert.deepEqual(new Set(listed), ids);
  assert.deepEqual(listed, [...listed].sort().reverse(), "ties are ordered by id, descending");
});
