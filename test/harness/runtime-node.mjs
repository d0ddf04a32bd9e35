/**
 * @module runtime-node
 * The Node.js that production runs, for everything the harness starts. Cloud Functions runs the
 * `runtime` that firebase.json names (`nodejs22`); the npm package `node` (a root devDependency)
 * installs that release as `node_modules/.bin/node`, so a machine whose own Node is older still runs
 * the emulated functions, the tests and the tools on the production runtime. npm scripts already put
 * `node_modules/.bin` first on PATH; `runtimeEnv` does the same for any child the harness spawns, so
 * firebase-tools (a `#!/usr/bin/env node` script), the Functions emulator it forks
 * (`process.execPath`) and the test runners all start on it, however the harness itself was started.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ROOT } from "./paths.mjs";
import { fail } from "./fail.mjs";

const BIN_DIR = join(ROOT, "node_modules", ".bin");
/** The Node binary of the `node` devDependency. */
const RUNTIME_NODE = join(BIN_DIR, "node");

/** The major version of the functions runtime in firebase.json (`nodejs22` → 22). */
export function runtimeMajor() {
  const config = JSON.parse(readFileSync(join(ROOT, "firebase.json"), "utf8"));
  const runtime = String(config.functions?.[0]?.runtime ?? "");
  const match = /^nodejs(\d+)$/.exec(runtime);
  if (!match) fail(`firebase.json names the functions runtime ${JSON.stringify(runtime)}; expected nodejs<major>.`);
  return Number(match[1]);
}

/** Fails with one sentence unless `node_modules/.bin/node` is the runtime firebase.json deploys to. */
export function requireRuntimeNode() {
  const want = runtimeMajor();
  const probe = spawnSync(RUNTIME_NODE, ["--version"], { encoding: "utf8" });
  const version = probe.status === 0 ? probe.stdout.trim() : null;
  if (version?.startsWith(`v${want}.`)) return version;
  fail(
    version
      ? `node_modules/.bin/node is ${version}, but the functions deploy to Node ${want}: set the \`node\` devDependency to ^${want} in package.json and run \`npm install\`.`
      : `node_modules/.bin/node (Node ${want}, from the npm package \`node\`) did not run: delete node_modules and run the command again.`,
  );
}

/** `process.env` plus `extra`, with the runtime Node first on PATH. */
export function runtimeEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  env.PATH = [BIN_DIR, env.PATH].filter(Boolean).join(delimiter);
  return env;
}
