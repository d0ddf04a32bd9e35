/**
 * @module functions-lock
 * `functions/package-lock.json`: the dependency tree `firebase deploy` ships. Cloud Build installs
 * the functions from `functions/` alone, with `npm ci` when that folder has a lockfile; the
 * workspace's lockfile is at the root and is not uploaded. This writes the functions' own lockfile
 * from the root one, so production installs exactly the versions `npm test` ran: the root lock's
 * entries as the functions folder resolves them (its own `functions/node_modules/*` first), pruned
 * by `npm install --package-lock-only` in a scratch folder that holds only functions/package.json
 * (with peer dependencies checked, as Cloud Build's npm does). `--check` only compares, offline.
 *
 *   node scripts/functions-lock.mjs          rewrite functions/package-lock.json
 *   node scripts/functions-lock.mjs --check  fail unless it matches package.json and the root lock
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { lockDrift } from "./lock-drift.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT_LOCK = join(ROOT, "package-lock.json");
const FUNCTIONS_MANIFEST = join(ROOT, "functions", "package.json");
const FUNCTIONS_LOCK = join(ROOT, "functions", "package-lock.json");
const WORKSPACE_PREFIX = "functions/";

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** The root lock's packages as seen from functions/: its own nested copies replace the hoisted ones. */
function seedLock(rootLock, manifest) {
  const packages = { "": { name: manifest.name, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies, engines: manifest.engines } };
  const entries = Object.entries(rootLock.packages);
  for (const [path, entry] of entries) if (path.startsWith("node_modules/") && !entry.link) packages[path] = entry;
  for (const [path, entry] of entries) if (path.startsWith(`${WORKSPACE_PREFIX}node_modules/`)) packages[path.slice(WORKSPACE_PREFIX.length)] = entry;
  return { name: manifest.name, lockfileVersion: 3, requires: true, packages };
}

function write() {
  const scratch = mkdtempSync(join(tmpdir(), "functions-lock-"));
  try {
    const manifest = readJson(FUNCTIONS_MANIFEST);
    writeFileSync(join(scratch, "package.json"), JSON.stringify(manifest, null, 2));
    writeFileSync(join(scratch, "package-lock.json"), JSON.stringify(seedLock(readJson(ROOT_LOCK), manifest), null, 2));
    // An .npmrc of its own: peers are checked even when the user's npm config says legacy-peer-deps.
    writeFileSync(join(scratch, ".npmrc"), "legacy-peer-deps=false\n");
    const npm = spawnSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: scratch, stdio: "inherit" });
    if (npm.status !== 0) throw new Error("npm could not settle the functions' tree (see above)");
    writeFileSync(FUNCTIONS_LOCK, readFileSync(join(scratch, "package-lock.json")));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv.includes("--check")) {
  const drift = lockDrift(readJson(FUNCTIONS_LOCK), readJson(FUNCTIONS_MANIFEST), readJson(ROOT_LOCK));
  if (drift.length > 0) {
    process.stderr.write(`✖ functions/package-lock.json is out of date (${drift.length} differences, first: ${drift[0]}): run \`node scripts/functions-lock.mjs\`.\n`);
    process.exit(1);
  }
} else {
  write();
}
