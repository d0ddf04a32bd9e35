/**
 * Which store failures the API answers with 503 UNAVAILABLE (retry) rather than 500 INTERNAL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { isTransientStoreError } from "../../../functions/src/http/transient-errors";
import { fakeWorld } from "../../support/fakes";

const grpc = (code: number, details = "") => Object.assign(new Error(`${code} ${details}`), { code, details });

test("unreachable, contended, timed-out and throttled stores are transient; bugs are not", () => {
  for (const code of [4, 8, 10, 14]) assert.equal(isTransientStoreError(grpc(code)), true, `code ${code}`);
  assert.equal(isTransientStoreError(grpc(3, "Transaction is invalid or closed.")), true, "the emulator's lost-lock report");
  assert.equal(isTransientStoreError(grpc(3, "Document path must not be empty")), false);
  for (const code of [2, 5, 7, 9, 13]) assert.equal(isTransientStoreError(grpc(code)), false, `code ${code}`);
  for (const value of [new TypeError("x is undefined"), null, "ABORTED", { code: "10" }]) assert.equal(isTransientStoreError(value), false);
});

test("a contended transaction answers 503 UNAVAILABLE with Retry-After, not 500", async () => {
  const world = fakeWorld();
  world.tokens.set("t", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.deps.sessionIssuer.createSessionCookie = async () => {
    throw grpc(10, "Too much contention on these documents.");
  };
  const app = createCheckedApp(world.deps);
  const res = await app.request("/v1/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ idToken: "t" }) });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "1");
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "UNAVAILABLE");
});
