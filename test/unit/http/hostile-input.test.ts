/**
 * Hostile input against every route, in process (the real Hono app, validation and access checks
 * over in-memory stores): at least 10,000 generated requests, and for each one no 5xx, every refusal in
 * the contract's envelope, and no metrics or keys of another user in the answer.
 * Replay a failure with `HOSTILE_SEED=<seed> node --import tsx --test test/unit/http/hostile-input.test.ts`.
 */
import { test } from "node:test";
import { createCheckedApp } from "../../support/openapi-check";
import { nextRevision, seal } from "../../../functions/src/metrics/metrics-view";
import { emptyAgentView, fakeWorld, storedView } from "../../support/fakes";
import { hostileRequests, type HostileRequest, type HostileTargets } from "../../support/hostile-requests";
import { assertReachedHandlers, sendHostile } from "../../support/hostile-checks";
import { createKeyThrough, HARNESS_KEY_LIMITS } from "../../support/api-keys";

const SEED = Number(process.env.HOSTILE_SEED ?? 20261123);
const COUNT = Number(process.env.HOSTILE_COUNT ?? 10_000);

const VICTIM_KEY_NAME = "victim-private-key-name";

async function setup() {
  const world = fakeWorld();
  world.tokens.set("mallory-token", "mallory").set("alice-token", "alice");
  world.users.set("mallory", { orgId: "globex", role: "member" }).set("alice", { orgId: "acme", role: "owner" });
  world.orgs.add("globex").add("acme");
  world.agents.set("mallory-agent", { name: "Mine", ownerId: "mallory", orgId: "globex" });
  world.agents.set("alice-agent", { name: "Theirs", ownerId: "alice", orgId: "acme" });
  for (const agentId of ["mallory-agent", "alice-agent"]) {
    const now = world.deps.now();
    world.views.set(agentId, storedView(seal(nextRevision("agent", agentId, null, emptyAgentView(now), now), world.keyring, now)));
  }
  // The hostile run is one caller sending 10,000 requests: its key may go past the deployment ceiling.
  const app = createCheckedApp({ ...world.deps, keyLimits: HARNESS_KEY_LIMITS });
  const createKey = (token: string, name: string) => createKeyThrough(app, token, { name, permissions: ["admin:all"], rateLimitPerMinute: 100_000 });
  await createKey("alice-token", VICTIM_KEY_NAME);
  const targets: HostileTargets = {
    own: { agentId: "mallory-agent", uid: "mallory", orgId: "globex" },
    victim: { agentId: "alice-agent", uid: "alice", orgId: "acme" },
    credentials: { token: "mallory-token", apiKey: await createKey("mallory-token", "mallory-key") },
  };
  return { app, targets, world };
}

test(`${COUNT} hostile requests: no 5xx, refusals in the envelope, nothing of another user (seed ${SEED})`, async () => {
  const { app, targets, world } = await setup();
  const readable = new Set(["agent:mallory-agent", "user:mallory", "org:globex"]);
  const send = async (req: HostileRequest) => {
    const res = await app.request(req.path, { method: req.method, headers: req.headers, body: req.body });
    // `DELETE /v1/session` revokes the caller's sessions: sign in again so later requests get past authentication.
    world.tokens.set("mallory-token", "mallory");
    return res;
  };
  const statuses = await sendHostile(hostileRequests(SEED, COUNT, targets), send, { readable, secret: VICTIM_KEY_NAME }, `HOSTILE_SEED=${SEED}`);
  if (process.env.HOSTILE_VERBOSE) console.log(JSON.stringify([...statuses].sort()));
  // The generator must reach the handlers, not only the authentication wall.
  assertReachedHandlers(statuses);
});
