/**
 * @module series-signature.test
 * Series and views are signed under headers of their own (CONTRACT.md "Signatures"): a series the
 * API serves verifies as a series and never as the view of the same scope and id, and a view never
 * as a series, so neither can be passed off as the other (issue #26, finding 7).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { generateKeyringSecret, parseKeyring, type ViewSignature } from "../../../functions/src/signing/signing";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";

type Signed = { data: { scope: string; id: string }; signature: ViewSignature };

async function servedViewAndSeries(): Promise<{ world: ReturnType<typeof fakeWorld>; view: Signed; series: Signed }> {
  const world = fakeWorld();
  world.tokens.set("alice-token", "alice");
  world.users.set("alice", { orgId: "acme", role: "owner" });
  world.agents.set("a1", { name: "a1", ownerId: "alice", orgId: "acme" });
  const now = world.deps.now();
  world.views.set("a1", storedView(seal(nextRevision("agent", "a1", null, emptyAgentView(now), now), world.keyring, now)));
  const app = createCheckedApp(world.deps);
  const created = await app.request("/v1/api-keys", { method: "POST", headers: { Authorization: "Bearer alice-token" }, body: JSON.stringify({ name: "k", permissions: ["read:agent-metrics"] }) });
  const headers = { Authorization: "Bearer alice-token", "X-API-Key": ((await created.json()) as { key: string }).key };
  const read = async (path: string) => {
    const res = await app.request(path, { headers });
    assert.equal(res.status, 200, path);
    return (await res.json()) as Signed;
  };
  return { world, view: await read("/v1/agents/a1/metrics"), series: await read("/v1/agents/a1/metrics/series") };
}

test("a served series verifies as a series and not as the view of the same agent", async () => {
  const { world, series } = await servedViewAndSeries();
  assert.deepEqual([series.data.scope, series.data.id], ["agent", "a1"], "the same scope and id as the view");
  assert.equal(world.keyring.verify(series.data, series.signature, "series"), true);
  assert.equal(world.keyring.verify(series.data, series.signature, "view"), false);
});

test("a served view verifies as a view and not as a series", async () => {
  const { world, view } = await servedViewAndSeries();
  assert.equal(world.keyring.verify(view.data, view.signature, "view"), true);
  assert.equal(world.keyring.verify(view.data, view.signature, "series"), false);
});

test("over the very same data, each purpose's signature verifies only under its own header", () => {
  const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
  const data = { scope: "agent", id: "a1", granularity: "hour", points: [] };
  const purposes = ["view", "series", "access"] as const;
  for (const signedAs of purposes) {
    const signature = keyring.sign(data, new Date("2026-01-02T03:04:05Z"), signedAs);
    for (const checkedAs of purposes) assert.equal(keyring.verify(data, signature, checkedAs), signedAs === checkedAs, `signed as ${signedAs}, checked as ${checkedAs}`);
  }
});
