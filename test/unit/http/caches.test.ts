import { test } from "node:test";
import assert from "node:assert/strict";
import type { ApiKeyRecord } from "../../../functions/src/api-keys/api-key-policy";
import { cachedApiKeyStore } from "../../../functions/src/api-keys/cached-api-key-store";
import type { ApiKeyStore } from "../../../functions/src/api-keys/api-key-store";
import { cachedSessionVerifier } from "../../../functions/src/http/auth/cached-session-verifier";

function countingKeyStore(record: ApiKeyRecord | null): ApiKeyStore & { reads: number } {
  const store = {
    reads: 0,
    async findByHash() {
      store.reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return record ? { ...record } : null;
    },
    create: async () => "created" as const,
    listByOwner: async () => ({ records: [], next: null }),
    findOwned: async () => null,
    revoke: async (_hash: string, at: Date) => ({ ...(record as ApiKeyRecord), revokedAt: at }),
  };
  return store;
}

const record: ApiKeyRecord = {
  id: "key_0123456789abcdef",
  ownerId: "alice",
  name: "k",
  prefix: "mk_test_abcd",
  permissions: ["read:agent-metrics"],
  createdAt: new Date(),
  expiresAt: null,
  revokedAt: null,
  rateLimitPerMinute: 60,
};

test("concurrent misses for one key cost one read, and hits cost none", async () => {
  const inner = countingKeyStore(record);
  const cached = cachedApiKeyStore(inner);
  const found = await Promise.all(Array.from({ length: 20 }, () => cached.findByHash("h")));
  assert.equal(inner.reads, 1);
  assert.ok(found.every((r) => r?.id === record.id));
  await cached.findByHash("h");
  assert.equal(inner.reads, 1);
});

test("unknown keys are remembered too, and no lookup is used past its maximum age", async () => {
  const inner = countingKeyStore(null);
  const cached = cachedApiKeyStore(inner, { policy: { freshMs: 20, maxAgeMs: 30 } });
  assert.equal(await cached.findByHash("x"), null);
  assert.equal(await cached.findByHash("x"), null);
  assert.equal(inner.reads, 1);
  await new Promise((resolve) => setTimeout(resolve, 40));
  await cached.findByHash("x");
  assert.equal(inner.reads, 2);
});

test("revoking through the cache forgets the key at once on this instance", async () => {
  const inner = countingKeyStore(record);
  const cached = cachedApiKeyStore(inner);
  await cached.findByHash("h");
  await cached.revoke("h", new Date());
  await cached.findByHash("h");
  assert.equal(inner.reads, 2);
});

test("verified sessions are reused until the recheck bound or the credential's expiry, whichever is first", async () => {
  let clock = 1_000_000;
  let calls = 0;
  const verifier = cachedSessionVerifier(
    { verify: async () => (calls++, { uid: "alice", expiresAtMs: 1_000_000 + 30_000, operator: false }) },
    { policy: { freshMs: 50_000, maxAgeMs: 60_000 }, now: () => clock },
  );
  const credential = { kind: "idToken" as const, token: "t" };
  await verifier.verify(credential);
  await verifier.verify(credential);
  assert.equal(calls, 1);
  clock += 31_000; // past the token's own expiry, inside the recheck bound
  await verifier.verify(credential);
  assert.equal(calls, 2);
});

test("forgetting a user drops their sessions; others stay cached", async () => {
  let calls = 0;
  const verifier = cachedSessionVerifier({ verify: async (c) => (calls++, { uid: c.token, expiresAtMs: Date.now() + 3_600_000, operator: false }) });
  await verifier.verify({ kind: "idToken", token: "alice" });
  await verifier.verify({ kind: "idToken", token: "bob" });
  verifier.forgetUser("alice");
  await verifier.verify({ kind: "idToken", token: "alice" });
  await verifier.verify({ kind: "idToken", token: "bob" });
  assert.equal(calls, 3);
});

test("a session past its fresh period is used while one background re-check runs; a refused re-check drops it", async () => {
  let clock = 1_000_000;
  let calls = 0;
  let valid = true;
  const verifier = cachedSessionVerifier(
    { verify: async () => (calls++, valid ? { uid: "alice", expiresAtMs: clock + 3_600_000, operator: false } : null) },
    { policy: { freshMs: 50_000, maxAgeMs: 60_000 }, now: () => clock },
  );
  const credential = { kind: "idToken" as const, token: "t" };
  await verifier.verify(credential);
  clock += 55_000;
  valid = false; // revoked meanwhile
  const served = await Promise.all([verifier.verify(credential), verifier.verify(credential)]);
  assert.deepEqual(served.map((s) => s?.uid), ["alice", "alice"], "inside the 60 s bound, without waiting");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 2, "one background re-check for both requests");
  assert.equal(await verifier.verify(credential), null, "the re-check refused it: the next request is refused");
  assert.deepEqual({ staleServes: verifier.stats().staleServes, hits: verifier.stats().hits }, { staleServes: 2, hits: 0 });
});
