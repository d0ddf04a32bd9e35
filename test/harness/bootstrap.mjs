/**
 * @module bootstrap
 * Runs before `npm start`, `npm test` and `npm run bench`: installs what is missing, builds what the
 * emulators load, and prepares the local-only secrets and the Firestore emulator launcher. Uses only
 * Node's standard library, because on a fresh clone nothing else is installed yet.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";
import { fail } from "./fail.mjs";
import { prepareFirestoreLauncher, requireJava } from "./emulator-env.mjs";
import { ensureLocalSecrets } from "./local-secrets.mjs";

function run(label, command, args) {
  process.stdout.write(`› ${label}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.error || result.status !== 0) fail(`${label} failed (see the output above); fix that and run the command again.`);
}

function installIsCurrent() {
  const marker = join(ROOT, "node_modules", ".package-lock.json");
  const lock = join(ROOT, "package-lock.json");
  return existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer and run the command again.`);
requireJava();
if (!installIsCurrent()) {
  const hasLock = existsSync(join(ROOT, "package-lock.json"));
  run("Installing dependencies (first run: a few minutes)", "npm", hasLock ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"]);
}
run("Building functions and web-client", "npm", ["run", "build", "--silent"]);
ensureLocalSecrets();
prepareFirestoreLauncher();
