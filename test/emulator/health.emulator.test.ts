/**
 * `GET /v1/health` live. Through the real `api` function in the Functions emulator: it answers 200,
 * reports the Node.js the emulator runs the function on (which must be firebase.json's runtime, as
 * in production) and that Firestore answered, and names no secret. In process, with the product's
 * own wiring (`apiDeps`) and a Firestore client that reaches the emulator through a proxy: cutting
 * the proxy turns the answer into 503 UNAVAILABLE, and it comes back once the store does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createCheckedApp } from "../support/openapi-check";
import { generateKeyringSecret, parseKeyring } from "../../functions/src/signing/signing";
import { apiDeps } from "../../functions/src/services";
import { readLocalSecrets } from "../harness/local-secrets.mjs";
import { firestoreAt } from "../load/firestore-process";
import { startOutageProxy } from "../load/outage-proxy";
import { recordingLogger } from "../support/fakes";
import { adminAuth, apiBaseUrl, eventually, PROJECT_ID, requireEmulators } from "../support/emulators";

const runtime: string = JSON.parse(readFileSync(new URL("../../firebase.json", import.meta.url), "utf8")).functions[0].runtime;
const runtimeMajor = runtime.replace(/^nodejs/, "");

test("the emulated function answers health on firebase.json's Node runtime, with Firestore up and no secret", async () => {
  const res = await fetch(`${await apiBaseUrl()}/v1/health`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const body = JSON.parse(text) as { status: string; node: string; revision: string; firestore: { ok: boolean; latencyMs: number } };
  assert.equal(body.status, "ok");
  assert.equal(body.node.split(".")[0], `v${runtimeMajor}`, `the Functions emulator ran the function on ${body.node}`);
  assert.equal(body.firestore.ok, true);
  assert.equal(typeof body.firestore.latencyMs, "number");
  assert.ok(body.revision.length > 0 && body.revision !== "unknown", `the revision comes from K_REVISION (got ${body.revision})`);
  for (const [name, value] of Object.entries(readLocalSecrets())) assert.equal(text.includes(value), false, `${name} is not in the answer`);
});

test("this emulator suite's own runner is on the same Node major", () => {
  assert.equal(process.versions.node.split(".")[0], runtimeMajor, `the test runner is ${process.version}`);
});

test("health is 503 UNAVAILABLE while Firestore does not answer, and 200 again once it does", async () => {
  requireEmulators();
  const proxy = await startOutageProxy(process.env.FIRESTORE_EMULATOR_HOST as string);
  const db = firestoreAt(proxy.address, PROJECT_ID);
  let skewMs = 0;
  const now = () => new Date(Date.now() + skewMs);
  const deps = apiDeps({ db, auth: adminAuth(), keyring: parseKeyring(JSON.stringify(generateKeyringSecret("health-test"))), pepper: "health-test-pepper-of-at-least-32-characters", emulator: true, log: recordingLogger(), now });
  const app = createCheckedApp(deps);
  const health = async () => {
    const res = await app.request("/v1/health");
    return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; details: { firestore: { ok: boolean } } } } };
  };
  try {
    assert.equal((await health()).status, 200);

    proxy.down();
    skewMs += 16_000; // past the 15 s for which an answer is remembered
    const down = await health();
    assert.equal(down.status, 503);
    assert.equal(down.body.error?.code, "UNAVAILABLE");
    assert.equal(down.body.error?.details.firestore.ok, false);

    proxy.resume();
    const back = await eventually(
      async () => {
        skewMs += 6_000; // past the 5 s for which a failure is remembered
        return health();
      },
      (r) => r.status === 200,
      30_000,
    );
    assert.equal(back.body.status, "ok");
  } finally {
    await db.terminate();
    await proxy.close();
  }
});
