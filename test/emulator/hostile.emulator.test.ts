/**
 * Hostile input against the real stack: the app as a function instance builds it (`apiDeps`), in
 * process, over the Auth and Firestore emulators, in a project of its own (`demo-metrics-hostile`, where
 * no trigger fires), with real ID tokens, API keys made through the app and views written by the real
 * recompute. The same generator, sequence and checks as the in-memory run
 * (test/unit/http/hostile-input.test.ts): 10,000 requests (about 30 s), or HOSTILE_COUNT. Replay with
 * HOSTILE_SEED.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCheckedApp } from "../support/openapi-check";
import { parseKeyring } from "../../functions/src/signing/signing";
import { apiDeps } from "../../functions/src/services";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { recordingLogger } from "../support/fakes";
import { assertReachedHandlers, sendHostile } from "../support/hostile-checks";
import { hostileRequests, type HostileRequest } from "../support/hostile-requests";
import { createKeyThrough, HARNESS_KEY_LIMITS } from "../support/api-keys";
import { adminAuth, adminDb, signIn } from "../support/emulators";
import { seedHostileWorld } from "../support/hostile-world";

const PROJECT = "demo-metrics-hostile";
const SEED = Number(process.env.HOSTILE_SEED ?? 20261123);
const COUNT = Number(process.env.HOSTILE_COUNT ?? 10_000);
const VICTIM_KEY_NAME = "victim-private-key-name";
/** Stands for the caller's current ID token in the generated requests (a revoked session is replaced by a new sign-in). */
const TOKEN = "current-id-token";

test(`${COUNT} hostile requests against the app over the emulators: no 5xx, refusals in the envelope, nothing of another user (seed ${SEED})`, { timeout: 10 * 60_000 }, async () => {
  const db = adminDb(PROJECT);
  const world = await seedHostileWorld(db, "hostile");
  const { ids, aliceToken, readable } = world;
  let malloryToken = world.malloryToken;

  const secrets = readLocalSecrets();
  const log = recordingLogger();
  const app = createCheckedApp(apiDeps({ db, auth: adminAuth(), keyring: parseKeyring(secrets.METRICS_SIGNING_KEYRING), pepper: secrets.API_KEY_PEPPER, emulator: true, log, keyLimits: HARNESS_KEY_LIMITS }));
  const createKey = (token: string, name: string) => createKeyThrough(app, token, { name, permissions: ["admin:all"], rateLimitPerMinute: 100_000 });
  const aliceKey = await createKey(aliceToken, VICTIM_KEY_NAME);
  const malloryKey = await createKey(malloryToken, "mallory-key");
  // Both agents get a view from the real recompute, so reads have signed views of both users to find.
  for (const [agentId, token, key] of [[ids.mine, malloryToken, malloryKey], [ids.theirs, aliceToken, aliceKey]]) {
    const res = await app.request(`/v1/agents/${agentId}/metrics:refresh`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "X-API-Key": key } });
    assert.equal(res.status, 200, await res.text());
  }

  const targets = world.targets(malloryKey, TOKEN);
  const withToken = (req: HostileRequest) => Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, value.split(TOKEN).join(malloryToken)]));
  const send = async (req: HostileRequest) => {
    const res = await app.request(req.path, { method: req.method, headers: withToken(req), body: req.body });
    // `DELETE /v1/session` revokes the caller's sessions: sign in again so later requests get past authentication.
    if (req.method === "DELETE" && req.path.startsWith("/v1/session") && res.status < 300) malloryToken = await signIn(ids.mallory);
    return res;
  };
  const statuses = await sendHostile(hostileRequests(SEED, COUNT, targets), send, { readable, secret: VICTIM_KEY_NAME }, `HOSTILE_SEED=${SEED} HOSTILE_COUNT=${COUNT}`);
  assertReachedHandlers(statuses);
  assert.deepEqual(log.entries.filter((e) => e.level === "error"), [], "nothing the app logged as an error");
});
