/**
 * Who may read a view, signed beside it (#13, finding 4): the signature binds the owner, the
 * organization, the agent and the revision, and cannot be swapped with a view's signature.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sealAccess, verifiedAccess } from "../../../functions/src/metrics/access-seal";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/signing/signing";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
const now = new Date("2026-12-03T10:00:00Z");
const view = { id: "support-bot", version: 7 };
const owner = { ownerId: "alice", orgId: "acme" };

test("a signed owner verifies for its agent's revision, and only for it", () => {
  const sealed = sealAccess(view, owner, keyring, now);
  assert.deepEqual(verifiedAccess(view, sealed, keyring), owner);
  assert.equal(verifiedAccess(view, { ...sealed, orgId: "evil" }, keyring), null, "another organization");
  assert.equal(verifiedAccess(view, { ...sealed, ownerId: "mallory" }, keyring), null, "another owner");
  assert.equal(verifiedAccess({ ...view, id: "other-bot" }, sealed, keyring), null, "copied beside another agent's view");
  assert.equal(verifiedAccess({ ...view, version: 8 }, sealed, keyring), null, "kept beside another revision");
  assert.equal(verifiedAccess(view, owner, keyring), null, "never signed");
  assert.equal(verifiedAccess(view, null, keyring), null);
});

test("an access signature is not a view signature, nor the other way round, over the same data", () => {
  const data = { agentId: view.id, version: view.version, ownerId: owner.ownerId, orgId: owner.orgId };
  const asView = keyring.sign(data, now, "view");
  assert.equal(verifiedAccess(view, { ...owner, signature: asView }, keyring), null);
  const asAccess = sealAccess(view, owner, keyring, now).signature;
  assert.equal(keyring.verify(data, asAccess, "view"), false);
  assert.equal(keyring.verify(data, asAccess, "access"), true);
});

test("a signature by another deployment's keys does not verify", () => {
  const other = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
  assert.equal(verifiedAccess(view, sealAccess(view, owner, other, now), keyring), null);
});
