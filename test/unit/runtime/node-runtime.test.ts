/**
 * The tests run on the Node.js release production runs: the `runtime` of firebase.json, which
 * functions/package.json's engines repeats. `npm test` starts this runner from `node_modules/.bin/node`
 * (the `node` devDependency), whatever Node the machine has; run by hand on an older Node, this fails.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const readJson = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));

test("firebase.json and functions/package.json name the same Node runtime", () => {
  const runtime: string = readJson("firebase.json").functions[0].runtime;
  assert.match(runtime, /^nodejs\d+$/);
  assert.equal(readJson("functions/package.json").engines.node, runtime.slice("nodejs".length));
});

test("this test runner runs on the deployed runtime's Node major", () => {
  const runtime: string = readJson("firebase.json").functions[0].runtime;
  const major = process.versions.node.split(".")[0];
  assert.equal(`nodejs${major}`, runtime, `the unit runner is Node ${process.version}`);
});
