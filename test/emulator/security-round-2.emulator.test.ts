/**
 * Issue #13 ("Security round 2") against the real emulators: each test is named after the finding it
 * shows fixed, over the wire through the Hosting rewrite on its own port.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { adminDb, hostingBaseUrl, requireEmulators, signUp, unique } from "../support/emulators";

const ids = { org: unique("org"), otherOrg: unique("org"), alice: unique("alice"), mallory: unique("mallory") };
const tokens: Record<string, string> = {};

before(async () => {
  requireEmulators();
  for (const name of ["alice", "mallory"] as const) tokens[name] = await signUp(ids[name]);
  await adminDb().doc(`users/${ids.alice}`).set({ orgId: ids.org, role: "owner" });
  await adminDb().doc(`users/${ids.mallory}`).set({ orgId: ids.otherOrg, role: "owner" });
});

/** A `__session` cookie for `name`, minted through `base` (the function or the Hosting rewrite). */
async function sessionCookie(base: string, name: keyof typeof tokens, origin: string): Promise<string> {
  const res = await fetch(`${base}/v1/session`, { method: "POST", headers: { "content-type": "application/json", Origin: origin }, body: JSON.stringify({ idToken: tokens[name] }) });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = /__session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  assert.ok(cookie, "a __session cookie was set");
  return cookie;
}

test("cookie session writing through the Hosting rewrite: same-origin writes work, cross-site ones and cross-site sign-ins are refused", async () => {
  const hosting = await hostingBaseUrl();
  const page = new URL(hosting).origin;
  const cookie = await sessionCookie(`${hosting}/api`, "alice", page);
  const create = (origin: string) =>
    fetch(`${hosting}/api/v1/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", Cookie: `__session=${cookie}`, Origin: origin },
      body: JSON.stringify({ name: "from the page", permissions: ["read:agent-metrics"] }),
    });
  const same = await create(page);
  assert.equal(same.status, 201, await same.clone().text());
  const cross = await create("https://evil.example");
  assert.equal(cross.status, 403);
  assert.equal(((await cross.json()) as { error: { code: string } }).error.code, "PERMISSION_DENIED");
  const signIn = await fetch(`${hosting}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json", Origin: "https://evil.example" }, body: JSON.stringify({ idToken: tokens.mallory }) });
  assert.equal(signIn.status, 403);
  assert.equal(signIn.headers.get("set-cookie"), null);
});
