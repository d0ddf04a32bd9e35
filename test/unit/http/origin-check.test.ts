/**
 * Issue #13, finding "cookie session writing through the Hosting rewrite": the Origin check compared
 * with `Host`, which behind Hosting is the function's host, so same-origin cookie writes through
 * Hosting were refused. Now the page's host comes from `X-Forwarded-Host` (or the configured origins),
 * cross-site writes stay refused, and `POST /v1/session` checks its origin too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { isCrossSite, parseAllowedOrigins } from "../../../functions/src/http/auth/same-origin";
import { fakeWorld } from "../../support/fakes";

function setup(allowedOrigins: string[] = []) {
  const world = fakeWorld();
  world.tokens.set("alice-cookie", "alice").set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  return { world, app: createCheckedApp({ ...world.deps, allowedOrigins }) };
}

const createKey = (app: ReturnType<typeof createCheckedApp>, headers: Record<string, string>) =>
  app.request("/api/v1/api-keys", { method: "POST", headers: { Cookie: "__session=alice-cookie", ...headers }, body: JSON.stringify({ name: "x", permissions: ["read:agent-metrics"] }) });

// What Hosting (and its emulator) sends the function: its own Host, the page's host forwarded.
const behindHosting = { Host: "127.0.0.1:5001", "X-Forwarded-Host": "127.0.0.1:5000" };

test("cookie session writing through the Hosting rewrite: a same-origin write is accepted", async () => {
  const { app, world } = setup();
  const res = await createKey(app, { ...behindHosting, Origin: "http://127.0.0.1:5000", "Sec-Fetch-Site": "same-origin" });
  assert.equal(res.status, 201, await res.clone().text());
  assert.equal(world.keys.size, 1);
});

test("cookie session writing through the Hosting rewrite: cross-site writes are still refused", async () => {
  const { app, world } = setup();
  for (const headers of [
    { ...behindHosting, Origin: "https://evil.example" },
    { ...behindHosting, Origin: "null" },
    { ...behindHosting, Origin: "http://127.0.0.1:5000", "Sec-Fetch-Site": "cross-site" },
    { Host: "metrics.example", Origin: "https://evil.example" },
  ]) {
    const res = await createKey(app, headers);
    assert.equal(res.status, 403, JSON.stringify(headers));
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED");
  }
  assert.equal(world.keys.size, 0);
});

test("a configured origin may write with the cookie; others may not", async () => {
  const { app } = setup(parseAllowedOrigins("https://app.example.com, not a url"));
  assert.equal((await createKey(app, { Host: "api.example.com", Origin: "https://app.example.com" })).status, 201);
  assert.equal((await createKey(app, { Host: "api.example.com", Origin: "https://app.example.com.evil.example" })).status, 403);
});

test("POST /v1/session checks its origin: another site cannot sign the browser in", async () => {
  const { app } = setup();
  const post = (headers: Record<string, string>) => app.request("/api/v1/session", { method: "POST", headers, body: JSON.stringify({ idToken: "alice-token" }) });
  const refused = await post({ ...behindHosting, Origin: "https://evil.example" });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get("set-cookie"), null, "no cookie is set");
  const same = await post({ ...behindHosting, Origin: "http://127.0.0.1:5000" });
  assert.equal(same.status, 200);
  assert.equal(same.headers.get("cache-control"), "private, no-store", "Hosting forwards Set-Cookie only from a private response");
  assert.equal((await post({})).status, 200, "a script without Origin is not a browser's cross-site request");
});

test("isCrossSite: hosts compare case-insensitively, ports count, reads are never judged here", () => {
  const base = { host: "API.example.com", forwardedHost: undefined, fetchSite: undefined };
  assert.equal(isCrossSite({ ...base, origin: "https://api.example.com" }), false);
  assert.equal(isCrossSite({ ...base, origin: "https://api.example.com:8443" }), true);
  assert.equal(isCrossSite({ ...base, origin: undefined }), false);
  assert.equal(isCrossSite({ ...base, origin: "https://site.example", forwardedHost: "site.example, proxy.internal" }), false);
});
