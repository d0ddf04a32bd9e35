/**
 * Issue #13, finding 5 ("sign-out race: a re-check already in flight can restore a revoked session on
 * that instance for up to 60 s"): a verification that started before the sign-out is not kept.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cachedSessionVerifier, REVOCATION_GRANULARITY_MS } from "../../../functions/src/http/auth/cached-session-verifier";
import type { VerifiedSession } from "../../../functions/src/http/auth/session-verifier";

function setup() {
  let clock = 1_700_000_000_000;
  const pending: Array<(session: VerifiedSession | null) => void> = [];
  let calls = 0;
  const verifier = cachedSessionVerifier(
    { verify: () => (calls++, new Promise<VerifiedSession | null>((resolve) => pending.push(resolve))) },
    { now: () => clock },
  );
  return { verifier, pending, calls: () => calls, advance: (ms: number) => void (clock += ms), now: () => clock };
}

const cookie = { kind: "sessionCookie" as const, token: "alice-cookie" };

test("sign-out race: a re-check in flight when the user signs out does not restore the session", async () => {
  const { verifier, pending, calls, advance, now } = setup();
  const first = verifier.verify(cookie);
  pending.shift()?.({ uid: "alice", expiresAtMs: now() + 3_600_000, operator: false });
  assert.equal((await first)?.uid, "alice");
  advance(55_000); // past fresh: the next request starts a background re-check
  assert.equal((await verifier.verify(cookie))?.uid, "alice");
  assert.equal(calls(), 2);
  verifier.forgetUser("alice"); // DELETE /v1/session on this instance
  // Auth answered the re-check from before the revocation: still valid.
  pending.shift()?.({ uid: "alice", expiresAtMs: now() + 3_600_000, operator: false });
  await new Promise((resolve) => setImmediate(resolve));
  const after = verifier.verify(cookie);
  assert.equal(calls(), 3, "nothing was restored: the next request asks Auth again");
  pending.shift()?.(null); // by now Auth sees the revocation
  assert.equal(await after, null);
});

test("a check started within a second of the sign-out is not trusted either; later ones are", async () => {
  const { verifier, pending, advance, now } = setup();
  verifier.forgetUser("alice");
  advance(REVOCATION_GRANULARITY_MS - 1);
  const early = verifier.verify(cookie);
  pending.shift()?.({ uid: "alice", expiresAtMs: now() + 3_600_000, operator: false });
  assert.equal(await early, null);
  advance(2);
  const later = verifier.verify(cookie);
  pending.shift()?.({ uid: "alice", expiresAtMs: now() + 3_600_000, operator: false });
  assert.equal((await later)?.uid, "alice", "a new sign-in after it works");
});
