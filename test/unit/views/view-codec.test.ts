/**
 * The cache document layout: what a view is stored as, read back as, and which fields a serving read
 * must ask for (a field left out of the mask would make every served view fail its signature).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyAgentState, renderAgent } from "../../../functions/src/domain/agent-view";
import { isAuthentic, nextRevision, seal } from "../../../functions/src/domain/metrics-view";
import { pricingFromConfig } from "../../../functions/src/domain/pricing";
import { rollUpAgents } from "../../../functions/src/domain/rollup";
import { generateKeyringSecret, parseKeyring } from "../../../functions/src/domain/signing";
import { decodeView, encodeView, SERVED_VIEW_FIELDS } from "../../../functions/src/store/view-codec";

const keyring = parseKeyring(JSON.stringify(generateKeyringSecret("k1")));
const now = new Date("2026-11-23T10:00:00Z");
const pricing = pricingFromConfig(null);
const agentView = seal(nextRevision("agent", "a1", null, renderAgent(emptyAgentState(), pricing, now), now), keyring, now);
const rollupView = seal(nextRevision("org", "o1", null, rollUpAgents([emptyAgentState()], 1, pricing, now), now), keyring, now);
const access = { ownerId: "alice", orgId: "acme" };

/** The document as a read masked to the served fields would return it. */
const masked = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([key]) => SERVED_VIEW_FIELDS.includes(key)));

test("a read of the served fields only still verifies, and keeps the agent's owner", () => {
  const agentDoc = encodeView(agentView, { watermarks: { source: now, interaction: now }, state: emptyAgentState(), access });
  const rollupDoc = encodeView(rollupView, { foldedAt: now });
  for (const doc of [agentDoc, rollupDoc]) {
    const served = decodeView(masked(doc));
    assert.ok(served && isAuthentic(served.sealed, keyring), `${doc.scope} view verifies from its served fields`);
  }
  assert.deepEqual(decodeView(masked(agentDoc))?.access, access);
  assert.equal(decodeView(masked(agentDoc))?.accumulators, null, "the accumulators are left out");
});

test("every stored field but the bookkeeping is served", () => {
  const doc = encodeView(rollupView, { foldedAt: now });
  const agentDoc = encodeView(agentView, { watermarks: { source: now, interaction: now }, state: emptyAgentState(), access });
  const stored = new Set([...Object.keys(doc), ...Object.keys(agentDoc)]);
  assert.deepEqual([...stored].filter((key) => !SERVED_VIEW_FIELDS.includes(key)).sort(), ["_state", "_sync"]);
});

test("the owner written beside a view is read back; a view without one reads as unknown", () => {
  assert.deepEqual(decodeView(encodeView(agentView, { access }))?.access, access);
  assert.equal(decodeView(encodeView(agentView, { access: null }))?.access, null);
  assert.equal(decodeView(encodeView(agentView))?.access, null);
});
