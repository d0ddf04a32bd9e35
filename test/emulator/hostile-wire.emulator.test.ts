/**
 * The hostile suite over the wire (#13): the same generator and checks as the in-process runs
 * (hostile.emulator.test.ts), sent to the deployed `api` function through the Functions emulator's
 * port, and through the Hosting rewrite on its own port with cookie sessions among the credentials.
 * Framework, rewrite and cookies sit on this path; what the framework answers before the app is
 * allowed only where docs/SECURITY.md says ("Before the app"). HOSTILE_WIRE_COUNT requests each way
 * (default 10,000), HOSTILE_SEED to replay.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { assertReachedHandlers, sendHostile } from "../support/hostile-checks";
import { hostileRequests, type HostileRequest } from "../support/hostile-requests";
import { adminDb, apiBaseUrl, hostingBaseUrl, signIn } from "../support/emulators";
import { seedHostileWorld, type HostileWorld } from "../support/hostile-world";

const SEED = Number(process.env.HOSTILE_SEED ?? 20261203);
const COUNT = Number(process.env.HOSTILE_WIRE_COUNT ?? 10_000);
const VICTIM_KEY_NAME = "victim-private-key-name-over-the-wire";
const TOKEN = "current-id-token";
const CLIENT_ADDRESS = { function: "198.51.100.21", hosting: "198.51.100.22" } as const;

let world: HostileWorld;
let malloryToken: string;
let malloryKey: string;

async function keyFor(api: string, token: string, name: string): Promise<string> {
  const res = await fetch(`${api}/v1/api-keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name, permissions: ["admin:all"], rateLimitPerMinute: 10_000 }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { key: string }).key;
}

before(async () => {
  world = await seedHostileWorld(adminDb(), "wire");
  const { ids, aliceToken } = world;
  malloryToken = world.malloryToken;
  const api = await apiBaseUrl();
  const aliceKey = await keyFor(api, aliceToken, VICTIM_KEY_NAME);
  malloryKey = await keyFor(api, malloryToken, "mallory-key");
  for (const [agentId, token, key] of [[ids.mine, malloryToken, malloryKey], [ids.theirs, aliceToken, aliceKey]]) {
    const res = await fetch(`${api}/v1/agents/${agentId}/metrics:refresh`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "X-API-Key": key } });
    assert.equal(res.status, 200, await res.text());
  }
});

let mints = 0;
/**
 * A `__session` cookie for mallory, minted through the Hosting rewrite as the page does. Each from
 * an address of its own: the suite's hostile sign-in attempts spend the suite's address's budget,
 * and a re-sign-in after a revocation must not wait a minute for it.
 */
async function cookieThrough(hosting: string): Promise<string> {
  const address = `198.51.100.${100 + (mints++ % 150)}`;
  const res = await fetch(`${hosting}/api/v1/session`, { method: "POST", headers: { "content-type": "application/json", Origin: new URL(hosting).origin, "x-forwarded-for": address }, body: JSON.stringify({ idToken: malloryToken }) });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = /__session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  assert.ok(cookie);
  return cookie;
}

for (const via of ["function", "hosting"] as const) {
  test(`${COUNT} hostile requests through the ${via === "function" ? "Functions emulator's port" : "Hosting rewrite, cookie sessions among them"}: no 5xx, the app's refusals in the envelope, nothing of another user (seed ${SEED})`, { timeout: 15 * 60_000 }, async () => {
    const hosting = await hostingBaseUrl();
    const base = via === "function" ? await apiBaseUrl() : `${hosting}/api`;
    // A token of this run's own: the other run may have revoked the sessions of the last one.
    malloryToken = await signIn(world.ids.mallory);
    let cookie = via === "hosting" ? await cookieThrough(hosting) : null;
    const { ids, readable } = world;
    const targets = world.targets(malloryKey, TOKEN);
    let sent = 0;
    const send = async (req: HostileRequest) => {
      // From an address of the suite's own (the emulators add none), so its sign-in attempts spend
      // that address's budget of session mints, not the one every other suite signs in from.
      const headers: Record<string, string> = { "x-forwarded-for": CLIENT_ADDRESS[via] };
      // Through Hosting, every third request that carries the session sends it as the page does: the cookie, from the page's origin.
      const asCookie = cookie !== null && sent++ % 3 === 0;
      for (const [name, value] of Object.entries(req.headers)) {
        if (asCookie && name === "authorization" && value === `Bearer ${TOKEN}`) {
          headers.cookie = `__session=${cookie}`;
          headers.origin ??= new URL(hosting).origin;
        } else headers[name] = value.split(TOKEN).join(malloryToken);
      }
      const res = await fetch(`${base}${req.path}`, { method: req.method, headers, body: req.body, redirect: "manual" });
      // `DELETE /v1/session` revokes the caller's sessions: sign in again (and mint a new cookie) so later requests get past authentication.
      if (req.method === "DELETE" && req.path.startsWith("/v1/session") && res.status < 300) {
        // Revocation is kept to the second: a token issued in the second it happened counts as revoked.
        await new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));
        malloryToken = await signIn(ids.mallory);
        if (cookie !== null) cookie = await cookieThrough(hosting);
      }
      return res;
    };
    const statuses = await sendHostile(hostileRequests(SEED, COUNT, targets), send, { readable, secret: VICTIM_KEY_NAME }, `HOSTILE_SEED=${SEED} HOSTILE_WIRE_COUNT=${COUNT}`, { via });
    assertReachedHandlers(statuses);
  });
}
