/**
 * `functions/package-lock.json`, which Cloud Build's `npm ci` installs from, stays in step with
 * functions/package.json and with the root lockfile that `npm test` installed from: production runs
 * the versions the tests ran. `node scripts/functions-lock.mjs` rewrites it after a dependency change.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lockDrift } from "../../../scripts/lock-drift.mjs";

const readJson = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));

test("functions/package-lock.json matches functions/package.json and the root lock", () => {
  const drift = lockDrift(readJson("functions/package-lock.json"), readJson("functions/package.json"), readJson("package-lock.json"));
  assert.deepEqual(drift, [], "run `node scripts/functions-lock.mjs` and commit functions/package-lock.json");
});

test("a version the root lock does not install, or a dependency the lock lacks, is drift", () => {
  const manifest = readJson("functions/package.json");
  const rootLock = readJson("package-lock.json");
  const functionsLock = readJson("functions/package-lock.json");
  functionsLock.packages["node_modules/hono"].version = "0.0.1";
  delete functionsLock.packages["node_modules/lru-cache"];
  const drift = lockDrift(functionsLock, manifest, rootLock);
  assert.ok(drift.some((line: string) => line.startsWith("node_modules/hono: 0.0.1 here")), drift.join("\n"));
  assert.ok(drift.some((line: string) => line.startsWith("lru-cache")), drift.join("\n"));
  assert.deepEqual(lockDrift(readJson("functions/package-lock.json"), { ...manifest, dependencies: { ...manifest.dependencies, "left-pad": "^1.3.0" } }, rootLock).length > 0, true);
});
