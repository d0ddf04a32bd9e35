/**
 * What a client meets before the app (#13, finding 3), over the wire: through the Functions
 * emulator's port and through the Hosting rewrite. The Functions framework parses an
 * `application/json` body (up to 32 MiB) before the app sees the request, so a malformed one is
 * answered by the framework, not in the contract's envelope; everything the framework lets through
 * is the app's, in the envelope. docs/SECURITY.md ("Before the app") says what each layer answers;
 * these tests hold it to that.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { apiBaseUrl, hostingBaseUrl, signUp, unique } from "../support/emulators";

let token: string;
const bases: Record<string, string> = {};

before(async () => {
  token = await signUp(unique("framework"));
  bases.function = await apiBaseUrl();
  bases.hosting = `${await hostingBaseUrl()}/api`;
});

const createKey = (base: string, body: string, contentType = "application/json") =>
  fetch(`${base}/v1/api-keys`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "content-type": contentType }, body });

for (const via of ["function", "hosting"] as const) {
  test(`malformed JSON (${via}): the framework answers 400 before the app, with no stack trace, and nothing is created`, async () => {
    const res = await createKey(bases[via], '{"name": "x", "permissions": [');
    const text = await res.text();
    assert.equal(res.status, 400, text.slice(0, 300));
    assert.equal(/at .+\.(ts|js):\d+/.test(text), false, `no stack trace: ${text.slice(0, 300)}`);
    const list = await fetch(`${bases[via]}/v1/api-keys`, { headers: { Authorization: `Bearer ${token}` } });
    assert.deepEqual(((await list.json()) as { apiKeys: unknown[] }).apiKeys, []);
  });

  test(`well-formed JSON of the wrong shape, and the same bytes sent as text (${via}): the app answers in the envelope`, async () => {
    for (const [body, type] of [['{"name": 1}', "application/json"], ['{"name": "x", "permissions": [', "text/plain"]] as const) {
      const res = await createKey(bases[via], body, type);
      assert.equal(res.status, 400);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "INVALID_ARGUMENT", `${type} ${body}`);
    }
  });

  test(`a body past the app's 2 MiB and under the framework's 32 MiB (${via}): the app refuses it in the envelope`, async () => {
    const res = await createKey(bases[via], JSON.stringify({ name: "x".repeat(3 * 1024 * 1024), permissions: ["read:agent-metrics"] }));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "INVALID_ARGUMENT");
  });
}

test("an undecodable path: the Functions framework's router answers 400 before the app, with no stack trace; Hosting's emulator answers 500 itself", async () => {
  const path = "/v1/api-keys/%C0%AF/usage";
  const direct = await fetch(`${bases.function}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const directText = await direct.text();
  assert.equal(direct.status, 400, directText.slice(0, 300));
  assert.equal(/at .+\.(ts|js):\d+/.test(directText), false, `no stack trace: ${directText.slice(0, 300)}`);
  // superstatic looks the path up as a static file before the rewrite, and that lookup throws.
  const hosted = await fetch(`${bases.hosting}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(hosted.status, 500);
  assert.equal(await hosted.text(), "Unexpected error occurred.");
});

test("a path too long for the file system: the app answers through the function; Hosting's emulator answers 500 itself", async () => {
  // superstatic looks every path up as a file first; a path past PATH_MAX (4,096 bytes) fails that lookup.
  const path = `/v1/agents/${"a".repeat(5_000)}/metrics`;
  const direct = await fetch(`${bases.function}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(direct.status, 401, "the app's own refusal: a session and no key");
  assert.equal(((await direct.json()) as { error: { code: string } }).error.code, "UNAUTHENTICATED");
  const hosted = await fetch(`${bases.hosting}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(hosted.status, 500);
  assert.equal(await hosted.text(), "Unexpected error occurred.");
});
